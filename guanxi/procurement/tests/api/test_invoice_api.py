"""/api/v1/supplier-invoices: the same services as the pages — a fapiao entered against order lines and matched
at once (三单匹配): matched, or held for its exceptions (a dearer price, another tax rate, a wrong total) until an
approval through /api/v1/approvals releases it (never by whoever entered it); a fapiao entered twice, more
than was accepted, lines of another team's order are refused; cancelling frees the quantities and the fapiao.
Problem+json naming each field, 404 for what the caller may not see, 403 for what he may not do, 409 for a stale
version, an Idempotency-Key honoured, and lists whose cost does not grow with their rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.models import ApprovalRequest
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import PurchaseOrderLine, SupplierInvoice
from guanxi.procurement.services.invoices import invoice_enter

from .settlement_support import FAPIAO, approval_of, in_inbox, invoice_body, received, rules

pytestmark = pytest.mark.django_db
D = Decimal
DOC = "procurement.supplierinvoice"


@pytest.fixture
def goods(shop):
    rules()
    return received(shop)


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def enter(api, *rows, status=201, **extra) -> dict:
    return ok(api.post("/supplier-invoices", invoice_body(*rows, **extra)), status)


def refused(resp, status: int = 422) -> set[str]:
    return fields(problem(resp, status))


def op(api, inv: dict, name: str, status: int = 200, **extra):
    resp = api.post(f"/supplier-invoices/{inv['id']}/{name}", {"version": inv["version"], **extra})
    return ok(resp, status) if status < 400 else refused(resp, status)


def test_an_invoice_of_what_was_accepted_at_the_order_price_matches(buyer_api, shop, goods):
    _o, resistor, carton = goods
    inv = enter(
        buyer_api,
        {"order_line": resistor.pk, "quantity": "800"},
        {"order_line": carton.pk, "quantity": "200", "unit_price": "3"},
        fapiao_code="044031900111",
        due_date="2031-03-31",
        note="月结",
    )
    assert inv["state"] == "matched" and inv["number"].startswith("PI") and inv["version"] == 1
    assert inv["supplier"] == {"id": shop.huaqiang.pk, "name": shop.huaqiang.name}
    assert inv["owner"]["id"] == shop.buyer.pk and inv["team"]["id"] == shop.east.pk
    assert (inv["fapiao_number"], inv["fapiao_code"], inv["due_date"]) == (
        FAPIAO,
        "044031900111",
        "2031-03-31",
    )
    assert [D(inv[k]) for k in ("net_total", "tax_total", "gross_total", "stated_gross")] == [
        2200,
        286,
        2486,
        2486,
    ]
    assert inv["problems"] == [] and inv["exceptions"] == 0 and D(inv["stated_difference"]) == 0
    first, second = inv["lines"]
    assert first["order_line_id"] == resistor.pk and first["order"]["number"] == resistor.order.number
    assert D(first["unit_price"]) == D(first["order_price"]) == 2 and D(first["tax_percent"]) == 13
    assert first["matched"] and first["problems"] == [] and D(first["price_difference"]) == 0
    assert D(second["gross"]) == D("678") and second["description"] == carton.description
    assert ok(buyer_api.get(f"/supplier-invoices/{inv['id']}")) == inv
    assert PurchaseOrderLine.objects.get(pk=resistor.pk).invoiced_quantity == 800


def test_open_lines_show_what_is_left_to_invoice(buyer_api, shop, goods, api_as):
    o, resistor, carton = goods
    enter(buyer_api, {"order_line": resistor.pk, "quantity": "300"})
    by_order = ok(buyer_api.get("/supplier-invoices/open-lines", {"order": o.pk}))["items"]
    assert [(x["id"], D(x["to_invoice"])) for x in by_order] == [(resistor.pk, 500), (carton.pk, 200)]
    assert by_order[0]["order"] == {"id": o.pk, "number": o.number} and by_order[0]["currency"] == "CNY"
    assert D(by_order[0]["accepted_quantity"]) == 800 and D(by_order[0]["invoiced_quantity"]) == 300
    by_supplier = ok(buyer_api.get("/supplier-invoices/open-lines", {"supplier": shop.huaqiang.pk}))
    assert by_supplier["items"] == by_order
    assert ok(buyer_api.get("/supplier-invoices/open-lines"))["items"] == []
    west = ok(api_as(shop.buyer_west).get("/supplier-invoices/open-lines", {"order": o.pk}))
    assert west["items"] == []


def test_a_dearer_price_is_held_and_released_by_someone_else(buyer_api, shop, goods, api_as):
    _o, resistor, _carton = goods
    inv = enter(buyer_api, {"order_line": resistor.pk, "quantity": "800", "unit_price": "2.20"})
    (line,) = inv["lines"]
    assert inv["state"] == "exception" and inv["exceptions"] == 1 and not line["matched"]
    assert [p["code"] for p in line["problems"]] == ["price"] and line["problems"][0]["label"]
    assert D(line["price_difference"]) == 160 and D(line["order_price"]) == 2
    assert op(buyer_api, inv, "release", version=inv["version"] + 3, status=409) == set()
    inv = op(buyer_api, inv, "release")
    assert inv["state"] == "pending" and inv["version"] == 2
    assert not in_inbox(buyer_api, DOC, inv["id"])  # never whoever entered it
    request = ApprovalRequest.objects.get(document_type=DOC, object_id=str(inv["id"]))
    problem(buyer_api.post(f"/approvals/{request.pk}/approve", {"comment": "自己放行"}), 403)
    pm = api_as(shop.pm)
    ok(pm.post(f"/approvals/{approval_of(pm, DOC, inv['id'])['id']}/reject", {"comment": "先找供应商确认"}))
    inv = ok(buyer_api.get(f"/supplier-invoices/{inv['id']}"))
    assert inv["state"] == "exception"
    inv = op(buyer_api, inv, "release")
    ok(pm.post(f"/approvals/{approval_of(pm, DOC, inv['id'])['id']}/approve", {"comment": "同意"}))
    inv = ok(buyer_api.get(f"/supplier-invoices/{inv['id']}"))
    assert inv["state"] == "released"
    assert op(buyer_api, inv, "release", status=422) == {"state"}
    assert op(buyer_api, inv, "cancel", reason="录错", status=422) == {"state"}


def test_other_tax_and_a_wrong_total_are_exceptions(buyer_api, goods):
    _o, resistor, carton = goods
    taxed = enter(
        buyer_api, {"order_line": resistor.pk, "quantity": "10", "tax_percent": "9"}, stated_gross="21.80"
    )
    assert [p["code"] for p in taxed["lines"][0]["problems"]] == ["tax"] and taxed["problems"] == []
    wrong = enter(
        buyer_api,
        {"order_line": carton.pk, "quantity": "10", "unit_price": "3"},
        stated_gross="500",
        fapiao="12345678",
    )
    assert wrong["state"] == "exception" and [p["code"] for p in wrong["problems"]] == ["total"]
    assert wrong["lines"][0]["matched"] and D(wrong["stated_difference"]) == D("466.10")


def test_a_fapiao_twice_and_more_than_was_accepted_are_refused(buyer_api, goods):
    _o, resistor, _carton = goods
    first = enter(buyer_api, {"order_line": resistor.pk, "quantity": "500"})
    again = buyer_api.post("/supplier-invoices", invoice_body({"order_line": resistor.pk, "quantity": "1"}))
    assert refused(again) == {"fapiao_number"}
    wide = invoice_body(
        {"order_line": resistor.pk, "quantity": "1"}, fapiao="２４４４２０００ ０００００１２３４５６７８"
    )
    assert refused(buyer_api.post("/supplier-invoices", wide)) == {"fapiao_number"}  # full-width: the same
    more = buyer_api.post(
        "/supplier-invoices", invoice_body({"order_line": resistor.pk, "quantity": "301"}, fapiao="12345679")
    )
    answer = problem(more, 422)
    assert fields(answer) == {"lines[0].quantity"} and "300" in answer["errors"][0]["message"]
    assert SupplierInvoice.objects.count() == 1
    assert op(buyer_api, first, "cancel", status=422) == {"reason"}
    cancelled = op(buyer_api, first, "cancel", reason="录错数量")
    assert cancelled["state"] == "cancelled" and cancelled["note"] == "录错数量"
    assert PurchaseOrderLine.objects.get(pk=resistor.pk).invoiced_quantity == 0
    enter(
        buyer_api, {"order_line": resistor.pk, "quantity": "800"}
    )  # the fapiao and the quantity are free again


def test_bad_input_names_each_field(buyer_api, shop, goods):
    _o, resistor, _carton = goods
    theirs = received(shop, actor=shop.buyer_west, supplier=shop.preferred)[1]

    def post(*rows, **extra):
        return buyer_api.post("/supplier-invoices", invoice_body(*rows, **extra))

    row = {"order_line": resistor.pk, "quantity": "1"}
    assert refused(post(row, fapiao="12AB5678", fapiao_code="12345")) == {"fapiao_number", "fapiao_code"}
    assert refused(post({"order_line": theirs.pk, "quantity": "1"})) == {"lines[0].order_line"}
    assert refused(post({**row, "quantity": "-1"}, stated_gross="1")) == {"lines.0.quantity"}
    assert refused(post({**row, "unit_price": "1.1234567"})) == {"lines.0.unit_price"}
    assert refused(post({**row, "tax_percent": "101"})) == {"lines.0.tax_percent"}
    assert refused(post(row, currency="XXX")) == {"currency"}
    assert refused(post(row, stated_gross="-1")) == {"stated_gross"}
    assert refused(post(row, colour="red")) == {"colour"}
    assert refused(post(row, invoice_date="2031-02-30")) == {"invoice_date"}
    assert "lines" in refused(post())
    assert not SupplierInvoice.objects.exists()


def test_who_sees_and_who_enters(buyer_api, shop, goods, api_as):
    _o, resistor, _carton = goods
    inv = enter(buyer_api, {"order_line": resistor.pk, "quantity": "800", "unit_price": "2.20"})
    url, v = f"/supplier-invoices/{inv['id']}", {"version": inv["version"]}
    rep = api_as(shop.rep)
    body = invoice_body({"order_line": resistor.pk, "quantity": "1"}, fapiao="87654321")
    for resp in (
        rep.get("/supplier-invoices"),
        rep.get(url),
        rep.get("/supplier-invoices/open-lines", {"supplier": shop.huaqiang.pk}),
        rep.post("/supplier-invoices", body),
        rep.post(f"{url}/release", v),
    ):
        problem(resp, 403)
    boss = api_as(shop.executive)  # sees every order, enters no invoice
    assert ok(boss.get(url))["id"] == inv["id"] and len(ok(boss.get("/supplier-invoices"))["items"]) == 1
    for resp in (boss.post("/supplier-invoices", body), boss.post(f"{url}/release", v)):
        problem(resp, 403)
    west = api_as(shop.buyer_west)
    assert ok(west.get("/supplier-invoices"))["items"] == []
    for resp in (
        west.get(url),
        west.post(f"{url}/release", v),
        west.post(f"{url}/cancel", {**v, "reason": "x"}),
    ):
        problem(resp, 404)
    problem(api_as(shop.buyer, scope="read").post(f"{url}/release", v), 403)
    mate = api_as(shop.mate)  # the same team
    assert ok(mate.get(url))["id"] == inv["id"]
    assert SupplierInvoice.objects.get(pk=inv["id"]).state == "exception"


def test_list_filters_and_pages(buyer_api, shop, goods):
    _o, resistor, carton = goods
    a = enter(
        buyer_api,
        {"order_line": resistor.pk, "quantity": "100"},
        invoice_date="2031-01-05",
        fapiao="11111111",
    )
    b = enter(buyer_api, {"order_line": resistor.pk, "quantity": "100", "unit_price": "3"}, fapiao="22222222",
              invoice_date="2031-01-06")  # fmt: skip
    c = enter(buyer_api, {"order_line": carton.pk, "quantity": "10", "unit_price": "3"}, fapiao="33333333",
              invoice_date="2031-01-04")  # fmt: skip
    ids = lambda **q: [x["id"] for x in ok(buyer_api.get("/supplier-invoices", q))["items"]]  # noqa: E731
    assert ids() == [b["id"], a["id"], c["id"]]
    assert ids(state="exception") == [b["id"]] and ids(state="matched") == [a["id"], c["id"]]
    assert ids(q="2222 2222") == [b["id"]] and ids(q=c["number"]) == [c["id"]]
    assert ids(supplier=shop.huaqiang.pk) == ids() and ids(supplier=shop.preferred.pk) == []
    first = ok(buyer_api.get("/supplier-invoices", {"limit": 2}))
    assert [x["id"] for x in first["items"]] == [b["id"], a["id"]] and first["next_cursor"]
    rest = ok(buyer_api.get("/supplier-invoices", {"limit": 2, "cursor": first["next_cursor"]}))
    assert [x["id"] for x in rest["items"]] == [c["id"]] and rest["next_cursor"] is None
    assert fields(problem(buyer_api.get("/supplier-invoices", {"state": "lost"}), 422)) == {"state"}
    assert fields(problem(buyer_api.get("/supplier-invoices", {"cursor": "nonsense"}), 422)) == {"cursor"}
    assert fields(problem(buyer_api.get("/supplier-invoices", {"q": "a\x00b"}), 422)) == {"q"}
    assert fields(problem(buyer_api.get("/supplier-invoices", {"colour": "red"}), 422)) == {"colour"}
    problem(buyer_api.get("/supplier-invoices/987654"), 404)


def test_an_idempotency_key_enters_one_invoice(buyer_api, goods):
    _o, resistor, _carton = goods
    key = {"Idempotency-Key": "pi-2031-0001"}
    body = invoice_body({"order_line": resistor.pk, "quantity": "10"})
    first = buyer_api.post("/supplier-invoices", body, headers=key)
    again = buyer_api.post("/supplier-invoices", body, headers=key)
    assert ok(first, 201) == ok(again, 201) and again["Idempotent-Replayed"] == "true"
    assert SupplierInvoice.objects.count() == 1


def _queries(api, path: str, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get(path, params))
    return len(ctx), len(page["items"])


def test_the_lists_cost_the_same_for_3_and_30_rows(buyer_api, shop, goods):
    o, resistor, carton = goods

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            invoice_enter(
                actor=shop.buyer if i % 2 else shop.mate,
                data=invoice_body({"order_line": resistor.pk, "quantity": "1"}, fapiao=f"{10000000 + i}"),
            )

    add(3, 0)
    _queries(buyer_api, "/supplier-invoices", {})  # the token's first use writes its last-used time
    few = _queries(buyer_api, "/supplier-invoices", {"limit": 50})
    add(27, 3)
    many = _queries(buyer_api, "/supplier-invoices", {"limit": 50})
    assert few[1] == 3 and many[1] == 30
    assert many[0] == few[0] <= 8, (few, many)
    one = _queries(buyer_api, "/supplier-invoices/open-lines", {"supplier": shop.huaqiang.pk})
    for _ in range(3):
        received(shop)
    more = _queries(buyer_api, "/supplier-invoices/open-lines", {"supplier": shop.huaqiang.pk})
    assert one[1] == 2 and more[1] == 8 and more[0] == one[0] <= 8, (one, more)

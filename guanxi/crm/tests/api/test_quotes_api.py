"""/api/v1/quotes and /api/v1/orders: the same services as the pages — create with the totals, change a draft,
submit, send, revise, accept (the order), reject, the PDF; problem+json errors naming each line's field, 404
for what the caller may not see, 409 for a stale version, and a list whose cost does not grow with its rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.catalog.tests.factories import make_product
from guanxi.core.models import TaxRate
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Quote
from guanxi.crm.services import quotes

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def switch(world):
    make_company(
        name_zh="关系示范科技有限公司", name_en="Guanxi Demo", default_currency="CNY", is_default=True
    )
    vat13 = TaxRate.objects.get(code="vat13")
    prices = [{"currency": "CNY", "amount": "3999.99"}]
    return make_product(
        world.admin, "SW-48", "48口交换机", "48-port switch", tax_rate=vat13.pk, prices=prices
    )


@pytest.fixture
def rep_api(world, api_as):
    return api_as(world.rep)


def body(world, *lines, **data) -> dict:
    lines = lines or ({"description": "Installation", "quantity": "1", "unit_price": "800"},)
    return {"customer_id": world.huawei.pk, "lines": list(lines), **data}


def created(api, world, *lines, **data) -> dict:
    return ok(api.post("/quotes", body(world, *lines, **data)), 201)


def op(api, q: dict, name: str, status: int = 200, **extra) -> dict:
    return ok(api.post(f"/quotes/{q['id']}/{name}", {"version": q["version"], **extra}), status)


def test_create_answers_201_with_the_lines_and_totals(rep_api, world, switch):
    vat6 = TaxRate.objects.get(code="vat6")
    service = {"description": "安装调试服务", "unit_price": "800", "tax_rate_id": vat6.pk}
    q = created(rep_api, world, {"product_id": switch.pk, "quantity": "3", "discount_percent": "5"}, service)
    assert q["number"].startswith("QT-") and q["state"] == "draft" and q["version"] == 1
    assert q["customer"] == {"id": world.huawei.pk, "name": world.huawei.name} and q["currency"] == "CNY"
    assert q["owner"]["id"] == world.rep.pk and q["order_id"] is None and q["revision"] == 0
    totals = [D(q[k]) for k in ("net_total", "tax_total", "gross_total", "max_discount")]
    assert totals == [D("12199.97"), D("1530.00"), D("13729.97"), D(5)]
    first, second = q["lines"]
    assert first["description"] == "48-port switch" and D(first["unit_price"]) == D("3999.99")
    assert (D(first["net"]), D(first["tax"]), D(first["tax_percent"])) == (D("11399.97"), D("1482.00"), 13)
    assert second["product_id"] is None and (D(second["net"]), D(second["tax"])) == (800, 48)
    assert Quote.objects.get(pk=q["id"]).gross_total == D("13729.97")


def test_list_get_and_filters(api_as, rep_api, world, switch):
    a = created(rep_api, world, notes="first")
    b = created(rep_api, world)
    op(rep_api, b, "submit")
    west = created(api_as(world.rep_west), world, customer_id=world.west_co.pk)
    page = ok(rep_api.get("/quotes"))
    assert [x["id"] for x in page["items"]] == [b["id"], a["id"]] and page["next_cursor"] is None
    assert [x["id"] for x in ok(rep_api.get("/quotes", {"state": "approved"}))["items"]] == [b["id"]]
    assert [x["id"] for x in ok(rep_api.get("/quotes", {"q": a["number"]}))["items"]] == [a["id"]]
    assert ok(rep_api.get("/quotes", {"customer": world.west_co.pk}))["items"] == []
    two = ok(rep_api.get("/quotes", {"limit": 1}))
    assert len(two["items"]) == 1 and two["next_cursor"]
    rest = ok(rep_api.get("/quotes", {"limit": 1, "cursor": two["next_cursor"]}))
    assert [x["id"] for x in rest["items"]] == [a["id"]]
    assert ok(rep_api.get(f"/quotes/{a['id']}"))["notes"] == "first"
    assert [x["id"] for x in ok(api_as(world.admin).get("/quotes"))["items"]] == [
        west["id"],
        b["id"],
        a["id"],
    ]
    assert fields(problem(rep_api.get("/quotes", {"state": "nonsense"}), 422)) == {"state"}
    problem(api_as(world.buyer).get("/quotes"), 403)


def test_patch_a_draft_with_its_version(rep_api, world, switch):
    q = created(rep_api, world)
    # Every field of the line given (see the next test for a line that leaves some out).
    full = {
        "description": "",
        "unit_id": None,
        "unit_price": None,
        "discount_percent": "0",
        "tax_rate_id": None,
    }
    lines = [{**full, "product_id": switch.pk, "quantity": "2"}]
    q = ok(rep_api.patch(f"/quotes/{q['id']}", {"version": 1, "lines": lines, "notes": "Net 30"}))
    assert q["version"] == 2 and q["notes"] == "Net 30" and D(q["gross_total"]) == D("9039.98")
    stale = problem(rep_api.patch(f"/quotes/{q['id']}", {"version": 1, "notes": "late"}), 409)
    assert stale["status"] == 409 and Quote.objects.get(pk=q["id"]).notes == "Net 30"
    problem(rep_api.post(f"/quotes/{q['id']}/submit", {"version": 1}), 409)
    q = op(rep_api, q, "submit")
    assert q["state"] == "approved"
    refused = problem(rep_api.patch(f"/quotes/{q['id']}", {"version": q["version"], "notes": "x"}), 422)
    assert fields(refused) == {"state"}


def test_patch_lines_with_only_the_fields_that_matter(rep_api, world, switch):
    q = created(rep_api, world)
    resp = rep_api.patch(
        f"/quotes/{q['id']}", {"version": 1, "lines": [{"product_id": switch.pk, "quantity": "2"}]}
    )
    assert D(ok(resp)["gross_total"]) == D("9039.98")


def test_send_revise_reject_and_accept(rep_api, world, switch, django_capture_on_commit_callbacks):
    q = created(rep_api, world, {"product_id": switch.pk, "quantity": "3", "discount_percent": "5"})
    assert fields(problem(rep_api.post(f"/quotes/{q['id']}/send", {"version": 1}), 422)) == {"state"}
    q = op(rep_api, q, "submit")
    bad = rep_api.post(f"/quotes/{q['id']}/send", {"version": q["version"], "email": "nobody"})
    assert fields(problem(bad, 422)) == {"email"}
    with django_capture_on_commit_callbacks(execute=True):
        q = op(rep_api, q, "send", email="buyer@huawei.example")
    assert q["state"] == "sent" and q["sent_to"] == "buyer@huawei.example" and q["sent_at"]
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0] == f"{q['number']}.pdf"
    r1 = op(rep_api, q, "revise", 201)
    assert r1["number"] == f"{q['number']}-R1" and r1["state"] == "draft" and r1["revision"] == 1
    assert [x["net"] for x in r1["lines"]] == [x["net"] for x in q["lines"]]
    assert ok(rep_api.get(f"/quotes/{q['id']}"))["state"] == "superseded"
    r1 = op(rep_api, op(rep_api, r1, "submit"), "send")
    rejected = op(rep_api, r1, "reject")
    assert rejected["state"] == "rejected"
    problem(rep_api.post(f"/quotes/{r1['id']}/accept", {"version": rejected["version"]}), 422)
    r2 = op(rep_api, op(rep_api, op(rep_api, rejected, "revise", 201), "submit"), "send")
    order = op(rep_api, r2, "accept", 201)
    assert (
        order["number"].startswith("SO") and order["state"] == "confirmed" and order["quote_id"] == r2["id"]
    )
    for k in ("net_total", "tax_total", "gross_total"):
        assert D(order[k]) == D(r2[k])
    assert [(x["description"], x["net"]) for x in order["lines"]] == [
        (x["description"], x["net"]) for x in r2["lines"]
    ]
    assert ok(rep_api.get(f"/orders/{order['id']}")) == order
    after = ok(rep_api.get(f"/quotes/{r2['id']}"))
    assert after["state"] == "accepted" and after["order_id"] == order["id"]


def test_the_pdf(rep_api, world, switch):
    q = created(rep_api, world, {"product_id": switch.pk})
    resp = rep_api.get(f"/quotes/{q['id']}/pdf", {"lang": "zh-hans"})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF") and f"{q['number']}.pdf" in resp["Content-Disposition"]
    assert fields(problem(rep_api.get(f"/quotes/{q['id']}/pdf", {"lang": "fr"}), 422)) == {"lang"}


def test_field_errors_name_the_line(rep_api, world, switch):
    part = make_product(world.admin, "P-1", name_en="Spare part", can_sell=False, can_buy=True)
    resp = rep_api.post("/quotes", body(world, {"description": "Cable", "quantity": "0", "unit_price": "1"}))
    assert {f.replace(".0.", "[0].") for f in fields(problem(resp, 422))} == {"lines[0].quantity"}
    lines = [{"description": "", "unit_price": "1"}, {"product_id": part.pk}, {"product_id": switch.pk}]
    resp = rep_api.post("/quotes", body(world, *lines, currency="USD"))
    assert fields(problem(resp, 422)) == {"lines[0].description", "lines[1].product", "lines[2].unit_price"}
    assert fields(problem(rep_api.post("/quotes", body(world, customer_id=world.west_co.pk)), 422)) == {
        "customer"
    }
    assert "lines" in fields(problem(rep_api.post("/quotes", {**body(world), "lines": []}), 422))
    assert not Quote.objects.exists()


@pytest.mark.xfail(
    strict=True, reason="BUG: schema errors say lines.0.quantity, the service's lines[0].description"
)
def test_a_line_field_is_named_one_way(rep_api, world, switch):
    schema = fields(problem(rep_api.post("/quotes", body(world, {"description": "x", "quantity": "0"})), 422))
    service = fields(
        problem(rep_api.post("/quotes", body(world, {"description": "", "unit_price": "1"})), 422)
    )
    assert {f.rsplit(".", 1)[0] for f in schema} == {f.rsplit(".", 1)[0] for f in service}


def test_an_amount_too_large_is_refused(rep_api, world, switch):
    line = {"description": "Everything", "quantity": "999999999", "unit_price": "9999999999999"}
    problem(rep_api.post("/quotes", body(world, line)), 422)


def test_what_the_caller_may_not_see_is_a_404(api_as, rep_api, world, switch):
    q = created(rep_api, world)
    sent = op(rep_api, op(rep_api, q, "submit"), "send")
    order = op(rep_api, sent, "accept", 201)
    other = created(rep_api, world)
    west = api_as(world.rep_west)
    v = {"version": 1}
    for resp in (
        west.get(f"/quotes/{q['id']}"),
        west.patch(f"/quotes/{other['id']}", v),
        west.get(f"/quotes/{q['id']}/pdf"),
        west.get(f"/orders/{order['id']}"),
        rep_api.get("/quotes/987654"),
        rep_api.get("/orders/987654"),
        *(
            west.post(f"/quotes/{other['id']}/{name}", v)
            for name in ("submit", "send", "revise", "accept", "reject")
        ),
    ):
        problem(resp, 404)
    assert ok(west.get("/quotes"))["items"] == []
    boss = api_as(world.executive)
    assert ok(boss.get(f"/orders/{order['id']}"))["id"] == order["id"]
    problem(boss.patch(f"/quotes/{other['id']}", v), 403)
    problem(boss.post(f"/quotes/{other['id']}/submit", v), 403)
    problem(boss.post("/quotes", body(world)), 403)
    assert Quote.objects.get(pk=other["id"]).state == "draft"


def _list_queries(api) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get("/quotes", {"limit": 50}))
    return len(ctx), len(page["items"])


def test_the_list_costs_the_same_for_5_and_25_quotes(rep_api, world, switch):
    def add(n):
        for _ in range(n):
            q = quotes.quote_create(
                actor=world.rep, data={"customer": world.huawei.pk, "lines": body(world)["lines"] * 2}
            )
            quotes.quote_submit(actor=world.rep, quote=q, version=q.version)

    add(5)
    _list_queries(rep_api)  # the token's first use of the run writes its last-used time: not the list's cost
    few = _list_queries(rep_api)
    add(20)
    many = _list_queries(rep_api)
    assert few[1] == 5 and many[1] == 25
    assert many[0] == few[0], (few, many)

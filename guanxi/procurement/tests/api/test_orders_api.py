"""/api/v1/purchase-orders: the same services as the pages — create priced from the supplier's price information,
edit a draft, submit (approved at once under 10,000 CNY, otherwise by a Procurement Manager through the approvals
API), send, the supplier's confirmation, change orders with their revisions, cancel, close; problem+json naming
each field, 404 for what the caller may not see, 403 for what he sees but may not change, 409 for a stale
version, an Idempotency-Key honoured, and a list whose cost does not grow with its rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core import roles as R
from guanxi.core.models import ApprovalRequest
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.procurement.models import PurchaseOrder
from guanxi.procurement.services import orders
from guanxi.procurement.services.prices import supplier_price_record

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2031, 3, 2)


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def line(product=None, **extra) -> dict:
    return {**({"product_id": product.pk} if product else {}), **extra}


def created(api, supplier, *lines, status=201, **data) -> dict:
    lines = lines or ({"description": "Packing service", "quantity": "1", "unit_price": "100"},)
    return ok(
        api.post("/purchase-orders", {"supplier_id": supplier.pk, "lines": list(lines), **data}), status
    )


def op(api, o: dict, name: str, status: int = 200, **extra) -> dict:
    return ok(api.post(f"/purchase-orders/{o['id']}/{name}", {"version": o["version"], **extra}), status)


def refused(resp, status: int = 422) -> set[str]:
    """The fields a problem response names."""
    return fields(problem(resp, status))


def post(api, o: dict, name: str, **extra):
    """The raw answer to an operation on the order (default: with its version)."""
    return api.post(f"/purchase-orders/{o['id']}/{name}", {"version": o["version"], **extra})


def approve(api, o: dict) -> None:
    """A Procurement Manager approves the order's waiting request through core's approvals API."""
    inbox = ok(api.get("/approvals/inbox"))["items"]
    req = next(
        x
        for x in inbox
        if x["document_type"] == "procurement.purchaseorder" and x["document_id"] == str(o["id"])
    )
    ok(api.post(f"/approvals/{req['id']}/approve", {"comment": "同意"}))


def test_create_prices_lines_from_the_suppliers_price_information(buyer_api, shop):
    supplier_price_record(
        actor=shop.buyer,
        data={
            "supplier": shop.huaqiang.pk,
            "product": shop.resistor.pk,
            "unit_price": "0.05",
            "supplier_code": "HQ-R10K",
            "breaks": [{"min_quantity": "5000", "unit_price": "0.04"}],
        },
    )
    o = created(
        buyer_api,
        shop.huaqiang,
        line(shop.resistor, quantity="10000", requested_date=DAY.isoformat()),
        line(shop.resistor, quantity="100"),
        {"description": "Freight", "unit_price": "20", "supplier_code": "FRT"},
        contact_id=shop.wang.pk,
        payment_terms="月结30天",
    )
    assert o["number"].startswith("PO") and o["state"] == "draft" and o["version"] == 1
    assert o["supplier"] == {"id": shop.huaqiang.pk, "name": shop.huaqiang.name} and o["currency"] == "CNY"
    assert o["owner"]["id"] == shop.buyer.pk and o["team"] == {"id": shop.east.pk, "name": shop.east.name}
    assert o["contact_id"] == shop.wang.pk and o["payment_terms"] == "月结30天" and o["revisions"] == []
    big, small, freight = o["lines"]
    assert D(big["unit_price"]) == D("0.04") and D(small["unit_price"]) == D("0.05")  # the break, the base
    assert (
        big["supplier_code"] == "HQ-R10K" and big["supplier_price_id"] and freight["supplier_code"] == "FRT"
    )
    assert big["requested_date"] == DAY.isoformat() and big["first_confirmed_date"] is None
    assert D(big["tax_percent"]) == 13 and D(big["net"]) == 400 and D(big["tax"]) == 52
    assert D(big["open_quantity"]) == 10000 and D(big["received_quantity"]) == 0
    assert [D(o[k]) for k in ("net_total", "tax_total", "gross_total")] == [
        425,
        D("52.65"),
        D("477.65"),
    ]  # freight: no VAT
    assert ok(buyer_api.get(f"/purchase-orders/{o['id']}")) == o


def test_a_small_order_from_submit_to_close(buyer_api, shop, django_capture_on_commit_callbacks):
    o = created(buyer_api, shop.huaqiang, line(shop.resistor, quantity="1000", unit_price="0.05"))
    assert refused(post(buyer_api, o, "send")) == {"state"}
    o = op(buyer_api, o, "submit")
    assert o["state"] == "approved" and D(o["approved_total"]) == D("56.5")  # under 10,000 CNY: no approval
    with django_capture_on_commit_callbacks(execute=True):
        o = op(buyer_api, o, "send", email="sales@huaqiang.example")
    assert o["state"] == "sent" and o["sent_to"] == "sales@huaqiang.example" and o["sent_at"]
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0] == f"{o['number']}.pdf"
    line_id = o["lines"][0]["id"]
    acknowledged = "2031-02-20T09:30:00+08:00"
    o = op(buyer_api, o, "confirm", dates={str(line_id): DAY.isoformat()}, acknowledged_at=acknowledged)
    assert o["state"] == "confirmed" and o["acknowledged_at"].startswith("2031-02-20T01:30:00")
    assert (o["lines"][0]["first_confirmed_date"], o["lines"][0]["planned_date"]) == (DAY.isoformat(),) * 2
    later = DAY + dt.timedelta(days=7)
    o = op(buyer_api, o, "confirm", dates={str(line_id): later.isoformat()})
    got = o["lines"][0]
    assert (got["first_confirmed_date"], got["planned_date"]) == (DAY.isoformat(), later.isoformat())
    assert refused(post(buyer_api, o, "close")) == {
        "reason"
    }  # nothing received yet: short only with a reason
    o = op(buyer_api, o, "close", reason="供应商停产")
    assert o["state"] == "closed" and o["close_reason"] == "供应商停产" and o["closed_at"]
    assert refused(post(buyer_api, o, "cancel")) == {"state"}


def test_a_large_order_waits_for_a_procurement_manager(buyer_api, shop, api_as):
    o = created(buyer_api, shop.preferred, line(shop.carton, quantity="1000", unit_price="10"))
    o = op(buyer_api, o, "submit")
    assert o["state"] == "pending" and o["approved_total"] is None and D(o["gross_total"]) == 11300
    assert ok(buyer_api.get("/approvals/inbox"))["items"] == []  # never the buyer who asks
    assert refused(post(buyer_api, o, "send")) == {"state"}
    approve(api_as(shop.pm), o)
    o = ok(buyer_api.get(f"/purchase-orders/{o['id']}"))
    assert o["state"] == "approved" and D(o["approved_total"]) == 11300
    assert op(buyer_api, o, "send")["state"] == "sent"


def test_a_change_order_above_the_approved_total_is_approved_again(buyer_api, shop, api_as):
    o = created(buyer_api, shop.huaqiang, line(shop.carton, quantity="100", unit_price="10"))
    o = op(buyer_api, op(buyer_api, o, "submit"), "send")
    first = o["lines"][0]
    o = op(buyer_api, o, "confirm", dates={str(first["id"]): DAY.isoformat()})
    bigger = {**line(shop.carton, quantity="1000", unit_price="10"), "id": first["id"]}
    extra = line(shop.resistor, quantity="500", unit_price="0.05", planned_date="2031-04-01")
    o = op(buyer_api, o, "change", reason="客户加单", lines=[bigger, extra])
    assert o["state"] == "pending" and o["revision"] == 1 and D(o["gross_total"]) == D("11328.25")
    kept, new = o["lines"]
    assert (kept["first_confirmed_date"], kept["planned_date"]) == (DAY.isoformat(), DAY.isoformat())
    assert (new["first_confirmed_date"], new["planned_date"]) == (None, "2031-04-01")
    (rev,) = o["revisions"]
    assert rev["revision"] == 1 and rev["reason"] == "客户加单" and D(rev["gross_total"]) == 1130
    assert rev["created_by"]["id"] == shop.buyer.pk and rev["snapshot"]["state"] == "confirmed"
    approve(api_as(shop.pm), o)
    o = ok(buyer_api.get(f"/purchase-orders/{o['id']}"))
    assert o["state"] == "confirmed" and D(o["approved_total"]) == D("11328.25")  # back where it was
    moved = {**kept, "first_confirmed_date": "2031-03-09"}
    change = {k: moved[k] for k in ("id", "product_id", "quantity", "unit_price", "first_confirmed_date")}
    o = op(buyer_api, o, "change", reason="供应商延期", lines=[change])
    assert o["state"] == "confirmed" and o["revision"] == 2  # a lower total: no approval
    assert o["lines"][0]["first_confirmed_date"] == "2031-03-09"
    assert [r["revision"] for r in o["revisions"]] == [2, 1]


def test_cancel_a_draft_a_waiting_and_a_sent_order(buyer_api, shop):
    draft = created(buyer_api, shop.huaqiang)
    assert op(buyer_api, draft, "cancel")["state"] == "cancelled"
    waiting = op(
        buyer_api,
        created(buyer_api, shop.preferred, line(shop.carton, quantity="1000", unit_price="10")),
        "submit",
    )
    cancelled = op(buyer_api, waiting, "cancel")
    assert cancelled["state"] == "cancelled" and cancelled["cancelled_at"]
    assert _request_of(waiting).status == "cancelled"  # withdrawn
    sent = op(buyer_api, op(buyer_api, created(buyer_api, shop.huaqiang), "submit"), "send")
    assert refused(post(buyer_api, sent, "cancel")) == {"reason"}
    assert op(buyer_api, sent, "cancel", reason="重复下单")["close_reason"] == "重复下单"


def _request_of(o: dict) -> ApprovalRequest:
    """The order's latest approval request."""
    found = ApprovalRequest.objects.filter(document_type="procurement.purchaseorder", object_id=str(o["id"]))
    return found.latest("id")


def test_a_colleague_cancels_a_waiting_order_and_the_approver_sees_it_no_more(buyer_api, shop, api_as):
    big = line(shop.carton, quantity="1000", unit_price="10")
    waiting = op(buyer_api, created(buyer_api, shop.preferred, big), "submit")
    assert len(ok(api_as(shop.pm).get("/approvals/inbox"))["items"]) == 1
    assert op(api_as(shop.mate), waiting, "cancel")["state"] == "cancelled"  # the same team: his to change
    assert _request_of(waiting).status == "cancelled"
    assert ok(api_as(shop.pm).get("/approvals/inbox"))["items"] == []


def test_cancelling_a_waiting_change_order_ends_its_request(buyer_api, shop, api_as):
    small = created(buyer_api, shop.huaqiang, line(shop.carton, quantity="10", unit_price="10"))
    o = op(buyer_api, op(buyer_api, small, "submit"), "send")
    o = op(buyer_api, o, "change", reason="加量", lines=[line(shop.carton, quantity="1000", unit_price="10")])
    assert o["state"] == "pending" and D(o["gross_total"]) == 11300
    o = op(buyer_api, o, "cancel", reason="不再需要")
    assert (
        o["state"] == "cancelled" and o["revision"] == len(o["revisions"]) and o["close_reason"] == "不再需要"
    )
    assert D(o["gross_total"]) == sum(D(x["gross"]) for x in o["lines"])  # the totals are the lines' own
    assert _request_of(o).status == "cancelled" and ok(api_as(shop.pm).get("/approvals/inbox"))["items"] == []


def test_patch_a_draft_with_its_version(buyer_api, shop):
    o = created(buyer_api, shop.huaqiang)
    lines = [line(shop.resistor, quantity="2000", unit_price="0.05")]
    o = ok(buyer_api.patch(f"/purchase-orders/{o['id']}", {"version": 1, "lines": lines, "notes": "含税价"}))
    assert o["version"] == 2 and o["notes"] == "含税价" and D(o["gross_total"]) == 113
    o = ok(buyer_api.patch(f"/purchase-orders/{o['id']}", {"version": 2, "contact_id": shop.wang.pk}))
    assert o["contact_id"] == shop.wang.pk and o["notes"] == "含税价" and len(o["lines"]) == 1
    o = ok(buyer_api.patch(f"/purchase-orders/{o['id']}", {"version": 3, "contact_id": None}))
    assert o["contact_id"] is None
    stale = problem(buyer_api.patch(f"/purchase-orders/{o['id']}", {"version": 1, "notes": "late"}), 409)
    assert stale["status"] == 409 and PurchaseOrder.objects.get(pk=o["id"]).notes == "含税价"
    refused(post(buyer_api, {**o, "version": 1}, "submit"), 409)
    o = op(buyer_api, o, "submit")
    assert refused(
        buyer_api.patch(f"/purchase-orders/{o['id']}", {"version": o["version"], "notes": "x"})
    ) == {"state"}


def test_suppliers_and_products_that_may_not_be_ordered(buyer_api, shop):
    def create(supplier_id: int, *lines: dict):
        return buyer_api.post("/purchase-orders", {"supplier_id": supplier_id, "lines": list(lines)})

    for party in (shop.blocked, shop.candidate):
        answer = problem(create(party.pk, line(shop.resistor, unit_price="1")), 422)
        assert fields(answer) == {"supplier"} and party.name in answer["errors"][0]["message"]
    bad = [line(shop.sold_only, unit_price="1"), line(unit_price="1", product_id=987654), line(shop.carton)]
    assert refused(create(shop.huaqiang.pk, *bad)) == {
        "lines[0].product",
        "lines[1].product",
        "lines[2].unit_price",
    }
    negative = {"description": "Cable", "quantity": "-1", "unit_price": "1"}
    assert refused(create(shop.huaqiang.pk, negative)) == {"lines.0.quantity"}
    assert "lines" in refused(create(shop.huaqiang.pk))
    assert refused(create(0, negative)) >= {"supplier_id"}
    assert not PurchaseOrder.objects.exists()


def test_an_approved_order_is_not_sent_to_a_supplier_blocked_since(buyer_api, shop):
    o = op(buyer_api, created(buyer_api, shop.huaqiang), "submit")
    party_set_supplier_status(actor=shop.admin, party=shop.huaqiang, status="blocked")
    assert refused(post(buyer_api, o, "send")) == {"supplier"}


def test_confirm_and_change_refuse_what_does_not_belong(buyer_api, shop):
    other = created(buyer_api, shop.huaqiang)
    o = op(buyer_api, op(buyer_api, created(buyer_api, shop.huaqiang), "submit"), "send")
    foreign = str(other["lines"][0]["id"])
    assert refused(post(buyer_api, o, "confirm", dates={foreign: "2031-03-02"})) == {f"dates.{foreign}"}
    assert refused(post(buyer_api, o, "confirm", dates={})) == {"dates"}
    not_an_id = refused(post(buyer_api, o, "confirm", dates={"x": "2031-03-02"}))
    assert {f.split(".")[:2] == ["dates", "x"] for f in not_an_id} == {True}
    mine = {str(o["lines"][0]["id"]): "2031-03-02"}
    naive = post(buyer_api, o, "confirm", dates=mine, acknowledged_at="2031-03-01T10:00:00")
    assert refused(naive) == {"acknowledged_at"}
    lines = [line(shop.resistor, quantity="10", unit_price="1")]
    assert refused(post(buyer_api, o, "change", reason=" ", lines=lines)) == {"reason"}
    assert refused(post(buyer_api, o, "change", lines=lines)) == {"reason"}
    assert refused(post(buyer_api, other, "change", reason="x", lines=lines)) == {"state"}
    refused(post(buyer_api, {**o, "version": o["version"] + 5}, "confirm", dates=mine), 409)
    assert PurchaseOrder.objects.get(pk=o["id"]).state == "sent"


def test_who_sees_and_who_changes(buyer_api, shop, api_as, make_user):
    o = created(buyer_api, shop.huaqiang)
    url, v = f"/purchase-orders/{o['id']}", {"version": 1}
    rep = api_as(shop.rep)
    for resp in (
        rep.get("/purchase-orders"),
        rep.get(url),
        rep.post(
            "/purchase-orders",
            {"supplier_id": shop.huaqiang.pk, "lines": [line(unit_price="1", description="x")]},
        ),
        rep.post(f"{url}/submit", v),
    ):
        problem(resp, 403)
    boss = api_as(shop.executive)
    assert ok(boss.get(url))["id"] == o["id"] and [
        x["id"] for x in ok(boss.get("/purchase-orders"))["items"]
    ] == [o["id"]]
    problem(boss.patch(url, v), 403)
    problem(boss.post(f"{url}/submit", v), 403)
    west = api_as(shop.buyer_west)
    assert ok(west.get("/purchase-orders"))["items"] == []
    for resp in (
        west.get(url),
        west.patch(url, v),
        west.post(f"{url}/submit", v),
        west.get("/purchase-orders/987654"),
    ):
        problem(resp, 404)
    # A buyer in both teams orders for East; West's buyer sees it (bought by a West member), may not change it.
    lead = make_user("lead", roles=[R.BUYER], teams=[shop.east, shop.west])
    theirs = created(api_as(lead), shop.huaqiang)
    assert ok(west.get(f"/purchase-orders/{theirs['id']}"))["team"]["id"] == shop.east.pk
    denied = problem(west.post(f"/purchase-orders/{theirs['id']}/submit", v), 403)
    assert "not change" in denied["title"]
    read_only = api_as(shop.buyer, scope="read")
    problem(read_only.post(f"{url}/submit", v), 403)
    assert (
        PurchaseOrder.objects.get(pk=o["id"]).state
        == PurchaseOrder.objects.get(pk=theirs["id"]).state
        == "draft"
    )


def test_list_filters_and_pages(buyer_api, shop, api_as):
    a = created(buyer_api, shop.huaqiang, ordered_on="2031-01-05")
    b = op(buyer_api, created(buyer_api, shop.preferred, ordered_on="2031-01-06"), "submit")
    c = created(api_as(shop.mate), shop.huaqiang, ordered_on="2031-01-04")
    ids = lambda **q: [x["id"] for x in ok(buyer_api.get("/purchase-orders", q))["items"]]  # noqa: E731
    assert ids() == [b["id"], a["id"], c["id"]]
    assert ids(state="open") == ids(state="approved") == [b["id"]]
    assert ids(state="draft", supplier=shop.huaqiang.pk) == [a["id"], c["id"]]
    assert (
        ids(owner="me") == [b["id"], a["id"]]
        and ids(q=a["number"]) == [a["id"]]
        and ids(q="东莞") == [b["id"]]
    )
    first = ok(buyer_api.get("/purchase-orders", {"limit": 2}))
    assert [x["id"] for x in first["items"]] == [b["id"], a["id"]] and first["next_cursor"]
    rest = ok(buyer_api.get("/purchase-orders", {"limit": 2, "cursor": first["next_cursor"]}))
    assert (
        [x["id"] for x in rest["items"]] == [c["id"]] and rest["next_cursor"] is None and rest["prev_cursor"]
    )
    assert fields(problem(buyer_api.get("/purchase-orders", {"state": "lost"}), 422)) == {"state"}
    assert fields(problem(buyer_api.get("/purchase-orders", {"cursor": "nonsense"}), 422)) == {"cursor"}
    assert fields(problem(buyer_api.get("/purchase-orders", {"owner": "you"}), 422)) == {"owner"}
    assert fields(problem(buyer_api.get("/purchase-orders", {"q": "a\x00b"}), 422)) == {"q"}


def test_an_idempotency_key_creates_one_order(buyer_api, shop):
    key = {"Idempotency-Key": "po-2031-0001"}
    payload = {"supplier_id": shop.huaqiang.pk, "lines": [{"description": "Cable", "unit_price": "3"}]}
    first = buyer_api.post("/purchase-orders", payload, headers=key)
    again = buyer_api.post("/purchase-orders", payload, headers=key)
    assert ok(first, 201) == ok(again, 201) and again["Idempotent-Replayed"] == "true"
    assert PurchaseOrder.objects.count() == 1
    problem(buyer_api.post("/purchase-orders", {**payload, "notes": "other"}, headers=key), 422)


def _list_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get("/purchase-orders", {"limit": 50}))
    return len(ctx), len(page["items"])


def test_the_list_costs_the_same_for_1_and_20_orders(buyer_api, shop, api_as):
    def add(n: int) -> None:
        for i in range(n):
            o = orders.order_create(
                actor=shop.buyer if i % 2 else shop.mate,
                data={
                    "supplier": shop.huaqiang.pk,
                    "lines": [{"description": "Cable", "unit_price": "3"}] * 2,
                },
            )
            orders.order_submit(actor=o.owner, order=o, version=o.version)

    add(1)
    _list_queries(buyer_api)  # the token's first use writes its last-used time: not the list's cost
    few = _list_queries(buyer_api)
    add(19)
    many = _list_queries(buyer_api)
    assert few[1] == 1 and many[1] == 20
    assert many[0] == few[0], (few, many)

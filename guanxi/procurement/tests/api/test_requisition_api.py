"""/api/v1/requisitions: the same services as the pages — anyone who may request (a sales rep too) asks for
products or services, edits the draft, submits it: small ones are approved at once, larger ones wait for a
Procurement Manager through /api/v1/approvals (never the requester, a manager's own included); buyers combine
approved ones into one draft RFQ or purchase order, and a sourced requisition is never sourced again.
Problem+json naming each field, 404 for what the caller may not see, 403 for what he may not do, 409 for a stale
version, and a list whose cost does not grow with its rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core import roles as R
from guanxi.core.models import ApprovalRequest
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import Requisition
from guanxi.procurement.services import requisitions as svc

from .settlement_support import approval_of, in_inbox, rules

pytestmark = pytest.mark.django_db
D = Decimal
DOC = "procurement.requisition"
SOON = (timezone.localdate() + dt.timedelta(days=10)).isoformat()


@pytest.fixture
def shop_rules(shop):
    rules()
    return shop


def body(shop, qty="100", price="2", product=None, **extra) -> dict:
    line = {"product": (product or shop.carton).pk, "quantity": qty, "estimated_price": price}
    return {"needed_by": SOON, "justification": "样品生产需要", "lines": [line], **extra}


def ask(api, shop, status=201, **extra):
    resp = api.post("/requisitions", body(shop, **extra))
    return ok(resp, status) if status < 400 else fields(problem(resp, status))


def op(api, r: dict, name: str, status: int = 200, **extra):
    resp = api.post(f"/requisitions/{r['id']}/{name}", {"version": r["version"], **extra})
    return ok(resp, status) if status < 400 else fields(problem(resp, status))


def approved(shop, who, **kw) -> Requisition:
    req = svc.requisition_create(actor=who, data=body(shop, **kw))
    return svc.requisition_submit(actor=who, requisition=req, version=req.version)


def test_a_rep_asks_edits_and_a_small_one_is_approved_at_once(shop_rules, api_as):
    shop = shop_rules
    rep = api_as(shop.rep)
    r = ask(rep, shop, cost_centre="销售部")
    assert r["number"].startswith("PR") and r["state"] == "draft" and r["version"] == 1
    assert r["requester"]["id"] == shop.rep.pk and r["team"]["id"] == shop.east.pk and r["supplier"] is None
    assert D(r["estimated_total"]) == 200 and r["cost_centre"] == "销售部" and r["currency"] == "CNY"
    (line,) = r["lines"]
    assert line["product_id"] == shop.carton.pk and line["description"] == shop.carton.name
    assert line["unit_id"] and line["rfq"] is None and line["purchase_order"] is None
    assert ok(rep.get(f"/requisitions/{r['id']}")) == r
    url = f"/requisitions/{r['id']}"
    lines = [{"description": "展会物料印刷", "quantity": "2", "estimated_price": "150"}]
    r = ok(rep.patch(url, {"version": 1, "lines": lines, "justification": "展会"}))
    assert r["version"] == 2 and D(r["estimated_total"]) == 300 and r["justification"] == "展会"
    assert r["cost_centre"] == "销售部" and r["lines"][0]["product_id"] is None
    assert fields(problem(rep.patch(url, {"version": 1, "cost_centre": "x"}), 409)) == set()
    r = op(rep, r, "submit")
    assert r["state"] == "approved" and r["decided_at"]  # under 5,000 CNY: no approval
    assert fields(problem(rep.patch(url, {"version": r["version"], "cost_centre": "x"}), 422)) == {"state"}
    assert op(rep, r, "submit", status=422) == {"state"}


def test_a_buyer_suggests_a_supplier_and_clears_it(shop_rules, api_as):
    shop = shop_rules
    buyer = api_as(shop.buyer)
    r = ask(buyer, shop, supplier=shop.huaqiang.pk)
    assert r["supplier"] == {"id": shop.huaqiang.pk, "name": shop.huaqiang.name}
    r = ok(buyer.patch(f"/requisitions/{r['id']}", {"version": r["version"], "supplier": None}))
    assert r["supplier"] is None and len(r["lines"]) == 1


def test_a_large_one_waits_for_a_manager_who_never_approves_his_own(shop_rules, api_as):
    shop = shop_rules
    rep, pm = api_as(shop.rep), api_as(shop.pm)
    r = op(rep, ask(rep, shop, qty="10000", price="3"), "submit")
    assert r["state"] == "pending" and not in_inbox(rep, DOC, r["id"])
    ok(pm.post(f"/approvals/{approval_of(pm, DOC, r['id'])['id']}/approve", {"comment": "同意"}))
    assert ok(rep.get(f"/requisitions/{r['id']}"))["state"] == "approved"
    mine = op(pm, ask(pm, shop, qty="10000", price="3"), "submit")
    assert mine["state"] == "pending" and not in_inbox(pm, DOC, mine["id"])
    request = ApprovalRequest.objects.get(document_type=DOC, object_id=str(mine["id"]))
    problem(pm.post(f"/approvals/{request.pk}/approve", {"comment": "自批"}), 403)
    assert ok(pm.get(f"/requisitions/{mine['id']}"))["state"] == "pending"
    other = api_as(shop.pm2)
    ok(other.post(f"/approvals/{approval_of(other, DOC, mine['id'])['id']}/reject", {"comment": "预算不足"}))
    assert ok(pm.get(f"/requisitions/{mine['id']}"))["state"] == "rejected"


def test_cancel_a_draft_a_waiting_and_an_approved_one(shop_rules, api_as):
    shop = shop_rules
    rep = api_as(shop.rep)
    assert op(rep, ask(rep, shop), "cancel")["state"] == "cancelled"
    waiting = op(rep, ask(rep, shop, qty="10000", price="3"), "submit")
    cancelled = op(rep, waiting, "cancel")
    assert cancelled["state"] == "cancelled" and op(rep, cancelled, "cancel", status=422) == {"state"}
    assert ApprovalRequest.objects.get(document_type=DOC, object_id=str(waiting["id"])).status == "cancelled"
    assert not in_inbox(api_as(shop.pm), DOC, waiting["id"])
    r = op(rep, ask(rep, shop), "submit")
    assert op(rep, {**r, "version": 1}, "cancel", status=409) == set()
    assert op(rep, r, "cancel")["state"] == "cancelled"


def test_bad_input_names_each_field(shop_rules, api_as):
    shop = shop_rules
    rep = api_as(shop.rep)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert ask(rep, shop, status=422, needed_by=yesterday, justification="") == {"needed_by", "justification"}
    assert ask(rep, shop, status=422, product=shop.sold_only) == {"lines[0].product"}
    assert ask(rep, shop, status=422, qty="-2") == {"lines.0.quantity"}
    assert ask(rep, shop, status=422, price="1.1234567") == {"lines.0.estimated_price"}
    assert ask(rep, shop, status=422, supplier=987654) == {"supplier"}
    assert ask(rep, shop, status=422, currency="XXX") == {"currency"}
    assert ask(rep, shop, status=422, colour="red") == {"colour"}
    assert "lines" in ask(rep, shop, status=422, lines=[])
    text = {"description": " ", "quantity": "1", "unit": 987654}
    assert ask(rep, shop, status=422, lines=[text]) == {"lines[0].description", "lines[0].unit"}
    assert "needed_by" in fields(problem(rep.post("/requisitions", {"justification": "x", "lines": []}), 422))
    assert not Requisition.objects.exists()


def test_who_sees_and_who_changes(shop_rules, api_as, make_user):
    shop = shop_rules
    rep = api_as(shop.rep)
    r = ask(rep, shop)
    url, v = f"/requisitions/{r['id']}", {"version": r["version"]}
    other = api_as(make_user("other_rep", roles=[R.SALES_REP], teams=[shop.east]))
    assert ok(other.get("/requisitions"))["items"] == []
    for resp in (
        other.get(url),
        other.patch(url, v),
        other.post(f"{url}/submit", v),
        other.post(f"{url}/cancel", v),
    ):
        problem(resp, 404)
    buyer = api_as(shop.buyer)  # sees every requisition, changes none of others'
    assert ok(buyer.get(url))["id"] == r["id"] and [
        x["id"] for x in ok(buyer.get("/requisitions"))["items"]
    ] == [r["id"]]
    for resp in (buyer.patch(url, v), buyer.post(f"{url}/submit", v), buyer.post(f"{url}/cancel", v)):
        assert "requester" in problem(resp, 403)["title"]
    for path, extra in (("to-rfq", {}), ("to-order", {"supplier": shop.huaqiang.pk})):
        problem(rep.post(f"/requisitions/{path}", {"requisitions": [r["id"]], **extra}), 403)
    problem(api_as(shop.rep, scope="read").post(f"{url}/submit", v), 403)
    boss = api_as(shop.executive)  # anyone may request
    assert ask(boss, shop)["requester"]["id"] == shop.executive.pk
    assert [x["requester"]["id"] for x in ok(boss.get("/requisitions"))["items"]] == [shop.executive.pk]
    assert Requisition.objects.get(pk=r["id"]).state == "draft"


def test_buyers_combine_approved_ones_into_an_rfq_or_an_order(shop_rules, api_as):
    shop = shop_rules
    a, b = approved(shop, shop.rep, qty="100"), approved(shop, shop.executive, qty="50")
    c = approved(shop, shop.rep, qty="10", price="5", product=shop.resistor)
    draft = svc.requisition_create(actor=shop.rep, data=body(shop))
    buyer = api_as(shop.buyer)
    made = ok(buyer.post("/requisitions/to-rfq", {"requisitions": [a.pk, b.pk], "title": "纸箱 2031"}), 201)
    assert made["kind"] == "rfq" and made["number"].startswith("RFQ")
    assert {x["id"] for x in made["requisitions"]} == {a.pk, b.pk}
    assert {x["state"] for x in made["requisitions"]} == {"sourced"}
    rfq = ok(buyer.get(f"/rfqs/{made['id']}"))
    assert rfq["title"] == "纸箱 2031" and [D(x["quantity"]) for x in rfq["lines"]] == [150]  # added up
    assert ok(buyer.get(f"/requisitions/{a.pk}"))["lines"][0]["rfq"] == {
        "id": made["id"],
        "number": made["number"],
    }
    again = problem(
        buyer.post("/requisitions/to-order", {"requisitions": [a.pk], "supplier": shop.huaqiang.pk}), 422
    )
    assert fields(again) == {"requisitions"} and a.number in again["errors"][0]["message"]
    assert fields(problem(buyer.post("/requisitions/to-rfq", {"requisitions": [draft.pk]}), 422)) == {
        "requisitions"
    }
    assert fields(problem(buyer.post("/requisitions/to-order", {"requisitions": [c.pk]}), 422)) == {
        "supplier"
    }
    assert fields(problem(buyer.post("/requisitions/to-rfq", {"requisitions": []}), 422)) == {"requisitions"}
    order = ok(
        buyer.post("/requisitions/to-order", {"requisitions": [c.pk], "supplier": shop.huaqiang.pk}), 201
    )
    assert order["kind"] == "purchase_order" and order["requisitions"][0]["state"] == "sourced"
    po = ok(buyer.get(f"/purchase-orders/{order['id']}"))
    assert (
        po["state"] == "draft"
        and po["supplier"]["id"] == shop.huaqiang.pk
        and D(po["lines"][0]["unit_price"]) == 5
    )
    line = ok(buyer.get(f"/requisitions/{c.pk}"))["lines"][0]
    assert line["purchase_order"] == {"id": order["id"], "number": order["number"]} and line["rfq"] is None
    assert op(api_as(shop.rep), ok(buyer.get(f"/requisitions/{c.pk}")), "cancel", status=422) == {"state"}


def test_list_filters_and_pages(shop_rules, api_as):
    shop = shop_rules
    rep, buyer = api_as(shop.rep), api_as(shop.buyer)
    a = ask(rep, shop, justification="打印纸")
    b = op(rep, ask(rep, shop), "submit")
    c = ask(buyer, shop)
    ids = lambda api, **q: [x["id"] for x in ok(api.get("/requisitions", q))["items"]]  # noqa: E731
    assert ids(rep) == [b["id"], a["id"]] and ids(buyer) == [c["id"], b["id"], a["id"]]
    assert ids(buyer, mine=True) == [c["id"]] and ids(buyer, state="approved") == [b["id"]]
    assert ids(buyer, q="打印") == [a["id"]] and ids(buyer, q=c["number"]) == [c["id"]]
    first = ok(buyer.get("/requisitions", {"limit": 2}))
    assert [x["id"] for x in first["items"]] == [c["id"], b["id"]] and first["next_cursor"]
    rest = ok(buyer.get("/requisitions", {"limit": 2, "cursor": first["next_cursor"]}))
    assert [x["id"] for x in rest["items"]] == [a["id"]] and rest["next_cursor"] is None
    assert fields(problem(buyer.get("/requisitions", {"state": "lost"}), 422)) == {"state"}
    assert fields(problem(buyer.get("/requisitions", {"mine": "perhaps"}), 422)) == {"mine"}
    assert fields(problem(buyer.get("/requisitions", {"cursor": "x"}), 422)) == {"cursor"}
    problem(buyer.get("/requisitions/987654"), 404)


def _queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get("/requisitions", {"limit": 50}))
    return len(ctx), len(page["items"])


def test_the_list_costs_the_same_for_3_and_30_requisitions(shop_rules, api_as):
    shop = shop_rules
    people = [shop.rep, shop.executive, shop.pm]

    def add(n: int) -> None:
        for i in range(n):
            svc.requisition_create(actor=people[i % 3], data=body(shop, supplier=None))

    buyer = api_as(shop.buyer)
    add(3)
    _queries(buyer)  # the token's first use writes its last-used time: not the list's cost
    few = _queries(buyer)
    add(27)
    many = _queries(buyer)
    assert few[1] == 3 and many[1] == 30
    assert many[0] == few[0] <= 8, (few, many)

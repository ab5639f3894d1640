"""/api/v1 receivables: an order's receivable, its plan, collections and fapiao requests, issuing a fapiao and
the list of orders with money to come (cursor-paged); 404 for what the caller may not see, 403 for read-only
roles and read-only tokens, problem+json 422 for what the services refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Collection, FapiaoRequest, Instalment
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import receivables as rec


def day(n: int) -> str:
    return (dt.date.today() + dt.timedelta(days=n)).isoformat()


def make_order(actor, customer, amount="1000"):
    data = {
        "customer": customer.pk,
        "lines": [{"description": "服务", "quantity": "1", "unit_price": amount}],
    }
    q = quotes.quote_create(actor=actor, data=data)
    q = quotes.quote_submit(actor=actor, quote=q, version=q.version)
    q = quotes.quote_send(actor=actor, quote=q, version=q.version)
    return orders.quote_accept(actor=actor, quote=q, version=q.version)


@pytest.fixture
def order(world):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    return make_order(world.rep, world.huawei)


@pytest.fixture
def rep(world, api_as):
    return api_as(world.rep)


def test_the_receivable_of_an_order(world, order, rep):
    rec.plan_set(
        actor=world.rep,
        order=order,
        instalments=[{"due_date": day(-3), "amount": "300"}, {"due_date": day(30), "amount": "700"}],
    )
    rec.collection_record(actor=world.rep, order=order, data={"amount": "100", "bank_reference": "TX-9"})
    data = ok(rep.get(f"/orders/{order.pk}/receivable"))
    assert (data["order_id"], data["number"], data["currency"]) == (order.pk, order.number, "CNY")
    amounts = [D(data[k]) for k in ("total", "planned", "collected", "open", "overdue", "not_invoiced")]
    assert amounts == [1000, 1000, 100, 900, 200, 1000]
    assert [(i["position"], i["due_date"], D(i["paid"])) for i in data["instalments"]] == [
        (1, day(-3), 100),
        (2, day(30), 0),
    ]
    assert [(D(c["amount"]), c["bank_reference"], c["method"]) for c in data["collections"]] == [
        (100, "TX-9", "transfer")
    ]


def test_put_the_plan(world, order, rep):
    body = {
        "instalments": [
            {"due_date": day(40), "amount": "600", "remind_days_before": 7},
            {"due_date": day(10), "amount": "400"},
        ]
    }
    data = ok(rep.put(f"/orders/{order.pk}/plan", body))
    assert [(i["due_date"], D(i["amount"]), i["remind_days_before"]) for i in data["instalments"]] == [
        (day(10), 400, 3),
        (day(40), 600, 7),
    ]
    assert D(data["planned"]) == 1000
    too_much = {"instalments": [{"due_date": day(1), "amount": "1000.01"}]}
    assert "instalments" in fields(problem(rep.put(f"/orders/{order.pk}/plan", too_much), 422))
    bad = {"instalments": [{"due_date": day(1), "amount": "0"}]}
    problem(rep.put(f"/orders/{order.pk}/plan", bad), 422)
    places = {"instalments": [{"due_date": day(1), "amount": "1.001"}]}
    assert "instalments[0].amount" in fields(problem(rep.put(f"/orders/{order.pk}/plan", places), 422))
    assert Instalment.objects.filter(order=order).count() == 2


def test_post_collections(world, order, rep):
    r = rep.post(
        f"/orders/{order.pk}/collections", {"amount": "250.50", "method": "cheque", "received_on": day(-1)}
    )
    data = ok(r, 201)
    assert D(data["open"]) == D("749.50") and data["collections"][0]["method"] == "cheque"
    p = problem(rep.post(f"/orders/{order.pk}/collections", {"amount": "749.51"}), 422)
    assert fields(p) == {"amount"} and "749.5" in p["errors"][0]["message"]
    problem(rep.post(f"/orders/{order.pk}/collections", {"amount": "1", "method": "bitcoin"}), 422)
    problem(rep.post(f"/orders/{order.pk}/collections", {"amount": "-1"}), 422)
    assert Collection.objects.filter(order=order).count() == 1


def test_fapiao_requests_and_issue(world, order, rep):
    r = rep.post(
        f"/orders/{order.pk}/fapiao-requests", {"amount": "400", "kind": "special", "tax_number": "9144X"}
    )
    f = ok(r, 201)
    assert (f["state"], f["kind"], f["title"], f["tax_number"]) == (
        "approved",
        "special",
        world.huawei.name,
        "9144X",
    )
    p = problem(rep.post(f"/orders/{order.pk}/fapiao-requests", {"amount": "100", "kind": "special"}), 422)
    assert fields(p) == {"tax_number"}
    p = problem(rep.post(f"/orders/{order.pk}/fapiao-requests", {"amount": "600.01"}), 422)
    assert fields(p) == {"amount"} and "600" in p["errors"][0]["message"]
    problem(rep.post(f"/fapiao-requests/{f['id']}/issue", {"fapiao_number": ""}), 422)
    issued = ok(
        rep.post(f"/fapiao-requests/{f['id']}/issue", {"fapiao_number": "NO-1", "tracking_number": "SF9"})
    )
    assert (issued["state"], issued["fapiao_number"], issued["tracking_number"]) == ("issued", "NO-1", "SF9")
    assert issued["issued_on"] == day(0)
    problem(rep.post(f"/fapiao-requests/{f['id']}/issue", {"fapiao_number": "NO-2"}), 422)
    assert FapiaoRequest.objects.get(pk=f["id"]).fapiao_number == "NO-1"


def test_the_receivables_list_and_its_cursor(world, order, rep, api_as):
    second = make_order(world.rep, world.huawei, amount="50")
    third = make_order(world.mate, world.huawei, amount="70")
    paid = make_order(world.rep, world.huawei, amount="10")
    rec.collection_record(actor=world.rep, order=paid, data={"amount": "10"})
    rec.collection_record(actor=world.rep, order=second, data={"amount": "20"})
    first = ok(rep.get("/receivables", {"limit": 2}))
    assert [x["number"] for x in first["items"]] == [third.number, second.number]
    assert (D(first["items"][1]["open"]), D(first["items"][1]["collected"])) == (30, 20)
    rest = ok(rep.get("/receivables", {"limit": 2, "cursor": first["next_cursor"]}))
    assert [x["number"] for x in rest["items"]] == [order.number] and rest["next_cursor"] is None
    assert rest["items"][0]["customer"] == world.huawei.name
    mine = ok(rep.get("/receivables", {"owner": "me"}))
    assert {x["number"] for x in mine["items"]} == {order.number, second.number}
    assert ok(api_as(world.rep_west).get("/receivables"))["items"] == []


def _calls(order, fapiao_id):
    o = order.pk
    return [
        ("get", f"/orders/{o}/receivable", None),
        ("put", f"/orders/{o}/plan", {"instalments": [{"due_date": day(1), "amount": "1"}]}),
        ("post", f"/orders/{o}/collections", {"amount": "1"}),
        ("post", f"/orders/{o}/fapiao-requests", {"amount": "1"}),
        ("post", f"/fapiao-requests/{fapiao_id}/issue", {"fapiao_number": "N"}),
    ]


def _send(client, method, path, body):
    return client.get(path) if method == "get" else getattr(client, method)(path, body)


def test_invisible_is_404_and_read_only_is_403(world, order, api_as):
    f = rec.fapiao_request_create(actor=world.rep, order=order, data={"amount": "10"})
    west, executive, read = api_as(world.rep_west), api_as(world.executive), api_as(world.rep, scope="read")
    for method, path, body in _calls(order, f.pk):
        problem(_send(west, method, path, body), 404)
        if method == "get":
            ok(_send(executive, method, path, body))
            ok(_send(read, method, path, body))
        else:
            problem(_send(executive, method, path, body), 403)
            problem(_send(read, method, path, body), 403)
    problem(api_as(world.rep).get("/orders/999999/receivable"), 404)
    problem(api_as(world.rep).post("/fapiao-requests/999999/issue", {"fapiao_number": "N"}), 404)
    problem(api_as(world.service).get("/receivables"), 403)
    assert not Instalment.objects.exists() and not Collection.objects.exists()
    assert FapiaoRequest.objects.get().state == "approved"

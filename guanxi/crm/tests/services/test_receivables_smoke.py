import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guanxi.core.tests.factories import make_company
from guanxi.crm.selectors.receivables import order_receivable
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import receivables as rec


@pytest.fixture
def order(world):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    q = quotes.quote_create(
        actor=world.rep,
        data={
            "customer": world.huawei.pk,
            "lines": [{"description": "服务", "quantity": "1", "unit_price": "1000"}],
        },
    )
    q = quotes.quote_submit(actor=world.rep, quote=q, version=q.version)
    q = quotes.quote_send(actor=world.rep, quote=q, version=q.version)
    return orders.quote_accept(actor=world.rep, quote=q, version=q.version)


def test_plan_collect_invoice(world, order, client):
    today = dt.date.today()
    rec.plan_set(
        actor=world.rep,
        order=order,
        instalments=[
            {"due_date": today - dt.timedelta(days=5), "amount": "300"},
            {"due_date": today + dt.timedelta(days=30), "amount": "700"},
        ],
    )
    r = order_receivable(order)
    assert r.planned == Decimal("1000") and r.overdue == Decimal("300") and r.open == Decimal("1000")
    rec.collection_record(actor=world.rep, order=order, data={"amount": "400", "bank_reference": "TX-1"})
    r = order_receivable(order)
    assert r.collected == Decimal("400") and r.overdue == 0 and r.open == Decimal("600")
    with pytest.raises(ValidationError, match="600"):
        rec.collection_record(actor=world.rep, order=order, data={"amount": "601"})
    f = rec.fapiao_request_create(actor=world.rep, order=order, data={"kind": "electronic", "amount": "1000"})
    assert f.state == "approved" and f.title == world.huawei.name
    with pytest.raises(ValidationError):
        rec.fapiao_request_create(actor=world.rep, order=order, data={"kind": "normal", "amount": "1"})
    f = rec.fapiao_issue(
        actor=world.rep, request=f, data={"fapiao_number": "24442000000012345678", "tracking_number": "SF123"}
    )
    assert f.state == "issued"
    client.force_login(world.rep)
    assert client.get(reverse("crm:order", args=[order.pk]) + "?tab=receivables").status_code == 200
    assert client.get(reverse("crm:receivables")).status_code == 200
    assert client.get(world.huawei.get_absolute_url()).status_code == 200
    assert rec.instalments_remind() >= 0


def test_receivables_api(world, order, api_as):
    c = api_as(world.rep)
    today = dt.date.today().isoformat()
    r = c.put(f"/orders/{order.pk}/plan", {"instalments": [{"due_date": today, "amount": "1000"}]})
    assert r.status_code == 200, r.content
    r = c.post(f"/orders/{order.pk}/collections", {"amount": "250.50", "bank_reference": "TX"})
    assert r.status_code == 201 and r.json()["open"] == "749.5000"
    assert c.post(f"/orders/{order.pk}/collections", {"amount": "800"}).status_code == 422
    r = c.post(f"/orders/{order.pk}/fapiao-requests", {"amount": "1000", "kind": "normal"})
    assert r.status_code == 201 and r.json()["state"] == "approved"
    r = c.post(f"/fapiao-requests/{r.json()['id']}/issue", {"fapiao_number": "NO-1"})
    assert r.status_code == 200 and r.json()["state"] == "issued"
    r = c.get("/receivables")
    assert [x["number"] for x in r.json()["items"]] == [order.number]
    assert api_as(world.rep_west).get(f"/orders/{order.pk}/receivable").status_code == 404

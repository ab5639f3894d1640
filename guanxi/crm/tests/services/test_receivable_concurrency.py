"""Two clerks record collections on the same order at the same moment, together more than is open; two fapiao
requests likewise above what is not invoiced. The order's row is locked (SELECT … FOR UPDATE), so exactly one
succeeds and the other is refused: never more collected or requested than the order's total. Each thread has
its own connection and transaction, as under gunicorn.

To make "at the same moment" certain rather than likely, the first writer keeps its transaction open until
PostgreSQL reports the second one waiting for a lock (pg_locks), then commits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanxi.core.tests.factories import make_company
from guanxi.core.tests.races import race
from guanxi.crm.models import Collection, CollectionAllocation, FapiaoRequest, Instalment
from guanxi.crm.selectors.receivables import order_receivable
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import receivables as rec

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks as PostgreSQL takes them"),
]


@pytest.fixture
def order(world):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    data = {
        "customer": world.huawei.pk,
        "lines": [{"description": "服务", "quantity": "1", "unit_price": "1000"}],
    }
    q = quotes.quote_create(actor=world.rep, data=data)
    q = quotes.quote_submit(actor=world.rep, quote=q, version=q.version)
    q = quotes.quote_send(actor=world.rep, quote=q, version=q.version)
    return orders.quote_accept(actor=world.rep, quote=q, version=q.version)


def test_two_collections_at_once_never_take_more_than_is_open(world, order):
    rec.plan_set(actor=world.rep, order=order, instalments=[{"due_date": "2030-01-01", "amount": "1000"}])
    results = race(
        lambda: rec.collection_record(actor=world.rep, order=order, data={"amount": "700"}),
        lambda: rec.collection_record(actor=world.mate, order=order, data={"amount": "400"}),
    )
    assert isinstance(results[0], Collection), results
    assert isinstance(results[1], ValidationError) and "300" in str(results[1].message_dict["amount"]), (
        results
    )
    assert [c.amount for c in Collection.objects.filter(order=order)] == [Decimal("700")]
    assert order_receivable(order).open == Decimal("300")
    assert Instalment.objects.get(order=order).paid == Decimal("700")
    assert sum(a.amount for a in CollectionAllocation.objects.all()) == Decimal("700")


def test_two_collections_at_once_within_the_open_amount_both_count(world, order):
    results = race(
        lambda: rec.collection_record(actor=world.rep, order=order, data={"amount": "600"}),
        lambda: rec.collection_record(actor=world.mate, order=order, data={"amount": "400"}),
    )
    assert all(isinstance(r, Collection) for r in results), results
    assert order_receivable(order).open == 0


def test_two_fapiao_requests_at_once_never_exceed_what_is_not_invoiced(world, order):
    results = race(
        lambda: rec.fapiao_request_create(actor=world.rep, order=order, data={"amount": "800"}),
        lambda: rec.fapiao_request_create(actor=world.mate, order=order, data={"amount": "300"}),
    )
    assert isinstance(results[0], FapiaoRequest), results
    assert isinstance(results[1], ValidationError) and "200" in str(results[1].message_dict["amount"]), (
        results
    )
    assert [r.amount for r in FapiaoRequest.objects.filter(order=order)] == [Decimal("800")]
    assert order_receivable(order).not_invoiced == Decimal("200")

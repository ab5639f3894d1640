"""SalesOrder.collected: what the Receivables page filters on, kept by collection_record (guanxi.crm.services.
receivables) equal to the sum of the order's collections."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from guanxi.core.tests.factories import make_company
from guanxi.crm.services import receivables as rec
from guanxi.crm.tests.services.test_receivables import collect, day, errors_of, make_order, plan


@pytest.fixture
def order(world):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    return make_order(world.rep, world.huawei)


def test_the_order_keeps_what_its_collections_add_up_to(world, order):
    """SalesOrder.collected (what the Receivables page filters on) is the sum of the collections, after each."""
    plan(world, order, (day(10), "1000"))
    for amount, total in (("250.10", "250.10"), ("0.90", "251.00"), ("749", "1000")):
        collect(world, order, amount)
        order.refresh_from_db()
        assert order.collected == D(total) == rec.collected(order)
    assert errors_of(lambda: collect(world, order, "0.01"))  # nothing open any more
    order.refresh_from_db()
    assert order.collected == D("1000")

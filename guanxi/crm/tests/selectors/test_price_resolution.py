"""Which price a quote line takes (guanxi.crm.selectors.pricelists): the customer's own list, then its assigned
list (same currency), then the currency's default list, then the catalogue; only lists in use and valid on the
day; within a list the largest quantity break (阶梯价) not above the quantity — checked by hypothesis against a
plain reading of the rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanxi.crm.selectors.pricelists import best_break, price_book, price_for
from guanxi.crm.services.pricelists import customer_price_list_set, pricelist_archive
from guanxi.crm.tests.pricing_support import make_list

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2026, 6, 1)

quantities = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@given(breaks=st.lists(quantities, max_size=8, unique=True), quantity=quantities)
def test_the_largest_break_not_above_the_quantity_wins(breaks, quantity):
    items = [SimpleNamespace(min_quantity=b, unit_price=b + 1) for b in breaks]
    chosen = best_break(items, quantity)  # type: ignore[arg-type]
    fitting = [b for b in breaks if b <= quantity]
    if not fitting:
        assert chosen is None
    else:
        assert chosen is not None and chosen.min_quantity == max(fitting)
        assert all(x.min_quantity <= chosen.min_quantity or x.min_quantity > quantity for x in items)


def price(world, goods, quantity="1", currency="CNY", day=DAY, product=None):
    return price_for(
        customer=world.huawei,
        currency=currency,
        product=product or goods.switch,
        quantity=D(quantity),
        on_date=day,
    )


def test_without_lists_the_catalogue_price(world, goods):
    assert price(world, goods) == (D("3999.99"), None)
    assert price(world, goods, currency="USD") == (D("560"), None)
    assert price(world, goods, currency="EUR") == (None, None)


def test_the_chain_customer_then_assigned_then_default(world, goods):
    default = make_list(world.manager, (goods.switch, 0, "3900"), name="List price", is_default=True)
    assert price(world, goods) == (D("3900"), default)
    assigned = make_list(world.manager, (goods.switch, 0, "3700"), name="Dealers")
    customer_price_list_set(actor=world.rep, party=world.huawei, price_list=assigned)
    assert price(world, goods) == (D("3700"), assigned)
    own = make_list(world.manager, (goods.switch, 0, "3600"), name="Huawei", customer=world.huawei.pk)
    assert price(world, goods) == (D("3600"), own)
    # the cable is only on the default list: each product finds its own list
    cable_list = make_list(world.manager, (goods.cable, 0, "15"), name="Cables", currency="CNY")
    assert price(world, goods, product=goods.cable) == (D("20"), None)  # a list nobody is given: not used
    assert cable_list.pk
    # another customer gets the default list only
    west = price_for(customer=world.west_co, currency="CNY", product=goods.switch, quantity=D(1), on_date=DAY)
    assert west == (D("3900"), default)


def test_breaks_and_a_list_whose_breaks_are_all_above_the_quantity(world, goods):
    default = make_list(world.manager, (goods.switch, 0, "3900"), name="List price", is_default=True)
    own = make_list(
        world.manager,
        (goods.switch, 10, "3500"),
        (goods.switch, 100, "3200"),
        name="Huawei volume",
        customer=world.huawei.pk,
    )
    assert price(world, goods, "9.999") == (D("3900"), default)  # below the first break: next list
    assert price(world, goods, "10") == (D("3500"), own)
    assert price(world, goods, "99") == (D("3500"), own)
    assert price(world, goods, "100") == (D("3200"), own)
    assert price(world, goods, "5000") == (D("3200"), own)


def test_validity_currency_and_archive(world, goods):
    own = make_list(
        world.manager,
        (goods.switch, 0, "3600"),
        name="Huawei 2026",
        customer=world.huawei.pk,
        valid_from="2026-01-01",
        valid_until="2026-06-30",
    )
    assert price(world, goods, day=dt.date(2026, 1, 1)) == (D("3600"), own)
    assert price(world, goods, day=dt.date(2026, 6, 30)) == (D("3600"), own)
    assert price(world, goods, day=dt.date(2025, 12, 31)) == (D("3999.99"), None)
    assert price(world, goods, day=dt.date(2026, 7, 1)) == (D("3999.99"), None)
    dollars = make_list(world.manager, (goods.switch, 0, "500"), name="USD dealers", currency="USD")
    customer_price_list_set(actor=world.rep, party=world.huawei, price_list=dollars)
    assert price(world, goods) == (D("3600"), own)  # the assigned list is in dollars: not for a CNY quote
    assert price(world, goods, currency="USD") == (D("500"), dollars)
    pricelist_archive(actor=world.manager, price_list=own)
    assert price(world, goods) == (D("3999.99"), None)


def test_the_latest_starting_of_the_customers_lists_comes_first_and_a_chosen_one_before_all(world, goods):
    older = make_list(
        world.manager,
        (goods.switch, 0, "3600"),
        name="Old",
        customer=world.huawei.pk,
        valid_from="2025-01-01",
    )
    newer = make_list(
        world.manager,
        (goods.switch, 0, "3550"),
        name="New",
        customer=world.huawei.pk,
        valid_from="2026-01-01",
    )
    assert price(world, goods) == (D("3550"), newer)
    general = make_list(world.manager, (goods.switch, 0, "3000"), name="Promotion")
    chosen = price_for(
        customer=world.huawei,
        currency="CNY",
        product=goods.switch,
        quantity=D(1),
        on_date=DAY,
        preferred=general,
    )
    assert chosen == (D("3000"), general) and older.pk


def test_a_book_reads_a_whole_quote_in_three_queries(world, goods, django_assert_num_queries):
    make_list(world.manager, (goods.switch, 0, "3900"), (goods.cable, 0, "18"), name="List", is_default=True)
    with django_assert_num_queries(3):
        book = price_book(
            customer_id=world.huawei.pk,
            currency="CNY",
            on_date=DAY,
            product_ids=[goods.switch.pk, goods.cable.pk],
        )
    assert book.price(goods.switch, D(1))[0] == D("3900") and book.price(goods.cable, D(5))[0] == D(18)
    assert book.first_used() is not None and book.first_used().name == "List"

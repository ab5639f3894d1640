"""Reads of receivables: the annotations of with_receivables, which orders open_orders shows to whom,
receivable_totals in the home currency (a USD order at an entered rate, a currency without a rate named), and
pages whose query count does not grow with the orders and collections on them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import SalesOrder
from guanxi.crm.selectors.receivables import open_orders, receivable_totals, with_receivables
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import receivables as rec
from guanxi.parties.tests.factories import make_org

D = Decimal


def day(n: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=n)


def make_order(actor, customer, amount="1000", currency=None):
    data = {
        "customer": customer.pk,
        "lines": [{"description": "服务", "quantity": "1", "unit_price": amount}],
    }
    if currency:
        data["currency"] = currency
    q = quotes.quote_create(actor=actor, data=data)
    q = quotes.quote_submit(actor=actor, quote=q, version=q.version)
    q = quotes.quote_send(actor=actor, quote=q, version=q.version)
    return orders.quote_accept(actor=actor, quote=q, version=q.version)


def plan(actor, order, *rows):
    return rec.plan_set(actor=actor, order=order, instalments=[{"due_date": d, "amount": a} for d, a in rows])


def collect(actor, order, amount):
    return rec.collection_record(actor=actor, order=order, data={"amount": amount})


@pytest.fixture
def company(world):
    return make_company(name_zh="关系示范", default_currency="CNY", is_default=True)


@pytest.fixture
def books(world, company):
    """The rep's order (part collected, part overdue), a teammate's, a paid one and West's."""
    mine = make_order(world.rep, world.huawei)
    plan(world.rep, mine, (day(-5), "600"), (day(10), "400"))
    collect(world.rep, mine, "400")
    rec.fapiao_request_create(actor=world.rep, order=mine, data={"amount": "300"})
    mates = make_order(world.mate, world.huawei, amount="500")
    paid = make_order(world.rep, world.huawei, amount="80")
    collect(world.rep, paid, "80")
    wests = make_order(world.rep_west, world.west_co, amount="70")
    return {"mine": mine, "mates": mates, "paid": paid, "wests": wests}


def test_with_receivables_annotates_collected_overdue_and_invoiced(world, books):
    rows = {o.pk: o for o in with_receivables(SalesOrder.objects.all())}
    mine, mates = rows[books["mine"].pk], rows[books["mates"].pk]
    assert (mine.collected, mine.overdue, mine.invoiced) == (D("400"), D("200"), D("300"))
    assert (mates.collected, mates.overdue, mates.invoiced) == (0, 0, 0)
    later = with_receivables(SalesOrder.objects.filter(pk=books["mine"].pk), today=day(11)).get()
    assert later.overdue == D("600")  # both instalments past due by then: 200 + 400


def numbers(qs) -> set[str]:
    return set(qs.values_list("number", flat=True))


def test_open_orders_reach_as_far_as_the_scope(world, books):
    mine, mates, wests = (books[k].number for k in ("mine", "mates", "wests"))
    assert numbers(open_orders(actor=world.rep)) == {mine, mates}  # own and the team's; not the paid one
    assert numbers(open_orders(actor=world.rep, owner="me")) == {mine}
    assert numbers(open_orders(actor=world.rep, owner=str(world.mate.pk))) == {mates}
    assert numbers(open_orders(actor=world.mate, owner="me")) == {mates}
    assert numbers(open_orders(actor=world.rep_west)) == {wests}
    assert numbers(open_orders(actor=world.manager)) == {mine, mates}
    assert numbers(open_orders(actor=world.rep, customer=world.west_co.pk)) == set()
    row = open_orders(actor=world.rep, owner="me").get()
    assert (row.open_amount, row.collected, row.overdue) == (D("600"), D("400"), D("200"))


def test_totals_are_in_the_home_currency_and_name_missing_rates(world, books):
    exchange_rate_create(actor=world.admin, date=dt.date.today(), base="USD", quote="CNY", rate="7.1")
    usd = make_order(world.rep, world.huawei, amount="100", currency="USD")
    plan(world.rep, usd, (day(-1), "100"))
    make_order(world.rep, world.huawei, amount="50", currency="EUR")
    totals = receivable_totals(open_orders(actor=world.rep, owner="me"))
    assert totals.open.currency == "CNY" and totals.open.count == 3
    assert totals.open.amount == D("1310.00")  # 600 + 100 × 7.1; EUR has no rate
    assert totals.open.missing_rates == ["EUR"]
    assert totals.overdue.amount == D("910.00") and totals.overdue.missing_rates == []  # 200 + 710
    assert receivable_totals(open_orders(actor=world.rep_west)).open.amount == D("70.00")


def test_the_receivables_page_names_a_currency_without_a_rate(world, books, client):
    make_order(world.rep, world.huawei, amount="50", currency="EUR")
    client.force_login(world.rep)
    html = client.get(reverse("crm:receivables") + "?owner=me").content.decode()
    assert books["mine"].number in html and books["mates"].number not in html
    assert "EUR" in html and "no exchange rate" in html and books["paid"].number not in html


# --- Query counts -----------------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def busy_order(world, n: int):
    o = make_order(world.rep, world.huawei, amount="10000")
    plan(world.rep, o, *[(day(i * 10 - 35), "500") for i in range(n)])
    for _ in range(n):
        collect(world.rep, o, "300")
        rec.fapiao_request_create(actor=world.rep, order=o, data={"amount": "100"})
    return o


def test_the_receivables_page_costs_the_same_for_few_and_many_orders(world, company, client):
    client.force_login(world.rep)
    url = reverse("crm:receivables")
    busy_order(world, 1)
    client.get(url)  # warm caches (session, menus)
    few = queries(client, url)
    for _ in range(5):
        busy_order(world, 3)
    many = queries(client, url)
    assert few == many, (few, many)
    assert client.get(url).content.decode().count("?tab=receivables") == 6


def test_the_order_tab_costs_the_same_for_few_and_many_collections(world, company, client):
    client.force_login(world.rep)
    small, big = busy_order(world, 1), busy_order(world, 6)
    url = reverse("crm:order", args=[small.pk]) + "?tab=receivables"
    client.get(url)
    few = queries(client, url)
    big_url = reverse("crm:order", args=[big.pk]) + "?tab=receivables"
    many = queries(client, big_url)
    assert few == many, (few, many)
    html = client.get(big_url).content.decode()
    # 1800 collected: three instalments paid, 200 open on the one due 5 days ago (summary and its row)
    assert html.count('<tr class="overdue">') == 1 and html.count('class="badge overdue"') == 2
    assert "8,200.00" in html


def test_the_customer_card_shows_the_open_amount(world, books, client):
    client.force_login(world.rep)
    html = client.get(world.huawei.get_absolute_url()).content.decode()
    card = html[html.index('id="card-receivables"') :][:600]
    assert "1,100.00" in card  # 600 of the rep's and 500 of the teammate's
    other = make_org(world.admin, "空客户", owner=world.rep)
    assert (
        "0.00"
        in client.get(other.get_absolute_url()).content.decode().split('id="card-receivables"')[1][:400]
    )

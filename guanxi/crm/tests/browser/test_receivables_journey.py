"""A Sales Representative's receivables in a real browser: on a confirmed order (made through the services), the
rep saves a collection plan of two instalments, records a collection and sees the open amount drop, requests
a fapiao and records it as issued with its number and the courier's tracking number; the customer's page
shows what is still open. In English at 1280 px and in 简体中文 at 390 px (nothing wider than the screen, no
CSP violation). Screenshots: /tmp/shots/crm-receivables-*."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Collection, FapiaoRequest, Instalment
from guanxi.crm.services import orders, quotes
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _order(admin, rep, customer):
    make_company(admin, name_zh="关系示范", default_currency="CNY", is_default=True)
    data = {
        "customer": customer.pk,
        "lines": [{"description": "服务", "quantity": "1", "unit_price": "1000"}],
    }
    q = quotes.quote_create(actor=rep, data=data)
    q = quotes.quote_submit(actor=rep, quote=q, version=q.version)
    q = quotes.quote_send(actor=rep, quote=q, version=q.version)
    return orders.quote_accept(actor=rep, quote=q, version=q.version)


@CASES
def test_a_rep_plans_collects_and_invoices_an_order(page, live_server, make_user, admin_user, lang, viewport):
    rep = make_user("rep", roles=[R.SALES_REP], teams=[Team.objects.create(name="East")])
    customer = make_org(admin_user, "华为技术有限公司", owner=rep)
    order = _order(admin_user, rep, customer)
    j = Journey(page, live_server, lang, viewport, prefix="crm-receivables", timeout=10_000)
    T = j.T
    j.as_user(rep)
    url = f"{live_server.url}{order.get_absolute_url()}?tab=receivables"
    first, second = dt.date.today() + dt.timedelta(days=10), dt.date.today() + dt.timedelta(days=40)

    # 1. The plan: two instalments, entered later one first; saved in due order.
    page.goto(url)
    expect(page.locator("#receivable-open")).to_contain_text("1,000.00")
    page.fill("input[name=i-0-due_date]", second.isoformat())
    page.fill("input[name=i-0-amount]", "700")
    page.fill("input[name=i-1-due_date]", first.isoformat())
    page.fill("input[name=i-1-amount]", "300")
    j.check("plan")
    follow(page, page.get_by_role("button", name=T("Save the plan")))
    expect(page.locator(".msg.success")).to_have_text(T("Collection plan saved."))
    assert [(i.due_date, i.amount) for i in Instalment.objects.filter(order=order)] == [
        (first, Decimal("300")),
        (second, Decimal("700")),
    ]
    expect(page.locator("input[name=i-0-due_date]")).to_have_value(first.isoformat())

    # 2. A collection of 400: the open amount drops to 600; the first instalment is paid, 100 of the second.
    page.fill("#c-amount", "400")
    page.fill("#c-ref", "TX-20240501")
    follow(page, page.get_by_role("button", name=T("Record the collection")))
    expect(page.locator("#receivable-open")).to_contain_text("600.00")
    expect(page.locator("table.collections")).to_contain_text("TX-20240501")
    assert [i.paid for i in Instalment.objects.filter(order=order)] == [Decimal("300"), Decimal("100")]
    assert Collection.objects.get(order=order).created_by == rep
    j.check("collected")

    # 3. A fapiao for the whole order (electronic), to be issued at once (no approval rules).
    page.select_option("#f-kind", value="electronic")
    expect(page.locator("#f-amount")).to_have_value("1000")
    follow(page, page.get_by_role("button", name=T("Request the fapiao")))
    expect(page.locator(".msg.success")).to_have_text(T("Fapiao request made."))
    expect(page.locator("#fapiao-form")).to_have_count(0)  # nothing left to invoice
    f = FapiaoRequest.objects.get(order=order)
    assert (f.state, f.title, f.amount) == ("approved", customer.name, Decimal("1000"))

    # 4. Recorded as issued, with its number and the courier's tracking number.
    row = page.locator("table.fapiao tbody tr").first
    row.locator("input[name=fapiao_number]").fill("24442000000012345678")
    row.locator("input[name=tracking_number]").fill("SF1234567890")
    j.fits()
    follow(page, row.get_by_role("button", name=T("Issued")))
    expect(page.locator("table.fapiao")).to_contain_text("24442000000012345678")
    expect(page.locator("table.fapiao")).to_contain_text("SF1234567890")
    expect(page.locator("table.fapiao input[name=fapiao_number]")).to_have_count(0)
    f.refresh_from_db()
    assert (f.state, f.tracking_number) == ("issued", "SF1234567890")
    j.check("issued")

    # 5. The customer's page: 600 still open on one order.
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    expect(page.locator("#card-receivables")).to_contain_text("600.00")
    j.check("party")
    j.finish()

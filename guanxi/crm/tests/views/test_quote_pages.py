"""The quote pages: the list (empty, filtered), the form with its lines (from a customer, from an opportunity; an
error keeps what was typed; editing round-trips the lines), a quote's page (lines, totals, 大写) and its buttons
per state, the operations (accept lands on the order), the customer's Quotes and Sales orders tabs; 403 for
who may only read, 404 for who may not see; list queries that do not grow with rows."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.catalog.tests.factories import make_product
from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.core.models import TaxRate
from guanxi.core.money import forget_currencies
from guanxi.core.selectors.companies import company_default
from guanxi.core.services.numbering import sequence_update
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Quote, SalesOrder
from guanxi.crm.services import orders, quotes
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db
SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
BUTTONS = {"edit": "/edit/", "submit": 'id="quote-submit"', "send": 'id="quote-send"', "accept": 'id="quote-accept"',
           "reject": "/reject/", "revise": 'id="quote-revise"'}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_currency_table():  # amounts are formatted from a table of currencies kept in the process
    forget_currencies()
    yield
    forget_currencies()


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


def new(world, switch, *steps, **data):
    line = {"product": switch.pk, "quantity": "3", "discount_percent": "5"}
    q = quotes.quote_create(actor=world.rep, data={"customer": world.huawei.pk, "lines": [line], **data})
    for step in steps:
        q = getattr(quotes, f"quote_{step}")(actor=world.rep, quote=q, version=q.version)
    return q


def page(client, url, status=200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    return resp.content.decode()


def rows(html: str) -> list[str]:
    return re.findall(r'<a href="/sales/quotes/\d+/">([^<]+)</a>', html)


def line_post(world, *lines, **data) -> dict:
    post = {"customer": world.huawei.pk, "currency": "CNY", "notes": "", **data}
    for i, line in enumerate(lines):
        post.update({f"lines-{i}-{k}": v for k, v in line.items()})
    return post


def test_the_list_empty_then_filtered(client, world, switch):
    client.force_login(world.rep)
    assert "No quotes yet." in page(client, reverse("crm:quotes"))
    draft = new(world, switch)
    ready = new(world, switch, "submit")
    sent = new(world, switch, "submit", "send")
    revision = quotes.quote_revise(actor=world.rep, quote=sent, version=sent.version)
    url = reverse("crm:quotes")
    assert rows(page(client, url)) == [revision.number, ready.number, draft.number]  # not the revised one
    assert rows(page(client, url + "?state=approved")) == [ready.number]
    assert rows(page(client, url + "?state=superseded")) == [sent.number]
    assert len(rows(page(client, url + "?state=all"))) == 4
    assert rows(page(client, f"{url}?q={draft.number}")) == [draft.number]
    assert rows(page(client, url + "?q=West")) == []
    html = page(client, url + "?state=nonsense")
    assert 'role="alert"' in html and rows(html) == []
    client.force_login(world.mate)
    assert rows(page(client, url + "?owner=me")) == [] and len(rows(page(client, url))) == 3  # the team's


def test_create_from_a_customer(client, world, switch):
    client.force_login(world.rep)
    html = page(client, reverse("crm:quote_create") + f"?customer={world.huawei.pk}")
    form = form_data(html, "quote-form")
    assert form["customer"] == str(world.huawei.pk) and form["currency"] == "CNY"
    assert [k for k in form if k.endswith("-quantity")] == [f"lines-{i}-quantity" for i in range(4)]
    form.update({"lines-0-product": str(switch.pk), "lines-0-quantity": "3", "lines-0-discount_percent": "5"})
    form.update({"lines-1-description": "安装调试服务", "lines-1-quantity": "1", "lines-1-unit_price": "800"})
    resp = client.post(reverse("crm:quote_create"), form, follow=True)
    q = Quote.objects.get()
    assert resp.redirect_chain[-1][0] == q.get_absolute_url()
    assert f"Quote {q.number} added." in resp.content.decode()
    assert [x.description for x in q.lines.all()] == ["48-port switch", "安装调试服务"]
    assert str(q.gross_total) == "13681.9700"  # 11399.97 + 1482.00 + 800.00


def test_create_from_an_opportunity(client, world, switch):
    deal = make_opportunity(world.rep, world.huawei, "Switches", amount="5000", currency="USD")
    client.force_login(world.rep)
    form = form_data(page(client, reverse("crm:quote_create") + f"?opportunity={deal.pk}"), "quote-form")
    assert (form["opportunity"], form["customer"], form["currency"]) == (
        str(deal.pk),
        str(world.huawei.pk),
        "USD",
    )
    form.update({"lines-0-product": str(switch.pk), "lines-0-quantity": "1", "lines-0-unit_price": "560"})
    assert client.post(reverse("crm:quote_create"), form).status_code == 302
    q = Quote.objects.get()
    assert (q.opportunity, q.currency_id, str(q.gross_total)) == (deal, "USD", "632.8000")


def test_an_error_keeps_every_typed_line(client, world, switch):
    client.force_login(world.rep)
    lines = [
        {"product": switch.pk, "quantity": "3", "discount_percent": "5", "unit_price": ""},
        {"description": "Cabling", "quantity": "-2", "unit_price": "12.5"},
        {"description": "Training", "quantity": "1", "unit_price": "800", "discount_percent": "150"},
    ]
    resp = client.post(reverse("crm:quote_create"), line_post(world, *lines, notes="Net 30"))
    assert resp.status_code == 200 and not Quote.objects.exists()
    html = resp.content.decode()
    assert "lines[1].quantity" in html and "lines[2].discount_percent" in html
    form = form_data(html, "quote-form")
    for i, line in enumerate(lines):
        for k, v in line.items():
            assert form[f"lines-{i}-{k}"] == str(v), (i, k)
    assert form["notes"] == "Net 30" and form["customer"] == str(world.huawei.pk)
    assert "lines-4-quantity" in form  # two empty rows to add more


def test_editing_round_trips_the_lines(client, world, switch):
    q = new(world, switch, notes="Net 30")
    quotes.quote_update(actor=world.rep, quote=q, version=1, data={"lines": [
        {"product": switch.pk, "quantity": "3", "discount_percent": "5"},
        {"description": "Cabling", "quantity": "2.5", "unit_price": "12.345678"}]})  # fmt: skip
    client.force_login(world.rep)
    form = form_data(page(client, reverse("crm:quote_edit", args=[q.pk])), "quote-form")
    assert (form["lines-0-quantity"], form["lines-0-discount_percent"], form["lines-0-unit_price"]) == (
        "3",
        "5",
        "3999.99",
    )
    assert (form["lines-1-quantity"], form["lines-1-unit_price"], form["version"]) == (
        "2.5",
        "12.345678",
        "2",
    )
    before = str(Quote.objects.get(pk=q.pk).gross_total)
    assert client.post(reverse("crm:quote_edit", args=[q.pk]), form).status_code == 302
    q.refresh_from_db()
    assert str(q.gross_total) == before and q.version == 3 and q.lines.count() == 2 and q.notes == "Net 30"
    form.update({"lines-1-quantity": "5", "version": "1"})
    html = client.post(reverse("crm:quote_edit", args=[q.pk]), form).content.decode()
    assert "Someone else changed this record" in html and Quote.objects.get(pk=q.pk).version == 3  # stale


def test_an_edit_error_can_be_corrected_and_saved(client, world, switch):
    q = new(world, switch)
    client.force_login(world.rep)
    url = reverse("crm:quote_edit", args=[q.pk])
    form = form_data(page(client, url), "quote-form")
    form["lines-0-quantity"] = "0"
    again = form_data(client.post(url, form).content.decode(), "quote-form")
    assert again["lines-0-quantity"] == "0"
    again["lines-0-quantity"] = "4"
    assert client.post(url, again).status_code == 302


def test_a_forged_product_id_is_a_form_error(client, world, switch):
    client.force_login(world.rep)
    resp = client.post(reverse("crm:quote_create"), line_post(world, {"product": "9" * 25, "quantity": "1"}))
    assert resp.status_code == 200 and "lines[0].product" in resp.content.decode()


def buttons(client, url) -> set[str]:
    html = page(client, url)
    return {name for name, marker in BUTTONS.items() if marker in html}


def test_a_quote_page_its_lines_totals_and_buttons(client, world, switch):
    q = new(world, switch)
    client.force_login(world.rep)
    url = q.get_absolute_url()
    html = page(client, url)
    for text in ("48-port switch", "3,999.99", "11,399.97", "1,482.00", "12,881.97", "In words (大写)",
                 "壹万贰仟捌佰捌拾壹元玖角柒分", "Draft"):  # fmt: skip
        assert text in html, text
    assert buttons(client, url) == {"edit", "submit"}
    client.force_login(world.executive)  # reads, changes nothing
    assert buttons(client, url) == set() and "12,881.97" in page(client, url)
    q = quotes.quote_send(
        actor=world.rep, quote=quotes.quote_submit(actor=world.rep, quote=q, version=1), version=2
    )
    order = orders.quote_accept(actor=world.rep, quote=q, version=q.version)
    client.force_login(world.rep)
    html = page(client, url)
    assert buttons(client, url) == set() and order.get_absolute_url() in html and "Accepted" in html
    usd = new(world, switch, currency="USD", lines=[{"description": "Cable", "unit_price": "10"}])
    assert "$10.00" in (html := page(client, usd.get_absolute_url())) and "大写" not in html


def test_the_buttons_of_a_ready_and_a_sent_quote(client, world, switch):
    q = new(world, switch, "submit")
    client.force_login(world.rep)
    assert buttons(client, q.get_absolute_url()) == {"send", "revise"}
    quotes.quote_send(actor=world.rep, quote=q, version=q.version)
    assert buttons(client, q.get_absolute_url()) == {"send", "accept", "reject", "revise"}


def test_the_operations_and_accept_lands_on_the_order(client, world, switch):
    q = new(world, switch)
    client.force_login(world.rep)

    def act(op, version=None) -> str:
        """The operation, then the message it left (read on the list: see the xfail test above)."""
        url = reverse("crm:quote_action", args=[q.pk, op])
        resp = client.post(url, {"version": version or Quote.objects.get(pk=q.pk).version})
        assert resp.status_code == 302 and resp["Location"] == q.get_absolute_url()
        return "".join(
            re.findall(r'<p class="msg [^"]*" role="status">([^<]*)</p>', page(client, reverse("crm:quotes")))
        )

    assert act("submit") == f"Quote {q.number}: Ready to send."
    assert act("accept") == "Only a sent quote is accepted or rejected."  # refused with a message
    assert act("send", version=1).startswith("Someone else changed this record")
    assert Quote.objects.get(pk=q.pk).state == "approved"  # neither changed anything
    assert act("send") == f"Quote {q.number} is sent."
    resp = client.post(reverse("crm:quote_action", args=[q.pk, "accept"]), {"version": 3}, follow=True)
    order = SalesOrder.objects.get()
    assert resp.redirect_chain == [(order.get_absolute_url(), 302)]
    html = resp.content.decode()
    assert f"Accepted: sales order {order.number} is confirmed." in html and q.number in html
    assert "48-port switch" in html and "12,881.97" in html and Quote.objects.get(pk=q.pk).state == "accepted"
    assert order.number in page(client, reverse("crm:orders"))


def test_the_revisions_row_shows_only_this_quotes_revisions(client, world, switch):
    sequence_update(actor=world.admin, doc_type="crm.quote", company=company_default(), pattern="Q{seq}",
                    reset="never", version=0)  # fmt: skip
    first = new(world, switch)
    assert first.number == "Q1"
    line = {"description": "West's", "unit_price": "1"}
    for _ in range(9):  # Q2 … Q10, quotes of West's that the rep may not see
        quotes.quote_create(actor=world.rep_west, data={"customer": world.west_co.pk, "lines": [line]})
    client.force_login(world.rep)
    assert "Q10" not in page(client, first.get_absolute_url())


def test_the_customers_quotes_and_orders_tabs(client, world, switch):
    client.force_login(world.rep)
    party = world.huawei.get_absolute_url()
    assert "No quotes for this customer yet." in page(client, party + "?tab=quotes")
    assert "No sales orders for this customer yet." in page(client, party + "?tab=orders")
    q = new(world, switch, "submit", "send")
    revision = quotes.quote_revise(actor=world.rep, quote=q, version=q.version)
    revision = quotes.quote_submit(actor=world.rep, quote=revision, version=revision.version)
    revision = quotes.quote_send(actor=world.rep, quote=revision, version=revision.version)
    order = orders.quote_accept(actor=world.rep, quote=revision, version=revision.version)
    assert rows(page(client, party + "?tab=quotes")) == [revision.number, q.number]
    html = page(client, party + "?tab=orders")
    assert order.number in html and "12,881.97" in html
    assert f"/sales/quotes/new/?customer={world.huawei.pk}" in page(client, party)  # "New quote"


def test_403_for_who_may_only_read_and_404_for_who_may_not_see(client, world, switch):
    q = new(world, switch, "submit", "send")
    order = orders.quote_accept(actor=world.rep, quote=q, version=q.version)
    draft = new(world, switch)
    client.force_login(world.executive)
    page(client, draft.get_absolute_url())
    page(client, reverse("crm:quote_edit", args=[draft.pk]), 403)
    page(client, reverse("crm:quote_create"), 403)
    assert (
        client.post(reverse("crm:quote_action", args=[draft.pk, "submit"]), {"version": 1}).status_code == 403
    )
    assert Quote.objects.get(pk=draft.pk).state == "draft"
    client.force_login(world.rep_west)
    for url in (
        draft.get_absolute_url(),
        reverse("crm:quote_edit", args=[draft.pk]),
        order.get_absolute_url(),
    ):
        page(client, url, 404)
    assert (
        client.post(reverse("crm:quote_action", args=[draft.pk, "submit"]), {"version": 1}).status_code == 404
    )
    client.force_login(world.buyer)
    page(client, reverse("crm:quotes"), 403)


def test_list_queries_do_not_grow_with_rows(client, world, switch):
    client.force_login(world.rep)
    counts = []
    for n in (5, 25):
        while Quote.objects.count() < n:
            new(world, switch, "submit")
        with CaptureQueriesContext(connection) as ctx:
            assert len(rows(page(client, reverse("crm:quotes")))) == n
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts

"""The supplier invoice pages: every page renders for a buyer and an administrator in English and Chinese; the
list (empty, filtered by state, supplier, our number or the fapiao number); entering an invoice from a purchase
order ("Enter invoice" on its page) or a supplier, the lines prefilled with what was accepted and not yet
invoiced at the order's price; a price above the order's beyond the tolerance shown as an exception with its
reason; bad input (over-invoicing, another currency, a fapiao entered before) shown beside its field or line
with the service's message, the input kept and nothing written; asking to release a held invoice (the approval
decided on its page) and cancelling one; 403 for a sales rep and who may only read, 404 for who may not see;
queries that do not grow with the list's rows or the page's lines."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.procurement.models import SupplierInvoice
from guanxi.procurement.services.approval_rules import invoice_rule_ensure
from guanxi.procurement.services.invoices import invoice_enter, invoice_release
from guanxi.procurement.services.receipts import receipt_post
from guanxi.procurement.tests.services.receiving_support import sent_order
from guanxi.procurement.tests.views.support import page

pytestmark = pytest.mark.django_db

FAPIAO = "24442000000012345678"


@pytest.fixture
def received(shop):
    """1000 resistors at ¥2.00 and 200 cartons at ¥3.00 ordered (13 % VAT); 800 resistors accepted (50
    rejected), all the cartons."""
    invoice_rule_ensure()
    o = sent_order(shop)
    resistor, carton = o.lines.order_by("position")
    receipt_post(actor=shop.buyer, data={"lines": [
        {"order_line": resistor.pk, "received": "850", "rejected": "50", "reject_reason": "quality"},
        {"order_line": carton.pk, "received": "200"}]})  # fmt: skip
    return o, resistor, carton


def enter(shop, line, quantity="1", fapiao=FAPIAO, actor=None, **row):
    """An invoice of one line dated today at the order's price, its stated total what the line comes to."""
    price = Decimal(row.get("unit_price", line.unit_price))
    gross = (Decimal(quantity) * price * Decimal("1.13")).quantize(Decimal("0.01"))
    return invoice_enter(actor=actor or shop.buyer, data={
        "fapiao_number": fapiao, "invoice_date": timezone.localdate(), "currency": "CNY", "stated_gross": str(gross),
        "lines": [{"order_line": line.pk, "quantity": quantity, **row}]})  # fmt: skip


def numbers(html: str) -> list[str]:
    return re.findall(r'<a href="/purchasing/invoices/\d+/">([^<]+)</a>', html)


def form_of(client, url: str) -> dict:
    return form_data(page(client, url), "invoice-form")


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("who", ["buyer", "admin"])
def test_every_page_renders(client, shop, received, who, lang):
    o, resistor, carton = received
    held = enter(shop, resistor, "10", unit_price="2.5")
    held = invoice_release(actor=shop.buyer, invoice=held, version=held.version)
    matched = enter(shop, carton, "10", fapiao="12345678")
    client.force_login(getattr(shop, who))
    client.cookies["django_language"] = lang
    with translation.override(lang):
        title, state = translation.gettext("Supplier invoices"), translation.gettext("Release to approve")
    create = reverse("procurement:invoice_create")
    for url in (reverse("procurement:invoices"), create, f"{create}?order={o.pk}",
                f"{create}?supplier={shop.huaqiang.pk}", matched.get_absolute_url(),
                held.get_absolute_url() + "?tab=history", held.get_absolute_url() + "?tab=approval",
                held.get_absolute_url() + "?tab=attachments"):  # fmt: skip
        page(client, url)
    assert title in page(client, reverse("procurement:invoices"))
    html = page(client, held.get_absolute_url())
    assert state in html and 'id="invoice-approval"' in html and f'lang="{lang}"' in html
    assert 'data-action="enter_invoice"' in page(
        client, o.get_absolute_url()
    )  # 790 resistors, 190 cartons left


def test_the_list_empty_then_filtered(client, shop, received):
    _o, resistor, carton = received
    client.force_login(shop.buyer)
    url = reverse("procurement:invoices")
    assert "No supplier invoices yet." in page(client, url)
    first = enter(shop, resistor, "10", unit_price="2.5")  # held
    second = enter(shop, carton, "10", fapiao="12345678")
    assert numbers(page(client, url)) == [second.number, first.number]
    assert numbers(page(client, url + "?state=exception")) == [first.number]
    assert numbers(page(client, url + f"?supplier={shop.huaqiang.pk}")) == [second.number, first.number]
    assert numbers(page(client, url + "?q=12345678")) == [
        second.number,
        first.number,
    ]  # in both fapiao numbers
    assert numbers(page(client, url + f"?q={FAPIAO[:8]}")) == [first.number]
    assert numbers(page(client, url + f"?q={second.number}")) == [second.number]
    assert "No supplier invoice matches." in page(client, url + "?q=nothing-like-it")
    html = page(client, url + "?state=nonsense")
    assert 'role="alert"' in html and numbers(html) == []
    partial = client.get(url + "?state=matched", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="invoice-results")
    assert "<html" not in partial.content.decode() and numbers(partial.content.decode()) == [second.number]


def test_from_an_order_the_lines_are_prefilled_and_a_dearer_price_is_an_exception(client, shop, received):
    o, resistor, carton = received
    client.force_login(shop.buyer)
    html = page(client, o.get_absolute_url())
    url = re.search(r'<a class="button" href="([^"]+)" data-action="enter_invoice"', html).group(1)
    assert url == reverse("procurement:invoice_create") + f"?order={o.pk}"
    html = page(client, url)
    assert "The lines as prefilled come to ¥2,486.00 with tax." in html  # 800 × 2 + 200 × 3, + 13 %
    form = form_data(html, "invoice-form")
    assert (form[f"qty-{resistor.pk}"], form[f"price-{resistor.pk}"], form[f"tax-{resistor.pk}"]) == (
        "800",
        "2",
        "13",
    )
    assert (form[f"qty-{carton.pk}"], form["currency"], form["invoice_date"] != "") == ("200", "CNY", True)
    form.update({"fapiao_number": FAPIAO, "fapiao_code": "044031900111", "due_date": "2026-12-25",
                 f"price-{resistor.pk}": "2.2", f"qty-{carton.pk}": "", "stated_gross": "1988.80"})  # fmt: skip
    resp = client.post(url, form, follow=True)
    inv = SupplierInvoice.objects.get()
    assert resp.redirect_chain[-1][0] == inv.get_absolute_url()
    html = resp.content.decode()
    assert f"Supplier invoice {inv.number} is entered and held for its exceptions." in html
    assert (inv.state, inv.gross_total, inv.lines.count()) == (
        "exception",
        Decimal("1988.8"),
        1,
    )  # the cartons left out
    for text in ("Held: exceptions", "Price differs from the order beyond the tolerance", "¥2.20", "¥2.00",
                 "¥160.00", "The match found 1 exception: the invoice is held.", "044031900111", "2026-12-25",
                 'id="invoice-release"', 'id="cancel-form"', "壹仟玖佰捌拾捌元捌角"):  # fmt: skip
        assert text in html, text
    assert 'data-action="enter_invoice"' in page(client, o.get_absolute_url())  # the cartons are still open


def test_from_a_supplier_a_matched_invoice(client, shop, received):
    _o, resistor, carton = received
    client.force_login(shop.buyer)
    start = page(client, reverse("procurement:invoice_create"))
    assert form_data(start, "invoice-start")["supplier"] == str(shop.huaqiang.pk)
    url = reverse("procurement:invoice_create") + f"?supplier={shop.huaqiang.pk}"
    form = form_of(client, url)
    form.update({"fapiao_number": "1234 5678", "stated_gross": "2486"})
    assert client.post(url, form).status_code == 302
    inv = SupplierInvoice.objects.get()
    html = page(client, inv.get_absolute_url())
    assert inv.state == "matched" and inv.fapiao_number == "12345678"
    assert html.count("✓") == 2 and 'id="invoice-matched"' in html and 'id="invoice-release"' not in html
    html = page(client, url)  # nothing is left to invoice
    assert 'id="nothing-to-invoice"' in html
    assert "Nothing accepted on receipts is waiting for an invoice." in page(
        client, reverse("procurement:invoice_create")
    )


def test_bad_input_is_shown_beside_it_kept_and_nothing_written(client, shop, received):
    o, resistor, carton = received
    client.force_login(shop.buyer)
    url = reverse("procurement:invoice_create") + f"?order={o.pk}"
    form = form_of(client, url)
    form.update({"fapiao_number": FAPIAO, "stated_gross": "2486", f"qty-{resistor.pk}": "801",
                 "note": "第一批"})  # fmt: skip
    resp = client.post(url, form)
    html = resp.content.decode()
    assert resp.status_code == 200 and not SupplierInvoice.objects.exists()
    row = re.search(rf'<tr class="has-error" id="row-{resistor.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "Only 800 were accepted on receipts and not yet invoiced." in row
    assert "Some lines need correcting: see below." in html
    again = form_data(html, "invoice-form")
    assert (again[f"qty-{resistor.pk}"], again["note"], again["fapiao_number"]) == ("801", "第一批", FAPIAO)
    # Another currency than the order's: said on each line.
    again.update({f"qty-{resistor.pk}": "800", "currency": "USD"})
    html = client.post(url, again).content.decode()
    assert html.count(f"Order {o.number} is in CNY: enter its invoice in that currency.") == 2
    assert not SupplierInvoice.objects.exists()
    # A fapiao entered before: beside its number.
    enter(shop, carton, "1")
    again.update({"currency": "CNY", f"qty-{carton.pk}": "199", "stated_gross": "2482.61"})
    html = client.post(url, again).content.decode()
    error = re.search(r'id="fapiao-number-error">([^<]*)<', html).group(1)
    assert (
        error == "This fapiao of the supplier was entered already." and SupplierInvoice.objects.count() == 1
    )
    assert form_data(html, "invoice-form")[f"qty-{carton.pk}"] == "199"
    # Nothing to invoice: every quantity emptied.
    again.update({f"qty-{resistor.pk}": "", f"qty-{carton.pk}": "", "fapiao_number": "87654321"})
    assert "Add at least one line." in client.post(url, again).content.decode()
    assert SupplierInvoice.objects.count() == 1


def test_release_decided_on_the_page_and_cancel(client, shop, received):
    _o, resistor, carton = received
    inv = enter(shop, resistor, "100", unit_price="2.5")
    client.force_login(shop.buyer)
    act = lambda op, **data: client.post(reverse("procurement:invoice_action", args=[inv.pk, op]),  # noqa: E731
                                         {"version": SupplierInvoice.objects.get(pk=inv.pk).version, **data})  # fmt: skip
    assert act("release").status_code == 302
    html = page(client, inv.get_absolute_url())
    assert "Releasing" in html and "Procurement Manager" in html and 'id="decide"' not in html
    assert 'id="invoice-release"' not in html
    client.force_login(shop.pm)
    html = page(client, inv.get_absolute_url())
    action = re.search(r'<form method="post" action="([^"]+)" class="decide', html).group(1)
    resp = client.post(action, {**form_data(html, "decide"), "decision": "approve"})
    assert resp.status_code == 302 and resp["Location"] == inv.get_absolute_url()
    assert SupplierInvoice.objects.get(pk=inv.pk).state == "released"
    html = page(client, inv.get_absolute_url())
    assert "Released for payment" in html and 'id="cancel-form"' not in html
    # A wrong entry is cancelled with a reason (said beside it when missing).
    other = enter(shop, carton, "5", fapiao="12345678")
    client.force_login(shop.buyer)
    url = reverse("procurement:invoice_action", args=[other.pk, "cancel"])
    html = client.post(url, {"version": other.version, "reason": " "}).content.decode()
    assert "This field is required." in html and '<details class="op" open>' in html
    assert client.post(url, {"version": other.version, "reason": "录错了数量"}).status_code == 302
    other.refresh_from_db()
    assert other.state == "cancelled" and "录错了数量" in page(client, other.get_absolute_url())
    stale = client.post(url, {"version": 1, "reason": "again"}, follow=True).content.decode()
    assert "A released or cancelled invoice stays as it is." in stale or "Someone changed" in stale


def test_403_for_a_sales_rep_and_who_may_only_read_404_for_who_may_not_see(client, shop, received):
    o, resistor, _carton = received
    inv = enter(shop, resistor, "10", unit_price="2.5")
    create = reverse("procurement:invoice_create")
    client.force_login(shop.rep)
    for url in (reverse("procurement:invoices"), inv.get_absolute_url(), create, f"{create}?order={o.pk}"):
        page(client, url, 403)
    assert (
        client.post(
            reverse("procurement:invoice_action", args=[inv.pk, "release"]), {"version": 1}
        ).status_code
        == 403
    )
    client.force_login(shop.executive)  # reads, enters nothing
    html = page(client, reverse("procurement:invoices"))
    assert inv.number in html and 'id="invoice-new"' not in html
    html = page(client, inv.get_absolute_url())
    assert 'id="invoice-release"' not in html and 'id="cancel-form"' not in html
    assert 'data-action="enter_invoice"' not in page(client, o.get_absolute_url())
    page(client, create, 403)
    assert client.post(f"{create}?order={o.pk}", {"fapiao_number": "12345678"}).status_code == 403
    assert (
        client.post(
            reverse("procurement:invoice_action", args=[inv.pk, "release"]), {"version": 1}
        ).status_code
        == 403
    )
    client.force_login(shop.buyer_west)  # another team's invoice
    page(client, inv.get_absolute_url(), 404)
    assert (
        client.post(
            reverse("procurement:invoice_action", args=[inv.pk, "cancel"]), {"version": 1}
        ).status_code
        == 404
    )
    assert SupplierInvoice.objects.get(pk=inv.pk).state == "exception"


def test_list_queries_do_not_grow_with_rows(client, shop, received):
    _o, resistor, _carton = received
    client.force_login(shop.buyer)
    counts = []
    for n in (1, 20):
        while SupplierInvoice.objects.count() < n:
            enter(shop, resistor, "1", fapiao=str(10_000_000 + SupplierInvoice.objects.count()))
        page(client, reverse("procurement:invoices"))  # the currency table is read once per process
        with CaptureQueriesContext(connection) as ctx:
            assert len(numbers(page(client, reverse("procurement:invoices")))) == n
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts


def test_the_page_queries_do_not_grow_with_lines(client, shop):
    rows = [{"description": f"Part {i}", "quantity": "10", "unit_price": "1"} for i in range(20)]
    o = sent_order(shop, *rows)
    lines = list(o.lines.order_by("position"))
    receipt_post(actor=shop.buyer, data={"lines": [{"order_line": x.pk, "received": "10"} for x in lines]})
    one = invoice_enter(actor=shop.buyer, data={"fapiao_number": "12345678", "invoice_date": "2026-11-25",
        "stated_gross": "11.30", "lines": [{"order_line": lines[0].pk, "quantity": "10"}]})  # fmt: skip
    many = invoice_enter(actor=shop.buyer, data={"fapiao_number": "12345679", "invoice_date": "2026-11-25",
        "stated_gross": "214.70", "lines": [{"order_line": x.pk, "quantity": "10"} for x in lines[1:]]})  # fmt: skip
    client.force_login(shop.buyer)
    counts = []
    for inv in (one, many):
        page(client, inv.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            html = page(client, inv.get_absolute_url())
        assert html.count('<tr id="line-') == inv.lines.count()
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts

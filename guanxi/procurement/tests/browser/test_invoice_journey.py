"""A supplier invoice's journey in a real browser, and the month's reconciliation statement. A purchase order of
1,000 resistors at ¥2.00 and 200 cartons at ¥3.00 (13 % VAT) was sent and received in full. The Buyer opens
Supplier invoices (empty), then the order's page and "Enter invoice": the lines come prefilled with what was
accepted and not yet invoiced at the order's price. The fapiao bills the resistors at ¥2.20 — 10 % and ¥200
above the order, beyond the tolerance (2 %, ¥50 a line) — and leaves the cartons for later: the invoice is held
as an exception, with its reason on the line. The Buyer asks to release it for payment; a Procurement Manager
approves it in the Approvals inbox (in English) or on the invoice's page (in Chinese). Then the Buyer draws up
this month's statement for the supplier — receipts ¥2,938.00, invoiced ¥2,486.00, ¥452.00 still to invoice —
sends it, and records every line confirmed by the supplier (line by line in English, "confirm all" in
Chinese): the statement is locked.

In English at 1280 px and in 简体中文 at 390 px (nothing wider than the screen, no CSP violation, none of the
feature's English left on a Chinese page — that last check fails until the Chinese translations are added).
Screenshots: /tmp/shots/inv-*."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from guanxi.core.models import ApprovalRule
from guanxi.core.tests.browser.support import follow, login_as, shot
from guanxi.procurement.models import ReconciliationStatement, SupplierInvoice
from guanxi.procurement.services.approval_rules import invoice_rule_ensure
from guanxi.procurement.services.receipts import receipt_post
from guanxi.procurement.tests.services.receiving_support import sent_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CASES = pytest.mark.parametrize(
    ("lang", "viewport"), [("en", DESKTOP), ("zh-hans", PHONE)], ids=["en-desktop", "zh-phone"]
)
FAPIAO = "24442000000012345678"
# What the journey shows of the feature: on a Chinese page none of it may be left in English.
SHOWN = [
    "Supplier invoices", "Enter an invoice", "No supplier invoices yet", "Fapiao number", "Invoice date",
    "Due date", "Enter invoice", "Enter a supplier invoice", "All orders of this supplier", "Fapiao code",
    "digits", "Total with tax on the fapiao", "The lines as prefilled come to", "A total that differs",
    "Each line is prefilled", "Order and line", "Accepted, not invoiced", "Order:", "Enter the invoice",
    "Supplier invoice", "is entered and held", "Held: exceptions", "The match found", "Sort it out with",
    "Ask to release for payment", "Cancel the invoice", "Invoice price", "Order price", "Difference", "Match",
    "Price differs from the order", "Total on the fapiao", "Entered", "Release to approve",
    "Releasing the invoice for payment", "waits for approval", "Released for payment", "Statements",
    "Reconciliation statements", "New statement", "No reconciliation statements yet",
    "New reconciliation statement", "The statement lists", "Last month unless", "Draw up the statement",
    "Reconciliation statement", "is drawn up", "Check the lines", "Period", "Goods received", "Invoiced",
    "Difference (still to invoice)", "Kind", "Document", "Amount with tax", "Supplier's answer",
    "Send to the supplier", "Sent to the supplier", "is sent to the supplier", "Record the answers",
    "The supplier confirms all", "What is disputed", "Record what the supplier answered", "Confirmed",
    "The supplier confirmed", "is locked", "Answered", "Invoice",
]  # fmt: skip


class Untranslated(AssertionError):
    """English text of the feature on a page shown in Chinese."""


def tr(lang: str, text: str) -> str:
    with translation.override(lang):
        return gettext(text)


@CASES
def test_a_buyer_enters_a_held_invoice_and_reconciles_the_month(page, live_server, shop, lang, viewport):
    T = lambda text: tr(lang, text)  # noqa: E731
    tag = f"{lang}-{viewport['width']}"
    url = live_server.url
    invoice_rule_ensure()
    rules = list(ApprovalRule.objects.values_list("name", flat=True))
    o = sent_order(shop)
    resistor, carton = o.lines.order_by("position")
    receipt_post(actor=shop.buyer, data={"lines": [
        {"order_line": resistor.pk, "received": "1000"}, {"order_line": carton.pk, "received": "200"}]})  # fmt: skip
    english_seen: set[str] = set()
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text[:100]) if "Content Security Policy" in m.text else None)
    page.set_default_timeout(15_000)

    def as_user(user) -> None:
        page.context.clear_cookies()
        page.set_viewport_size(viewport)
        login_as(page, live_server, user)
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": url}])

    def check(name: str) -> None:
        """A screenshot; the page fits a phone's screen; the feature's English on a Chinese page is noted."""
        shot(page, f"inv-{name}-{tag}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{page.url} is {width}px wide on a {viewport['width']}px screen"
        if lang != "en":
            text = page.locator("main").inner_text()
            for rule in rules:  # data, bilingual on purpose ("发票例外放行 / Releasing held invoices")
                text = text.replace(rule, "")
            english_seen.update(s for s in SHOWN if s in text)

    def menu(name: str) -> None:
        page.goto(f"{url}/")
        if viewport is PHONE:
            page.locator("[data-menu-toggle]").click()
        follow(page, page.locator("#sidenav").get_by_role("link", name=name).first)

    # 1. Supplier invoices: none yet. From the order's page, "Enter invoice": the lines prefilled.
    as_user(shop.buyer)
    menu(T("Supplier invoices"))
    expect(page.locator("table.supplier-invoices")).to_contain_text(T("No supplier invoices yet."))
    check("list-empty")
    page.goto(f"{url}{o.get_absolute_url()}")
    follow(page, page.locator('a[data-action="enter_invoice"]'))
    form = page.locator("#invoice-form")
    expect(form.locator(f'input[name="qty-{resistor.pk}"]')).to_have_value("1000")
    expect(form.locator(f'input[name="price-{resistor.pk}"]')).to_have_value("2")
    expect(form.locator(f'input[name="qty-{carton.pk}"]')).to_have_value("200")
    expect(page.locator("#expected-gross")).to_contain_text("2,938.00")
    form.locator("#id_fapiao_number").fill(FAPIAO)
    form.locator("#id_fapiao_code").fill("044031900111")
    form.locator("#id_due_date").fill("2030-12-31")
    form.locator(f'input[name="price-{resistor.pk}"]').fill("2.20")
    form.locator(f'input[name="qty-{carton.pk}"]').fill("")  # the cartons come on a later fapiao
    form.locator("#id_stated_gross").fill("2486.00")
    check("form")
    follow(page, page.locator("#invoice-save"))
    inv = SupplierInvoice.objects.get()
    assert (inv.state, inv.gross_total, inv.lines.get().problems) == ("exception", Decimal("2486"), ["price"])
    expect(page.locator("h1")).to_contain_text(inv.number)
    expect(page.locator("#invoice-state")).to_have_text(T("Held: exceptions"))
    expect(page.locator("#invoice-lines")).to_contain_text(
        T("Price differs from the order beyond the tolerance")
    )
    expect(page.locator("#invoice-lines")).to_contain_text("¥200.00")
    expect(page.locator("#doc-capitals")).to_have_text("贰仟肆佰捌拾陆元整")
    check("held")

    # 2. Asked to release for payment: a Procurement Manager approves it.
    follow(page, page.locator("#invoice-release"))
    expect(page.locator("#invoice-state")).to_have_text(T("Release to approve"))
    expect(page.locator("#invoice-approval")).to_contain_text(T("Procurement Manager"))
    check("pending")
    assert not csp, csp

    as_user(shop.pm)
    menu(T("Approvals"))
    row = page.locator(".approval-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(inv.number)
    if lang == "en":  # in the inbox
        follow(page, row.get_by_role("button", name=T("Approve"), exact=True))
        expect(page.locator(".approval-list")).to_contain_text(T("Nothing is waiting for your approval."))
        page.goto(f"{url}{inv.get_absolute_url()}")
    else:  # on the invoice's page, which the decision returns to
        follow(page, row.locator(".approval-head h2 a"))
        expect(page.locator("#decide")).to_be_visible()
        check("decide")
        follow(page, page.locator("#decide").get_by_role("button", name=T("Approve"), exact=True))
        assert page.url.startswith(f"{url}{inv.get_absolute_url()}")
    expect(page.locator("#invoice-state")).to_have_text(T("Released for payment"))
    assert SupplierInvoice.objects.get(pk=inv.pk).state == "released"
    check("released")
    assert not csp, csp

    # 3. The month's statement: drawn up, sent, every line confirmed by the supplier — locked.
    as_user(shop.buyer)
    menu(T("Statements"))
    expect(page.locator("table.statements")).to_contain_text(T("No reconciliation statements yet."))
    check("statements-empty")
    follow(page, page.locator("#statement-new"))
    form = page.locator("#statement-form")
    today = timezone.localdate()
    form.locator("#id_supplier").select_option(str(shop.huaqiang.pk))
    form.locator("#id_period_start").fill(today.replace(day=1).isoformat())
    form.locator("#id_period_end").fill(today.isoformat())
    check("statement-form")
    follow(page, page.locator("#statement-save"))
    s = ReconciliationStatement.objects.get()
    assert (s.received_total, s.invoiced_total, s.difference) == (
        Decimal("2938"),
        Decimal("2486"),
        Decimal("452"),
    )
    expect(page.locator("#statement-state")).to_have_text(T("Draft"))
    expect(page.locator("#statement-lines tbody tr")).to_have_count(3)
    expect(page.locator("#statement-difference")).to_contain_text("452.00")
    check("statement-draft")
    follow(page, page.locator("#statement-send"))
    expect(page.locator("#statement-state")).to_have_text(T("Sent to the supplier"))
    check("statement-sent")
    if lang == "en":  # line by line
        for line in s.lines.all():
            page.locator(f'input[name="answer-{line.pk}"][value="confirmed"]').check()
        follow(page, page.locator("#answer-save"))
    else:
        follow(page, page.locator("#answer-all"))
    expect(page.locator("#statement-state")).to_have_text(T("Confirmed"))
    expect(page.locator("#statement-locked")).to_be_visible()
    expect(page.locator("#answer-form")).to_have_count(0)
    assert ReconciliationStatement.objects.get(pk=s.pk).is_locked
    check("statement-locked")
    menu(T("Statements"))
    expect(page.locator("table.statements tbody tr")).to_have_count(1)
    check("statements")
    assert not csp, csp
    if english_seen:
        raise Untranslated(f"English on the Chinese pages: {sorted(english_seen)}")

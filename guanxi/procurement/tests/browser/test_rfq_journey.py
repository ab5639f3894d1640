"""An RFQ from the Buyer's first click to purchase orders, in a real browser. The Buyer opens Requests for
quotation (empty), makes one for resistors and cartons, invites three suppliers and publishes it; she enters
the three quotes as they come in — each is sealed when saved, and the RFQ's page shows who quoted, never a
price. The deadline passes (the test moves it); she opens the quotes, reads the comparison table (比价表) with
the weighted scores, awards the resistors to the cheapest supplier and the cartons to a dearer one — which
needs a justification, asked for on the page — and makes the purchase orders, one per supplier.

In English at 1280 px and in 简体中文 at 390 px (nothing wider than the screen, no CSP violation, none of the
feature's English left on a Chinese page). Screenshots: /tmp/shots/rfq-*."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.procurement.models import PurchaseOrder, Rfq
from guanxi.procurement.tests.conftest import supplier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOWN = [
    "Requests for quotation", "No requests for quotation yet", "New request for quotation", "Quotes due by",
    "Compare in", "Evaluation criteria", "Needed by", "Invited suppliers", "No supplier is invited yet",
    "Invite a supplier", "Publish", "Quotes are sealed until", "Enter the quote", "Seal the quote",
    "is sealed when you save it", "Quoted (sealed)", "Open the quotes", "Weighted score", "lowest",
    "Award the chosen lines", "Justification", "Not the lowest price", "Make the purchase orders",
    "Draft purchase orders made", "Awarded to",
]  # fmt: skip


@CASES
def test_run_an_rfq_to_purchase_orders(page, live_server, shop, lang, viewport):
    third = supplier(shop.admin, "上海第三电子有限公司", "approved")
    j = Journey(page, live_server, lang, viewport, prefix="rfq", shown=SHOWN)
    T = j.T
    url = live_server.url
    j.as_user(shop.buyer)

    # 1. The list is empty; a new RFQ with two lines and the default criteria (70 / 15 / 15).
    j.open_menu_link(T("Requests for quotation"))
    expect(page.locator("#rfq-results")).to_contain_text(T("No requests for quotation yet."))
    j.check("empty")
    follow(page, page.locator("#rfq-new"))
    page.fill("#id_title", "电阻和纸箱 Q1")
    page.select_option("select[name=lines-0-product]", str(shop.resistor.pk))
    page.fill("input[name=lines-0-quantity]", "10000")
    page.select_option("select[name=lines-1-product]", str(shop.carton.pk))
    page.fill("input[name=lines-1-quantity]", "500")
    j.check("form")
    follow(page, page.locator("#rfq-save"))
    rfq = Rfq.objects.get()
    expect(page.locator("#rfq-invited")).to_contain_text(T("No supplier is invited yet."))

    # 2. Three suppliers invited, then published.
    for party in (shop.huaqiang, shop.preferred, third):
        page.select_option("#invite-supplier", str(party.pk))
        follow(page, page.locator("#invite-add"))
        expect(page.locator("#rfq-invited")).to_contain_text(party.name)
    follow(page, page.locator("#rfq-publish"))
    expect(page.locator("#sealed-note")).to_be_visible()
    j.check("published")

    # 3. Three quotes entered; each sealed when saved.
    lines = list(rfq.lines.order_by("position"))
    quotes = {
        shop.huaqiang: ("0.0100", "3.20"),
        shop.preferred: ("0.0090", "3.50"),
        third: ("0.0120", "3.10"),
    }
    for n, (party, prices) in enumerate(quotes.items()):
        follow(page, page.locator(f"#quote-{party.pk}"))
        expect(page.locator("#seal-warning")).to_be_visible()
        for line, price in zip(lines, prices, strict=True):
            page.fill(f"#price-{line.pk}", price)
            page.fill(f"#lead-{line.pk}", "10")
        page.fill("#id_payment_days", "30")
        if n == 0:
            j.check("quote")
        follow(page, page.locator("#quote-save"))
        expect(page.locator(f"#inv-{party.pk}")).to_contain_text(T("Quoted (sealed)"))
    html = page.content()
    assert "0.0100" not in html and "3.20" not in html and "3.50" not in html
    j.check("sealed")

    # 4. The deadline passes; the quotes are opened and compared.
    Rfq.objects.filter(pk=rfq.pk).update(deadline=timezone.now() - dt.timedelta(minutes=5))
    page.goto(f"{url}/purchasing/rfqs/{rfq.pk}/")
    follow(page, page.locator("#rfq-open"))
    table = page.locator("#comparison")
    expect(table).to_contain_text("0.0090")
    expect(table).to_contain_text(T("Weighted score"))
    j.check("comparison")

    # 5. Resistors to the cheapest (东莞精密五金), cartons to 深圳华强 (not the cheapest): a justification.
    rfq.refresh_from_db()
    quote_of = {q.supplier_id: q.pk for q in rfq.quotes.all()}
    page.locator(f"input[name=award-{lines[0].pk}][value='{quote_of[shop.preferred.pk]}']").check()
    page.locator(f"input[name=award-{lines[1].pk}][value='{quote_of[shop.huaqiang.pk]}']").check()
    follow(page, page.locator("#award-lines"))
    expect(page.locator("#award-errors")).to_contain_text(T("Give the justification."))
    expect(
        page.locator(f"input[name=award-{lines[1].pk}][value='{quote_of[shop.huaqiang.pk]}']")
    ).to_be_checked()
    page.fill("#award-reason", "华强交期稳定，质量更好")
    j.check("award-refused")
    follow(page, page.locator("#award-lines"))
    expect(page.locator("#rfq-state")).to_have_text(T("Awarded"))

    # 6. The purchase orders: one per supplier, at the quoted prices.
    follow(page, page.locator("#rfq-orders"))
    expect(page.locator(".msg.success")).to_contain_text(
        T("Draft purchase orders made: %(numbers)s.").split(":")[0][:6]
    )
    lines_table = page.locator("#rfq-lines")
    expect(lines_table).to_contain_text(shop.preferred.name)
    expect(lines_table).to_contain_text("PO")
    j.check("ordered")
    orders = PurchaseOrder.objects.order_by("id")
    assert sorted(o.supplier_id for o in orders) == sorted([shop.preferred.pk, shop.huaqiang.pk])
    follow(page, lines_table.get_by_role("link").first)
    expect(page.locator("#order-state")).to_be_visible()
    j.finish()

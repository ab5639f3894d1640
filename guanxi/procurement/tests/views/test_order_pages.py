"""The purchase order pages: every page renders for a buyer and an administrator in English and Chinese; the
list (empty, filtered by state incl. "open", supplier, mine, search); the form (the supplier's price when the
unit price is left empty; a refusal keeps every typed line; a blocked supplier is refused with the service's
message beside the field; editing round-trips what the form does not offer); an order's page with its lines,
totals, 大写 and the buttons of each state; 403 for a sales rep and who may only read, 404 for who may not
see; a list whose queries do not grow with its rows. The operations: test_order_operations.py."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.procurement.models import PurchaseOrder
from guanxi.procurement.services import orders as svc
from guanxi.procurement.tests.views.support import PLAIN, buttons, new, page, rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("who", ["buyer", "admin"])
def test_every_page_renders(client, priced, who, lang):
    shop = priced
    draft, sent = new(shop), new(shop, "submit", "approve", "send")
    client.force_login(getattr(shop, who))
    client.cookies["django_language"] = lang
    with translation.override(lang):
        title, gross = (
            translation.gettext("Purchase orders"),
            translation.gettext("Total with tax (价税合计)"),
        )
    urls = [reverse("procurement:orders"), draft.get_absolute_url(), sent.get_absolute_url(),
            reverse("procurement:order_create"), reverse("procurement:order_edit", args=[draft.pk]),
            reverse("procurement:order_change", args=[sent.pk]), sent.get_absolute_url() + "?tab=history",
            sent.get_absolute_url() + "?tab=approval", shop.huaqiang.get_absolute_url() + "?tab=purchase_orders",
            shop.huaqiang.get_absolute_url(),
            reverse("core:print_preview", args=["procurement.purchaseorder", sent.pk, "purchase_order"])]  # fmt: skip
    for url in urls:
        page(client, url)
    assert title in page(client, reverse("procurement:orders"))
    html = page(client, sent.get_absolute_url())
    assert gross in html and "壹万零陆拾柒元捌角" in html  # 20000 × ¥0.003 + 13 % VAT, and 2 × ¥5000 without
    assert f'lang="{lang}"' in html


def test_the_list_empty_then_filtered(client, priced):
    shop = priced
    client.force_login(shop.buyer)
    url = reverse("procurement:orders")
    assert "No purchase orders yet." in page(client, url)
    draft = new(shop)
    sent = new(shop, "submit", "approve", "send")
    other = new(shop, actor=shop.mate, supplier=shop.preferred.pk, lines=PLAIN)
    assert rows(page(client, url)) == [other.number, sent.number, draft.number]  # the team's
    assert rows(page(client, url + "?state=open")) == [sent.number]
    assert rows(page(client, url + "?state=draft")) == [other.number, draft.number]
    assert rows(page(client, url + f"?supplier={shop.preferred.pk}")) == [other.number]
    assert rows(page(client, url + "?owner=me")) == [sent.number, draft.number]
    assert rows(page(client, url + f"?q={draft.number}")) == [draft.number]
    assert "No purchase order matches." in page(client, url + "?q=nothing-like-it")
    html = page(client, url + "?state=nonsense")
    assert 'role="alert"' in html and rows(html) == []
    partial = client.get(url + "?state=open", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="order-results")
    assert "<html" not in partial.content.decode() and rows(partial.content.decode()) == [sent.number]


def test_a_new_order_takes_the_suppliers_price(client, priced):
    shop = priced
    client.force_login(shop.buyer)
    html = page(client, reverse("procurement:order_create") + f"?supplier={shop.huaqiang.pk}")
    assert "Current prices of 深圳华强电子有限公司" in html and "¥0.0035" in html
    form = form_data(html, "order-form")
    assert form["supplier"] == str(shop.huaqiang.pk) and form["currency"] == "CNY"
    form.update({"lines-0-product": str(shop.resistor.pk), "lines-0-quantity": "20000",
                 "lines-0-requested_date": "2030-01-10", "contact": str(shop.wang.pk),
                 "payment_terms": "月结30天", "delivery_address": "深圳市南山区科技园"})  # fmt: skip
    resp = client.post(reverse("procurement:order_create"), form, follow=True)
    o = PurchaseOrder.objects.get()
    assert resp.redirect_chain[-1][0] == o.get_absolute_url()
    assert f"Purchase order {o.number} added." in resp.content.decode()
    line = o.lines.get()
    assert (str(line.unit_price), line.supplier_code, str(o.gross_total)) == (
        "0.003000",
        "RC0603FR-0710KL",
        "67.8000",
    )
    assert (o.contact, o.owner, o.payment_terms, line.requested_date.isoformat()) == (
        shop.wang,
        shop.buyer,
        "月结30天",
        "2030-01-10",
    )


def test_an_error_keeps_every_typed_line(client, priced):
    shop = priced
    client.force_login(shop.buyer)
    form = form_data(
        page(client, reverse("procurement:order_create") + f"?supplier={shop.huaqiang.pk}"), "order-form"
    )
    lines = [{"product": str(shop.resistor.pk), "quantity": "-5", "requested_date": "2030-01-10"},
             {"description": "Tooling", "quantity": "1", "unit_price": "abc", "supplier_code": "T-1"},
             {"product": str(shop.carton.pk), "quantity": "10"}]  # fmt: skip
    for i, line in enumerate(lines):
        form.update({f"lines-{i}-{k}": v for k, v in line.items()})
    form["notes"] = "请随货附送货单"
    resp = client.post(reverse("procurement:order_create"), form)
    assert resp.status_code == 200 and not PurchaseOrder.objects.exists()
    html = resp.content.decode()
    assert "Some lines need correcting: see below." in html
    assert "Enter a quantity above zero." in html and "the supplier has no price for it in CNY" in html
    again = form_data(html, "order-form")
    for i, line in enumerate(lines):
        for k, v in line.items():
            assert again[f"lines-{i}-{k}"] == v, (i, k)
    assert again["notes"] == "请随货附送货单" and again["supplier"] == str(shop.huaqiang.pk)
    again.update({"lines-0-quantity": "5000", "lines-1-unit_price": "800", "lines-2-unit_price": "3.5"})
    assert client.post(reverse("procurement:order_create"), again).status_code == 302
    assert PurchaseOrder.objects.get().lines.count() == 3


def test_a_blocked_supplier_is_refused_beside_the_field(client, priced):
    shop = priced
    client.force_login(shop.buyer)
    refusal = "宁波劣质包装有限公司 is Blocked: purchase orders go only to approved or preferred suppliers."
    html = page(client, reverse("procurement:order_create") + f"?supplier={shop.blocked.pk}")
    assert re.search(r'id="supplier-error">([^<]*)<', html).group(1) == refusal  # said at once
    form = form_data(html, "order-form")
    form.update({"lines-0-description": "Cartons", "lines-0-quantity": "100", "lines-0-unit_price": "2"})
    resp = client.post(reverse("procurement:order_create"), form)
    assert resp.status_code == 200 and not PurchaseOrder.objects.exists()
    html = resp.content.decode()
    assert re.search(r'id="supplier-error">([^<]*)<', html).group(1) == refusal
    again = form_data(html, "order-form")
    assert (again["supplier"], again["lines-0-description"], again["lines-0-unit_price"]) == (
        str(shop.blocked.pk), "Cartons", "2")  # fmt: skip
    assert shop.blocked.name not in page(client, reverse("procurement:supplier_options") + "?supplier_q=宁波")


def test_editing_a_draft_round_trips_it(client, priced):
    shop = priced
    o = new(shop, contact=shop.wang.pk, payment_terms="预付30%", notes="Net 30")
    client.force_login(shop.buyer)
    url = reverse("procurement:order_edit", args=[o.pk])
    form = form_data(page(client, url), "order-form")
    assert (form["lines-0-quantity"], form["lines-0-unit_price"], form["lines-1-unit_price"]) == (
        "20000",
        "0.003",
        "5000",
    )
    assert (form["contact"], form["version"], form["lines-0-requested_date"]) == (
        str(shop.wang.pk),
        "1",
        "2030-01-10",
    )
    assert client.post(url, form).status_code == 302
    after = PurchaseOrder.objects.get(pk=o.pk)
    assert (after.gross_total, after.version, after.contact, after.payment_terms, after.notes) == (
        o.gross_total, 2, shop.wang, "预付30%", "Net 30")  # fmt: skip
    assert [x.supplier_code for x in after.lines.all()] == ["RC0603FR-0710KL", ""]
    form.update({"lines-1-quantity": "3"})  # the version of the form is stale now
    html = client.post(url, form).content.decode()
    assert "Someone else changed this record" in html and PurchaseOrder.objects.get(pk=o.pk).version == 2


def test_the_page_of_an_order_and_its_buttons_per_state(client, priced):
    shop = priced
    o = new(shop)
    client.force_login(shop.buyer)
    html = page(client, o.get_absolute_url())
    for text in ("Custom reel", "R-0603-10K", "¥0.0030", "¥10,000.00", "¥10,067.80", "2030-01-10", "Draft"):
        assert text in html, text
    assert "壹万零陆拾柒元捌角" in html and buttons(html) == {"edit", "submit", "cancel"}
    client.force_login(shop.executive)  # reads, changes nothing
    assert buttons(page(client, o.get_absolute_url())) == set()
    client.force_login(shop.buyer)
    o = new(shop, "submit")
    html = page(client, o.get_absolute_url())
    assert buttons(html) == {"cancel"} and "To approve" in html and 'id="decide"' not in html
    client.force_login(shop.pm)  # the approver decides on the page
    assert 'id="decide"' in page(client, o.get_absolute_url())
    client.force_login(shop.buyer)
    o = new(shop, "submit", "approve")
    assert buttons(page(client, o.get_absolute_url())) == {"send", "change", "cancel"}
    o = svc.order_send(actor=shop.buyer, order=o, version=o.version)
    assert buttons(page(client, o.get_absolute_url())) == {"send", "confirm", "change", "cancel", "close"}
    usd = new(shop, currency="USD", lines=[{"description": "Cable", "unit_price": "10", "quantity": "1"}])
    html = page(client, usd.get_absolute_url())
    assert "$10.00" in html and "doc-capitals" not in html


def test_403_for_a_sales_rep_and_who_may_only_read_404_for_who_may_not_see(client, priced):
    shop = priced
    o = new(shop)
    client.force_login(shop.rep)
    for url in (reverse("procurement:orders"), o.get_absolute_url(), reverse("procurement:order_create")):
        page(client, url, 403)
    client.force_login(shop.executive)
    page(client, o.get_absolute_url())
    page(client, reverse("procurement:order_edit", args=[o.pk]), 403)
    page(client, reverse("procurement:order_create"), 403)
    assert (
        client.post(reverse("procurement:order_action", args=[o.pk, "submit"]), {"version": 1}).status_code
        == 403
    )
    client.force_login(shop.buyer_west)
    for url in (o.get_absolute_url(), reverse("procurement:order_edit", args=[o.pk]),
                reverse("core:print_preview", args=["procurement.purchaseorder", o.pk, "purchase_order"])):  # fmt: skip
        page(client, url, 404)
    assert (
        client.post(reverse("procurement:order_action", args=[o.pk, "submit"]), {"version": 1}).status_code
        == 404
    )
    assert PurchaseOrder.objects.get(pk=o.pk).state == "draft"


def test_list_queries_do_not_grow_with_rows(client, priced):
    shop = priced
    client.force_login(shop.buyer)
    counts = []
    for n in (1, 20):
        while PurchaseOrder.objects.count() < n:
            new(
                shop,
                supplier=(shop.huaqiang, shop.preferred)[PurchaseOrder.objects.count() % 2].pk,
                lines=PLAIN,
            )
        page(client, reverse("procurement:orders"))  # the currency table is read once per process
        with CaptureQueriesContext(connection) as ctx:
            assert len(rows(page(client, reverse("procurement:orders")))) == n
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts

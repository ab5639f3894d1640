"""The supplier price pages: they render for a buyer and an administrator in English and Chinese; the list of
current prices (empty, filtered by supplier and product); "record a price" with quantity breaks (a refusal
keeps what was typed, each message beside its field or break); the history of a supplier's price for a product
with the replaced price kept; the supplier's Price information tab; 403 for a sales rep and for who may only
read; a list whose queries do not grow with its rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guanxi.catalog.tests.factories import make_product
from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.procurement.models import SupplierPrice
from guanxi.procurement.services import prices

pytestmark = pytest.mark.django_db


def record(shop, product=None, supplier=None, actor=None, **data):
    data = {"supplier": (supplier or shop.huaqiang).pk, "product": (product or shop.resistor).pk,
            "unit_price": "0.0035", "min_quantity": "1000", **data}  # fmt: skip
    return prices.supplier_price_record(actor=actor or shop.buyer, data=data)


def page(client, url, status=200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    return resp.content.decode()


def rows(html: str) -> list[str]:
    return re.findall(r'<a href="/purchasing/prices/history/(\d+/\d+)/">', html)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("who", ["buyer", "admin"])
def test_every_page_renders(client, shop, who, lang):
    record(shop, breaks=[{"min_quantity": "10000", "unit_price": "0.003"}])
    client.force_login(getattr(shop, who))
    client.cookies["django_language"] = lang
    with translation.override(lang):
        title = translation.gettext("Supplier prices")
    assert title in page(client, reverse("procurement:prices"))
    page(client, reverse("procurement:price_create"))
    html = page(client, reverse("procurement:price_history", args=[shop.huaqiang.pk, shop.resistor.pk]))
    assert "¥0.0035" in html and "¥0.0030" in html
    assert "¥0.0035" in page(client, shop.huaqiang.get_absolute_url() + "?tab=supplier_prices")


def test_the_list_empty_then_filtered(client, shop):
    client.force_login(shop.buyer)
    url = reverse("procurement:prices")
    assert "No supplier prices yet." in page(client, url)
    record(shop)
    record(shop, product=shop.carton, unit_price="3.5", min_quantity="500")
    record(shop, product=shop.carton, supplier=shop.preferred, actor=shop.admin, unit_price="3.2")
    h, p = shop.huaqiang.pk, shop.preferred.pk
    r, c = shop.resistor.pk, shop.carton.pk
    assert rows(page(client, url)) == [f"{h}/{r}", f"{h}/{c}", f"{p}/{c}"]
    assert rows(page(client, url + f"?supplier={p}")) == [f"{p}/{c}"]
    assert rows(page(client, url + f"?product={c}")) == [f"{h}/{c}", f"{p}/{c}"]
    assert "No current price matches." in page(client, url + f"?supplier={p}&product={r}")
    partial = client.get(url + f"?product={r}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="price-results")
    assert "<html" not in partial.content.decode() and rows(partial.content.decode()) == [f"{h}/{r}"]


def test_recording_a_price_with_breaks_keeps_the_earlier_in_the_history(client, shop):
    earlier = record(shop)
    client.force_login(shop.buyer)
    url = reverse("procurement:price_create")
    html = page(client, url + f"?supplier={shop.huaqiang.pk}&product={shop.resistor.pk}")
    form = form_data(html, "price-form")
    assert (form["supplier"], form["product"], form["currency"], form["min_quantity"]) == (
        str(shop.huaqiang.pk), str(shop.resistor.pk), "CNY", "1")  # fmt: skip
    assert shop.preferred.name not in html  # the buyer records prices of their own suppliers only
    form.update({"unit_price": "0.0032", "min_quantity": "1000", "lead_time_days": "10", "supplier_code": "RC0603",
                 "breaks-0-min_quantity": "10000", "breaks-0-unit_price": "0.0028", "note": "报价单 Q-8812"})  # fmt: skip
    resp = client.post(url, form, follow=True)
    new = SupplierPrice.objects.exclude(pk=earlier.pk).get()
    history = reverse("procurement:price_history", args=[shop.huaqiang.pk, shop.resistor.pk])
    assert resp.redirect_chain[-1][0] == history
    html = resp.content.decode()
    assert "The price of R-0603-10K from 深圳华强电子有限公司 is recorded" in html
    assert "Replaced" in html and "Current" in html and "报价单 Q-8812" in html and "¥0.0028" in html
    assert [(str(b.min_quantity), str(b.unit_price)) for b in new.breaks.all()] == [("10000.000", "0.002800")]
    earlier.refresh_from_db()
    assert earlier.replaced_at is not None and new.replaced_at is None


def test_a_refused_price_keeps_what_was_typed(client, shop):
    client.force_login(shop.buyer)
    url = reverse("procurement:price_create")
    form = form_data(page(client, url), "price-form")
    form.update({"supplier": str(shop.huaqiang.pk), "product": str(shop.sold_only.pk), "unit_price": "",
                 "min_quantity": "1000", "valid_until": "2000-01-01", "breaks-0-min_quantity": "500",
                 "breaks-0-unit_price": "0.003", "breaks-1-min_quantity": "5000", "breaks-1-unit_price": "x"})  # fmt: skip
    resp = client.post(url, form)
    assert resp.status_code == 200 and not SupplierPrice.objects.exists()
    html = resp.content.decode()
    for text in ("Choose a product that may be bought.", "A break starts above the minimum order quantity.",
                 "The last valid day comes on or after the first.",
                 "Some quantity breaks need correcting: see below."):  # fmt: skip
        assert text in html, text
    again = form_data(html, "price-form")
    for k in ("product", "min_quantity", "valid_until", "breaks-0-min_quantity", "breaks-1-unit_price"):
        assert again[k] == form[k], k
    more = client.post(url, {**again, "add_rows": "1"})
    assert "breaks-6-unit_price" in form_data(more.content.decode(), "price-form")  # more rows, nothing saved
    again.update({"product": str(shop.resistor.pk), "unit_price": "0.0035", "valid_until": "",
                  "breaks-0-min_quantity": "10000", "breaks-1-unit_price": "0.0025", "breaks-1-min_quantity": "50000"})  # fmt: skip
    assert client.post(url, again).status_code == 302
    assert SupplierPrice.objects.get().breaks.count() == 2


def test_the_suppliers_price_tab(client, shop):
    client.force_login(shop.buyer)
    tab = shop.huaqiang.get_absolute_url() + "?tab=supplier_prices"
    html = page(client, tab)
    assert "No price recorded for this supplier yet." in html
    assert f"/purchasing/prices/new/?supplier={shop.huaqiang.pk}" in html
    record(shop, breaks=[{"min_quantity": "10000", "unit_price": "0.003"}])
    html = page(client, tab)
    assert "R-0603-10K" in html and "¥0.0030" in html
    client.force_login(shop.executive)  # reads, records nothing
    html = page(client, tab)
    assert "R-0603-10K" in html and "/purchasing/prices/new/" not in html


def test_403_for_a_sales_rep_and_for_who_may_only_read(client, shop):
    record(shop)
    history = reverse("procurement:price_history", args=[shop.huaqiang.pk, shop.resistor.pk])
    client.force_login(shop.rep)
    for url in (reverse("procurement:prices"), reverse("procurement:price_create"), history):
        page(client, url, 403)
    client.force_login(shop.executive)
    page(client, reverse("procurement:prices"))
    page(client, history)
    page(client, reverse("procurement:price_create"), 403)
    post = {"supplier": shop.huaqiang.pk, "product": shop.resistor.pk, "unit_price": "1"}
    assert client.post(reverse("procurement:price_create"), post).status_code == 403
    assert SupplierPrice.objects.count() == 1
    page(client, reverse("procurement:price_history", args=[shop.huaqiang.pk, 999999]), 404)


def test_list_queries_do_not_grow_with_rows(client, shop):
    client.force_login(shop.buyer)
    counts = []
    for n in (1, 20):
        while SupplierPrice.objects.count() < n:
            i = SupplierPrice.objects.count()
            product = make_product(
                shop.admin, f"P-{i:03}", f"物料{i}", f"Part {i}", can_sell=False, can_buy=True
            )
            record(shop, product=product, breaks=[{"min_quantity": "5000", "unit_price": "0.002"}])
        page(client, reverse("procurement:prices"))  # the currency table is read once per process
        with CaptureQueriesContext(connection) as ctx:
            assert len(rows(page(client, reverse("procurement:prices")))) == n
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts

"""Settings → Price lists: the list (empty state, filters, keyset pages, a query count that does not grow with
rows), the form with its items as rows (a refused save keeps every row typed and names each row's problem;
"More rows" saves nothing; editing round-trips the items; a stale version keeps the input), archive and
restore; the least-privileged rep reads but never manages; the customer's price list card; the quote form's
price list and its refusal when the currencies differ."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.crm.models import PriceList, Quote
from guanxi.crm.selectors.pricelists import customer_price_list
from guanxi.crm.services.pricelists import pricelist_update
from guanxi.crm.tests.pricing_support import make_list

pytestmark = pytest.mark.django_db


def page(client, url, status=200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    return resp.content.decode()


def names(html: str) -> list[str]:
    return re.findall(r'<a href="/sales/settings/price-lists/\d+/">([^<]+)</a>', html)


def test_the_list_empty_then_paged_and_filtered(client, world, goods):
    client.force_login(world.manager)
    url = reverse("crm:price_lists")
    html = page(client, url)
    assert "No price lists yet" in html and 'id="price-list-new"' in html
    for i in range(27):
        make_list(world.manager, name=f"List {i:02}", currency="USD" if i == 5 else "CNY")
    first = page(client, url)
    assert len(names(first)) == 25 and names(first)[0] == "List 26"  # newest first
    cursor = re.search(r'href="\?[^"]*cursor=([^"&]+)" id="price-lists-next"', first).group(1)
    assert names(page(client, f"{url}?cursor={cursor}")) == ["List 01", "List 00"]
    assert names(page(client, url + "?currency=USD")) == ["List 05"]
    assert names(page(client, url + "?q=List 1")) == [f"List {i}" for i in range(19, 9, -1)]
    assert "No price list matches." in page(client, url + "?state=archived")
    partial = client.get(url + "?currency=USD", headers={"HX-Request": "true"}).content.decode()
    assert names(partial) == ["List 05"] and "<html" not in partial
    assert 'role="alert"' in page(client, url + "?state=nonsense")


def test_the_list_costs_the_same_for_3_and_30_rows(client, world, goods):
    client.force_login(world.rep)
    url = reverse("crm:price_lists")
    page(client, url)  # warm the session and caches

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page(client, url)
        return len(ctx.captured_queries)

    for i in range(3):
        make_list(world.manager, (goods.switch, 0, "1"), name=f"L{i}")
    small = count()
    for i in range(3, 30):
        make_list(
            world.manager, (goods.switch, 0, "1"), name=f"L{i}", customer=world.huawei.pk if i % 2 else None
        )
    assert count() == small <= 15


def test_the_least_privileged_rep_reads_but_does_not_manage(client, world, goods):
    pl = make_list(world.manager, (goods.switch, 10, "3500"), name="Dealers")
    client.force_login(world.rep)
    html = page(client, reverse("crm:price_lists"))
    assert names(html) == ["Dealers"] and "price-list-new" not in html
    detail = page(client, pl.get_absolute_url())
    assert "3500" in detail and "price-list-edit" not in detail and "price-list-archive" not in detail
    page(client, reverse("crm:price_list_create"), 403)
    page(client, reverse("crm:price_list_edit", args=[pl.pk]), 403)
    assert client.post(reverse("crm:price_list_archive", args=[pl.pk])).status_code == 403
    assert PriceList.objects.get().archived_at is None
    client.force_login(world.service)
    page(client, reverse("crm:price_lists"), 403)


def rows_post(form: dict, *rows) -> dict:
    for i, (product, quantity, price) in enumerate(rows):
        form.update(
            {
                f"items-{i}-product": str(product),
                f"items-{i}-min_quantity": quantity,
                f"items-{i}-unit_price": price,
            }
        )
    return form


def test_create_with_rows_and_a_refused_save_keeps_every_row(client, world, goods):
    client.force_login(world.manager)
    url = reverse("crm:price_list_create")
    form = form_data(page(client, url), "price-list-form")
    assert form["currency"] == "CNY" and sum(k.endswith("-unit_price") for k in form) == 5
    form.update({"name_en": "Dealers", "valid_from": "2026-03-01", "valid_until": "2026-02-01"})
    rows_post(
        form, (goods.switch.pk, "0", "3800"), (goods.switch.pk, "10", "-5"), (goods.switch.pk, "0", "1")
    )
    resp = client.post(url, form)
    html = resp.content.decode()
    assert resp.status_code == 200 and not PriceList.objects.exists()
    assert "The last valid day cannot be before the first." in html and "Some rows need correcting" in html
    again = form_data(html, "price-list-form")
    assert (again["items-1-min_quantity"], again["items-1-unit_price"]) == ("10", "-5")  # kept as typed
    assert again["items-2-product"] == str(goods.switch.pk) and again["name_en"] == "Dealers"
    assert html.count('class="error"') == 2 and "Row 1 already prices this product" in html
    # "More rows": nothing saved, the rows stay, more empty ones
    more = client.post(url, {**again, "add_rows": "1"}).content.decode()
    assert (
        not PriceList.objects.exists()
        and sum(k.endswith("-unit_price") for k in form_data(more, "price-list-form")) == 13
    )
    again.update({"valid_until": "", "items-1-unit_price": "3500", "items-2-product": str(goods.cable.pk)})
    resp = client.post(url, again, follow=True)
    pl = PriceList.objects.get()
    assert (
        resp.redirect_chain[-1][0] == pl.get_absolute_url()
        and "Price list Dealers added." in resp.content.decode()
    )
    assert [
        (x.product.code, f"{x.min_quantity.normalize():f}", f"{x.unit_price.normalize():f}")
        for x in pl.items.order_by("product__code", "min_quantity")
    ] == [("CAB-5", "0", "1"), ("SW-48", "0", "3800"), ("SW-48", "10", "3500")]


def test_edit_round_trips_and_a_stale_version_keeps_the_input(client, world, goods):
    pl = make_list(
        world.manager, (goods.switch, 0, "3800"), (goods.switch, 10, "3500"), name="Dealers", note="含税"
    )
    client.force_login(world.manager)
    url = reverse("crm:price_list_edit", args=[pl.pk])
    form = form_data(page(client, url), "price-list-form")
    assert (form["items-1-min_quantity"], form["items-1-unit_price"], form["note"]) == ("10", "3500", "含税")
    resp = client.post(url, form)  # unchanged: nothing lost, no new version
    assert resp.status_code == 302 and PriceList.objects.get().version == 1 and pl.items.count() == 2
    pricelist_update(actor=world.admin, price_list=pl, version=1, data={"name_zh": "经销价"})
    form["items-0-unit_price"] = "3700"
    html = client.post(url, form).content.decode()
    assert "changed" in html.lower() and form_data(html, "price-list-form")["items-0-unit_price"] == "3700"
    assert pl.items.get(min_quantity=0).unit_price == 3800


def test_archive_and_restore(client, world, goods):
    pl = make_list(world.manager, name="Old prices")
    client.force_login(world.manager)
    url = reverse("crm:price_list_archive", args=[pl.pk])
    html = client.post(url, follow=True).content.decode()
    assert "Price list archived." in html and 'id="price-list-restore"' in html
    assert PriceList.objects.get().archived_at is not None
    client.post(url, {"op": "restore"})
    assert PriceList.objects.get().archived_at is None


def test_the_customer_card_shows_and_changes_the_list(client, world, goods):
    general = make_list(world.manager, (goods.switch, 0, "3800"), name="Dealers")
    own = make_list(world.manager, name="Huawei only", customer=world.huawei.pk)
    make_list(world.admin, name="West only", customer=world.west_co.pk)
    client.force_login(world.rep)
    html = page(client, world.huawei.get_absolute_url())
    card = html[html.index('id="card-price-list"') :]
    assert "No price list assigned" in card and "Huawei only" in card
    options = form_data(card, "price-list-form")
    assert options["price_list"] == ""
    assert re.findall(r'<option value="(\d+)"', card[: card.index("</form>")]) == [
        str(general.pk),
        str(own.pk),
    ]
    resp = client.post(
        reverse("crm:customer_price_list", args=[world.huawei.pk]), {"price_list": general.pk}, follow=True
    )
    assert "The customer&#x27;s price list is saved." in resp.content.decode()
    assert customer_price_list(party=world.huawei) == general
    # someone who may only read the customer sees the card without the form
    client.force_login(world.executive)
    card = page(client, world.huawei.get_absolute_url())
    assert "Dealers" in card and 'id="price-list-form"' not in card


def test_the_quote_form_refuses_a_list_in_another_currency(client, world, goods):
    dollars = make_list(world.manager, (goods.switch, 0, "500"), name="Dollar dealers", currency="USD")
    client.force_login(world.rep)
    form = form_data(page(client, reverse("crm:quote_create") + f"?customer={world.huawei.pk}"), "quote-form")
    form.update(
        {"price_list": str(dollars.pk), "lines-0-product": str(goods.switch.pk), "lines-0-quantity": "2"}
    )
    html = client.post(reverse("crm:quote_create"), form).content.decode()
    assert "The currencies must match the price list" in html and not Quote.objects.exists()
    assert form_data(html, "quote-form")["price_list"] == str(dollars.pk)
    form["currency"] = "USD"
    client.post(reverse("crm:quote_create"), form)
    q = Quote.objects.get()
    assert (q.price_list, q.lines.get().unit_price) == (dollars, 500)
    assert "Dollar dealers" in page(client, q.get_absolute_url())

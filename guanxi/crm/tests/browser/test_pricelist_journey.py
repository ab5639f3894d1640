"""A price list's journey in a real browser: the Sales Manager makes a price list in Settings → Price lists with
a quantity break (阶梯价: the switch at 3800 from 1, 3500 from 10 — a first save with a bad row is refused and
keeps every row), assigns it to Huawei on the customer's page, and makes a quote there whose line, left without
a unit price, takes the break price; the quote names the list. In English at 1280 px and in 简体中文 at 390 px
(nothing wider than the screen, no CSP violation). Screenshots: /tmp/shots/crm-pricelist-*."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.crm.models import PriceList, Quote
from guanxi.crm.selectors.pricelists import customer_price_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@CASES
def test_a_quantity_break_from_a_price_list_prices_a_quote(page, live_server, world, goods, lang, viewport):
    url = live_server.url
    j = Journey(page, live_server, lang, viewport, prefix="crm-pricelist")
    T = j.T
    j.as_user(world.manager)

    # 1. Settings → Price lists: empty, then a new list with two rows; a bad row is refused, nothing is lost.
    j.open_menu_link(T("Price lists"))
    expect(page.locator("table.price-lists")).to_contain_text(
        T("No price lists yet: quotes take the catalogue's sale prices.")
    )
    j.check("empty")
    follow(page, page.locator("#price-list-new"))
    page.fill("#id_name_en", "Volume prices")
    page.fill("#id_name_zh", "阶梯价目表")
    page.select_option('select[name="items-0-product"]', value=str(goods.switch.pk))
    page.fill('input[name="items-0-unit_price"]', "3800")
    page.select_option('select[name="items-1-product"]', value=str(goods.switch.pk))
    page.fill('input[name="items-1-min_quantity"]', "10")
    page.fill('input[name="items-1-unit_price"]', "-3500")
    follow(page, page.locator("#price-list-save"))
    expect(page.locator("tr.has-error .error")).to_have_count(1)
    expect(page.locator('input[name="items-1-min_quantity"]')).to_have_value("10")  # kept as typed
    assert not PriceList.objects.exists()
    j.check("refused")
    page.fill('input[name="items-1-unit_price"]', "3500")
    follow(page, page.locator("#price-list-save"))
    pl = PriceList.objects.get()
    expect(page.locator("#price-list-items tbody tr")).to_have_count(2)
    j.check("detail")
    page.goto(f"{url}/sales/settings/price-lists/")
    expect(page.locator("table.price-lists")).to_contain_text(pl.name_zh if lang == "zh-hans" else pl.name_en)
    j.check("list")

    # 2. On Huawei's page: the price list card, assign the list.
    page.goto(f"{url}{world.huawei.get_absolute_url()}")
    card = page.locator("#card-price-list")
    expect(card).to_contain_text(
        T(
            "No price list assigned: quotes take the default price list of their currency, else the catalogue's sale price."
        )
    )
    card.locator("select[name=price_list]").select_option(value=str(pl.pk))
    follow(page, card.get_by_role("button", name=T("Save")))
    expect(page.locator("#card-price-list")).to_contain_text(pl.name_zh if lang == "zh-hans" else pl.name_en)
    assert customer_price_list(party=world.huawei) == pl
    page.locator("#card-price-list").scroll_into_view_if_needed()
    j.check("customer-card")

    # 3. New quote from the customer's page: 12 switches without a unit price take the break (3500).
    follow(page, page.get_by_role("link", name=T("New quote")))
    page.select_option('select[name="lines-0-product"]', value=str(goods.switch.pk))
    page.fill('input[name="lines-0-quantity"]', "12")
    follow(page, page.get_by_role("button", name=T("Save")))
    q = Quote.objects.get()
    assert (q.price_list, q.lines.get().unit_price, q.gross_total) == (pl, Decimal(3500), Decimal("47460.00"))
    expect(page.locator("#quote-price-list")).to_contain_text(pl.name_zh if lang == "zh-hans" else pl.name_en)
    expect(page.locator("#doc-gross")).to_contain_text("47,460.00")
    j.check("quote")
    j.finish()

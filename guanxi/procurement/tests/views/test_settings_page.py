"""The purchasing settings page (Settings → Purchasing settings): administrators only (a buyer gets 403 and no
menu item); it renders in English and Chinese; bad input is refused beside its field with the input kept and
nothing saved; a save is audited and shown in the page's history, and the invoice match uses it at once; a
stale page is a 409 that keeps the input and shows what is saved now."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.procurement.models import PurchasingSettings
from guanxi.procurement.services.invoices import price_problem
from guanxi.procurement.services.settings import purchasing_settings_save
from guanxi.procurement.tests.views.support import page

pytestmark = pytest.mark.django_db
URL = "/purchasing/settings/"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_administrators_only(client, shop, lang):
    assert reverse("procurement:settings") == URL
    client.force_login(shop.admin)
    client.cookies["django_language"] = lang
    with translation.override(lang):
        title = translation.gettext("Purchasing settings")
    html = page(client, URL)
    assert title in html and f'lang="{lang}"' in html and f'href="{URL}"' in html  # the menu item
    form = form_data(html, "settings-form")
    assert {k: v for k, v in form.items() if k != "csrfmiddlewaretoken"} == {
        "version": "1",
        "over_delivery_percent": "0",
        "backdate_days": "7",
        "price_tolerance_percent": "2",
        "price_tolerance_amount": "50",
        "quantity_tolerance_percent": "0",
        "rfq_min_quotes": "3",
        "rfq_min_quotes_above": "50000",
    }
    for user in (shop.buyer, shop.pm, shop.rep):
        client.force_login(user)
        page(client, URL, 403)
        assert client.post(URL, {**form, "backdate_days": "30"}).status_code == 403
        assert f'href="{URL}"' not in client.get("/", follow=True).content.decode()  # the menu
    assert PurchasingSettings.current().backdate_days == 7


def test_bad_input_is_kept_beside_its_field(client, shop):
    client.force_login(shop.admin)
    form = form_data(page(client, URL), "settings-form")
    form.update({"price_tolerance_percent": "150", "backdate_days": "1.5", "price_tolerance_amount": "abc",
                 "over_delivery_percent": "5"})  # fmt: skip
    resp = client.post(URL, form)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Enter a number from 0 to 100." in html and "Enter a number." in html
    assert "At most 0 decimal places." in html
    again = form_data(html, "settings-form")
    assert (again["price_tolerance_percent"], again["backdate_days"], again["over_delivery_percent"]) == (
        "150",
        "1.5",
        "5",
    )
    rules = PurchasingSettings.current()
    assert (rules.version, rules.over_delivery_percent) == (1, 0)


def test_a_save_is_audited_and_used_by_the_match(client, shop):
    client.force_login(shop.admin)
    form = form_data(page(client, URL), "settings-form")
    form.update({"price_tolerance_percent": "12.5", "price_tolerance_amount": "500", "backdate_days": "14"})
    resp = client.post(URL, form, follow=True)
    html = resp.content.decode()
    assert resp.redirect_chain[-1][0] == URL and "The purchasing settings are saved." in html
    rules = PurchasingSettings.current()
    assert (rules.version, rules.price_tolerance_percent, rules.backdate_days) == (2, Decimal("12.5"), 14)
    history = html[html.index('class="history"') :]
    assert "12.50" in history and "500.00" in history and "admin" in history
    # ¥2.20 for ¥2.00 on 800: 10 % and ¥160, within 12.5 % and ¥500 now.
    assert not price_problem(order_price=Decimal(2), price=Decimal("2.2"), quantity=Decimal(800), rules=rules)
    assert (
        client.post(URL, {**form_data(html, "settings-form")}).status_code == 302
    )  # unchanged: no new version
    assert PurchasingSettings.current().version == 2


def test_a_stale_page_is_a_409_that_keeps_the_input(client, shop):
    client.force_login(shop.admin)
    form = form_data(page(client, URL), "settings-form")
    purchasing_settings_save(actor=shop.admin, data={"version": "1", "backdate_days": "3"})  # someone else
    form["quantity_tolerance_percent"] = "5"
    resp = client.post(URL, form)
    html = resp.content.decode()
    assert resp.status_code == 409 and "Someone else changed this record" in html
    again = form_data(html, "settings-form")
    assert (again["quantity_tolerance_percent"], again["backdate_days"], again["version"]) == ("5", "7", "2")
    assert re.search(r"Saved now:</?[^>]*>?\s*3", html) or "Saved now: 3" in html
    assert client.post(URL, again).status_code == 302  # saving again replaces what is saved now
    rules = PurchasingSettings.current()
    assert (rules.quantity_tolerance_percent, rules.backdate_days, rules.version) == (Decimal(5), 7, 3)


def test_the_roles_page_lists_the_purchasing_actions(client, admin_user):
    # The actions were declared under "purchasing" (an area code), not the app label: the roles page was a 500.
    client.force_login(admin_user)
    resp = client.get("/settings/roles/")
    assert resp.status_code == 200
    assert "Change purchase orders" in resp.content.decode()

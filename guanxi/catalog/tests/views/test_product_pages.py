"""The product list (empty states, live search, both languages, queries that do not grow with rows), a
product's page and tabs, the form (prices per currency round-trip, also in a currency no longer in use),
archive and restore."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.catalog.models import Product
from guanxi.catalog.services.products import product_archive
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.core.models import Currency
from guanxi.core.money import forget_currencies
from guanxi.core.services.money import currency_update

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "results"}


@pytest.fixture(autouse=True)
def _fresh_currency_table():
    """Amounts are formatted from a table of currencies kept in the process: forget the last test's."""
    forget_currencies()
    yield
    forget_currencies()


def _errors(resp) -> list[str]:
    """The error messages a form page shows (for a failing assertion's message)."""
    page = resp.content.decode()
    return re.findall(r'<p(?: class="error" role="alert")?>([^<]+)</p>', page[page.find('class="errors"') :])[
        :5
    ]


def _prices(product) -> dict[str, Decimal]:
    return {p.currency_id: p.amount for p in product.prices.all()}


@pytest.fixture
def screw(staff):
    top = make_category(staff.manager, "Electronics", "电子")
    cat = make_category(staff.manager, "Fasteners", "紧固件", parent=top)
    return make_product(
        staff.manager,
        "GX-1001",
        name_zh="不锈钢螺丝",
        name_en="Stainless screw",
        description="A2-70",
        category=cat,
        purchase_unit="box12",
        tax_rate="vat13",
        can_buy=True,
        prices=[{"currency": "CNY", "amount": "12.50"}, {"currency": "USD", "amount": "1.8"}],
    )


# The list ---------------------------------------------------------------------------------------------------


def test_an_empty_catalogue_invites_the_first_product(client, staff):
    client.force_login(staff.manager)
    page = client.get("/catalogue/").content.decode()
    assert (
        "No products yet." in page
        and 'href="/catalogue/new/"' in page
        and 'href="/catalogue/import/"' in page
    )
    client.force_login(staff.rep)
    page = client.get("/catalogue/").content.decode()
    assert "No products yet." in page and "/catalogue/new/" not in page


def test_nothing_matching_the_search_says_so(client, staff, screw):
    client.force_login(staff.rep)
    page = client.get("/catalogue/", {"q": "zzzz"}).content.decode()
    assert "Nothing matches “zzzz”" in page and "GX-1001" not in page
    page = client.get("/catalogue/", {"kind": "service"}).content.decode()
    assert "No records match these filters." in page and "Clear filters" in page


def test_only_archived_products_points_to_them(client, staff, screw):
    product_archive(actor=staff.manager, product=screw)
    client.force_login(staff.rep)
    page = client.get("/catalogue/").content.decode()
    assert "There are only archived records here." in page and "?state=archived" in page
    assert "No products yet." not in page
    archived = client.get("/catalogue/", {"state": "archived"}).content.decode()
    assert "GX-1001" in archived and 'class="badge archived"' in archived


def test_the_list_shows_each_product(client, staff, screw):
    make_product(staff.manager, "S-1", name_zh="安装服务", kind="service")
    client.force_login(staff.rep)
    resp = client.get("/catalogue/")
    page = resp.content.decode()
    assert resp.status_code == 200 and "<html" in page
    assert f'href="/catalogue/{screw.pk}/"' in page
    assert "不锈钢螺丝" in page and "Stainless screw" in page and "Fasteners" in page
    assert "¥12.50" in page and "2 records" in page
    # A representative reads: no buttons to change or export.
    assert "/catalogue/new/" not in page and "/catalogue/export/" not in page


def test_live_search_returns_only_the_results(client, staff, screw):
    make_product(staff.manager, "GX-2002", name_zh="铜线", name_en="Copper wire")
    client.force_login(staff.rep)
    resp = client.get("/catalogue/", {"q": "bxg"}, headers=HTMX)
    part = resp.content.decode()
    assert resp.status_code == 200 and "HX-Request" in resp["Vary"]
    assert "<html" not in part and 'id="filters"' not in part
    assert "GX-1001" in part and "GX-2002" not in part
    full = client.get("/catalogue/", {"q": "bxg"}).content.decode()
    assert "<html" in full and 'id="filters"' in full and "GX-1001" in full


def test_a_bad_filter_is_said_not_a_crash(client, staff, screw):
    client.force_login(staff.rep)
    resp = client.get("/catalogue/", {"state": "gone", "sort": "price"})
    assert resp.status_code == 200
    assert 'class="errors"' in resp.content.decode()


def test_the_list_in_chinese(client, staff, screw):
    client.force_login(staff.rep)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/catalogue/").content.decode()
    assert '<html lang="zh-hans">' in page and "不锈钢螺丝" in page and "紧固件" in page
    page = client.get("/catalogue/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert '<html lang="zh-hans">' in page
    del client.cookies["django_language"]
    page = client.get("/catalogue/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="en">' in page and "Products" in page


def test_list_queries_do_not_grow_with_rows(client, staff, django_assert_max_num_queries):
    cat = make_category(staff.manager, "Fasteners")

    def add(n, start):
        for i in range(start, start + n):
            make_product(
                staff.manager,
                f"Q-{i:03d}",
                name_en=f"Part {i}",
                name_zh=f"零件{i}",
                category=cat,
                tax_rate="vat13",
                prices=[{"currency": "CNY", "amount": "1.5"}, {"currency": "USD", "amount": "0.2"}],
            )

    client.force_login(staff.rep)
    add(5, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/catalogue/").content.decode().count('href="/catalogue/') >= 10
    add(20, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/catalogue/").content.decode()
    assert "25 records" in page and "Q-024" in page
    assert len(small.captured_queries) <= 25, [q["sql"] for q in small.captured_queries]


# A product's page -------------------------------------------------------------------------------------------


def test_overview_tab(client, staff, screw):
    client.force_login(staff.rep)
    page = client.get(f"/catalogue/{screw.pk}/").content.decode()
    facts = page[page.index('id="product-facts"') :]
    assert "GX-1001" in facts and "不锈钢螺丝" in facts and "Stainless screw" in facts
    assert "Electronics › Fasteners" in facts and "box of 12 (box12)" in facts and "VAT 13" in facts
    assert "¥12.50" in facts and "$1.80" in facts and "A2-70" in facts
    assert f"/catalogue/{screw.pk}/edit/" not in page  # a representative cannot edit
    assert '?tab=attachments"' in page and '?tab=history"' in page


def test_attachments_and_history_tabs(client, staff, screw):
    client.force_login(staff.manager)
    attachments = client.get(f"/catalogue/{screw.pk}/", {"tab": "attachments"}).content.decode()
    assert 'id="attachments-panel"' in attachments and "No files attached yet." in attachments
    assert 'enctype="multipart/form-data"' in attachments  # the manager may upload
    client.post(f"/catalogue/{screw.pk}/edit/", {**_as_shown(client, screw), "name_en": "Screw A2"})
    history = client.get(f"/catalogue/{screw.pk}/", {"tab": "history"}).content.decode()
    assert 'class="history"' in history and "Stainless screw" in history and "Screw A2" in history
    assert client.get(f"/catalogue/{screw.pk}/", {"tab": "nonsense"}).status_code == 200


def test_a_representative_sees_the_files_but_uploads_none(client, staff, screw):
    client.force_login(staff.rep)
    page = client.get(f"/catalogue/{screw.pk}/", {"tab": "attachments"}).content.decode()
    assert 'id="attachments-panel"' in page and 'enctype="multipart/form-data"' not in page


def test_unknown_product_is_404_and_no_role_is_403(client, staff, screw):
    client.force_login(staff.rep)
    assert client.get("/catalogue/999999/").status_code == 404
    client.force_login(staff.nobody)
    assert client.get(f"/catalogue/{screw.pk}/").status_code == 403
    assert client.get("/catalogue/").status_code == 403
    client.logout()
    assert client.get("/catalogue/").status_code == 302


# The form ---------------------------------------------------------------------------------------------------


def _as_shown(client, product) -> dict:
    """What the edit form sends back when the user changes nothing."""
    return form_data(client.get(f"/catalogue/{product.pk}/edit/").content.decode(), "product-form")


def test_create_a_product_through_the_form(client, staff):
    cat = make_category(staff.manager, "Fasteners")
    client.force_login(staff.manager)
    data = form_data(client.get("/catalogue/new/").content.decode(), "product-form")
    assert data["can_sell"] == "on" and data["kind"] == "product" and data["code"] == ""
    data.update(
        code="GX-7",
        name_zh="垫片",
        name_en="Washer",
        category=str(cat.pk),
        tax_rate="",
        price_CNY="0.08",
        other_currency="EUR",
        other_price="0.01",
    )
    resp = client.post("/catalogue/new/", data)
    product = Product.objects.get(code="GX-7")
    assert resp.status_code == 302 and resp["Location"] == f"/catalogue/{product.pk}/"
    assert product.unit.code == "pcs" and product.category == cat and product.can_sell and not product.can_buy
    assert _prices(product) == {"CNY": Decimal("0.08"), "EUR": Decimal("0.01")}
    page = client.get(resp["Location"]).content.decode()
    assert "Product GX-7 added." in page


def test_form_errors_keep_what_was_typed(client, staff):
    client.force_login(staff.manager)
    data = form_data(client.get("/catalogue/new/").content.decode(), "product-form")
    data.update(code="GX-8", name_zh="", name_en="", description="keep me", price_CNY="-3")
    resp = client.post("/catalogue/new/", data)
    page = resp.content.decode()
    assert resp.status_code == 200 and not Product.objects.exists()
    assert 'class="errors"' in page or "has-error" in page
    again = form_data(page, "product-form")
    assert again["code"] == "GX-8" and again["description"] == "keep me" and again["price_CNY"] == "-3"


def test_edit_changes_one_field_and_keeps_the_prices(client, staff, screw):
    client.force_login(staff.manager)
    data = _as_shown(client, screw)
    assert data["price_CNY"] == "12.5" and data["price_USD"] == "1.8" and data["version"] == "1"
    resp = client.post(f"/catalogue/{screw.pk}/edit/", {**data, "name_en": "Screw A2-70"})
    assert resp.status_code == 302
    screw.refresh_from_db()
    assert screw.name_en == "Screw A2-70" and screw.version == 2
    assert _prices(screw) == {"CNY": Decimal("12.5"), "USD": Decimal("1.8")}
    assert (
        screw.purchase_unit.code == "box12"
        and screw.tax_rate.code == "vat13"
        and screw.description == "A2-70"
    )
    # Emptying a price removes that currency's price only.
    client.post(f"/catalogue/{screw.pk}/edit/", {**_as_shown(client, screw), "price_USD": ""})
    screw.refresh_from_db()
    assert _prices(screw) == {"CNY": Decimal("12.5")}


def test_a_price_in_a_currency_no_longer_used_is_shown_and_kept(client, staff, screw):
    eur_product = make_product(
        staff.manager,
        "GX-3",
        name_en="Bracket",
        prices=[{"currency": "CNY", "amount": "5"}, {"currency": "EUR", "amount": "0.70"}],
    )
    eur = Currency.objects.get(code="EUR")
    currency_update(actor=staff.admin, currency=eur, version=eur.version, active=False)
    client.force_login(staff.manager)
    data = _as_shown(client, eur_product)
    assert data["price_EUR"] == "0.7"  # shown although EUR is no longer offered to new products
    assert "price_EUR" not in form_data(client.get("/catalogue/new/").content.decode(), "product-form")
    resp = client.post(f"/catalogue/{eur_product.pk}/edit/", {**data, "name_en": "Bracket L"})
    assert resp.status_code == 302, _errors(resp)
    eur_product.refresh_from_db()
    assert eur_product.name_en == "Bracket L"
    assert _prices(eur_product) == {"CNY": Decimal("5"), "EUR": Decimal("0.7")}


def test_a_stale_form_is_refused_and_keeps_the_input(client, staff, screw):
    client.force_login(staff.manager)
    old = _as_shown(client, screw)
    client.post(f"/catalogue/{screw.pk}/edit/", {**old, "name_en": "First"})
    resp = client.post(f"/catalogue/{screw.pk}/edit/", {**old, "name_en": "Second"})
    assert resp.status_code == 200 and 'class="errors"' in resp.content.decode()
    assert form_data(resp.content.decode(), "product-form")["name_en"] == "Second"
    screw.refresh_from_db()
    assert screw.name_en == "First"


def test_only_those_who_change_products_see_the_form(client, staff, screw):
    client.force_login(staff.rep)
    assert client.get("/catalogue/new/").status_code == 403
    assert client.get(f"/catalogue/{screw.pk}/edit/").status_code == 403
    assert client.post(f"/catalogue/{screw.pk}/edit/", {"name_en": "x"}).status_code == 403
    client.force_login(staff.buyer)
    assert client.get(f"/catalogue/{screw.pk}/edit/").status_code == 200


# Archive and restore ----------------------------------------------------------------------------------------


def test_archive_and_restore(client, staff, screw):
    client.force_login(staff.manager)
    resp = client.post(f"/catalogue/{screw.pk}/archive/", {"version": screw.version})
    assert resp.status_code == 302 and resp["Location"] == f"/catalogue/{screw.pk}/"
    screw.refresh_from_db()
    assert screw.archived_at is not None
    page = client.get(f"/catalogue/{screw.pk}/").content.decode()
    assert "archived" in page and 'name="restore"' in page
    # A stale page cannot restore it.
    client.post(f"/catalogue/{screw.pk}/archive/", {"version": 1, "restore": "1"})
    screw.refresh_from_db()
    assert screw.archived_at is not None
    client.post(f"/catalogue/{screw.pk}/archive/", {"version": screw.version, "restore": "1"})
    screw.refresh_from_db()
    assert screw.archived_at is None
    client.force_login(staff.rep)
    assert client.post(f"/catalogue/{screw.pk}/archive/", {"version": screw.version}).status_code == 403
    assert client.get(f"/catalogue/{screw.pk}/archive/").status_code == 405


def test_history_shows_prices_as_prices(client, staff, screw):
    """The History tab is read by people: a change of prices reads as amounts, not as a Python dict."""
    client.force_login(staff.manager)
    client.post(f"/catalogue/{screw.pk}/edit/", {**_as_shown(client, screw), "price_CNY": "13"})
    history = client.get(f"/catalogue/{screw.pk}/", {"tab": "history"}).content.decode()
    changes = history[history.index('class="history"') :]
    assert "Sale prices" in changes and "13" in changes
    assert "{&#x27;" not in changes and "{'" not in changes, re.findall(r"\{[^}]*\}", changes)[:3]


def test_sort_choices_follow_the_language(client, staff, screw):
    from django.utils import translation
    from django.utils.translation import gettext

    client.force_login(staff.rep)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/catalogue/", {"q": "gx"}).content.decode()
    with translation.override("zh-hans"):
        wanted = [gettext("Default order"), gettext("Name A–Z"), gettext("Code A–Z")]
    select = page[page.index('name="sort"') : page.index("</select>", page.index('name="sort"'))]
    for label in wanted:
        assert f">{label}</option>" in select, (label, select)

"""Settings → Product categories and Units of measure: everyone who reads the catalogue sees them, those who
manage it change them (a buyer may not: 403), the forms keep what was typed when refused."""

import pytest

from guanxi.catalog.models import Category, Unit
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.catalog.tests.views.forms_support import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(staff):
    top = make_category(staff.manager, "Electronics", "电子")
    below = make_category(staff.manager, "Resistors", "电阻", parent=top)
    make_product(staff.manager, "R-1", name_en="Resistor", category=below)
    return top, below


def test_a_representative_reads_the_categories(client, staff, tree):
    top, below = tree
    client.force_login(staff.rep)
    page = client.get("/catalogue/categories/").content.decode()
    assert "Electronics" in page and "Resistors" in page and f"/catalogue/?category={below.pk}" in page
    assert "/catalogue/categories/new/" not in page and f"/catalogue/categories/{top.pk}/" not in page
    assert client.get("/catalogue/categories/new/").status_code == 403
    assert client.get(f"/catalogue/categories/{top.pk}/").status_code == 403


def test_a_buyer_may_not_edit_categories_or_units(client, staff, tree):
    top, _below = tree
    client.force_login(staff.buyer)
    assert client.get("/catalogue/categories/").status_code == 200
    assert client.get("/catalogue/categories/new/").status_code == 403
    assert client.post("/catalogue/categories/new/", {"name_en": "Tools", "active": "on"}).status_code == 403
    assert client.get(f"/catalogue/categories/{top.pk}/").status_code == 403
    assert client.get("/catalogue/units/").status_code == 200
    assert client.get("/catalogue/units/new/").status_code == 403
    kg = Unit.objects.get(code="kg")
    assert client.post(f"/catalogue/units/{kg.pk}/", {"name_en": "kilo"}).status_code == 403
    assert not Category.objects.filter(name_en="Tools").exists()
    assert Unit.objects.get(code="kg").name_en == "kilogram"


def test_a_manager_adds_a_category_below_another(client, staff, tree):
    top, below = tree
    client.force_login(staff.manager)
    page = client.get("/catalogue/categories/").content.decode()
    assert "/catalogue/categories/new/" in page and f"/catalogue/categories/new/?parent={top.pk}" in page
    data = form_data(client.get(f"/catalogue/categories/new/?parent={top.pk}").content.decode())
    assert data["parent"] == str(top.pk)
    resp = client.post("/catalogue/categories/new/", {**data, "name_en": "Capacitors", "name_zh": "电容"})
    assert resp.status_code == 302 and resp["Location"] == "/catalogue/categories/"
    cap = Category.objects.get(name_en="Capacitors")
    assert cap.parent == top and cap.depth == 1
    # A sibling with the same name written in traditional characters is refused, the input kept.
    resp = client.post("/catalogue/categories/new/", {**data, "name_zh": "電阻", "name_en": ""})
    page = resp.content.decode()
    assert resp.status_code == 200 and ("has-error" in page or 'class="errors"' in page)
    assert form_data(page)["name_zh"] == "電阻"
    assert Category.objects.filter(parent=top).count() == 2


def test_a_manager_moves_a_category_but_not_under_itself(client, staff, tree):
    top, below = tree
    other = make_category(staff.manager, "Parts")
    client.force_login(staff.manager)
    page = client.get(f"/catalogue/categories/{top.pk}/").content.decode()
    data = form_data(page)
    options = page[page.index('name="parent"') : page.index("</select>", page.index('name="parent"'))]
    assert f'value="{below.pk}"' not in options and f'value="{other.pk}"' in options  # not below itself
    # Posting a category below it anyway (a crafted request) is refused.
    resp = client.post(f"/catalogue/categories/{top.pk}/", {**data, "parent": str(below.pk)})
    assert resp.status_code == 200
    top.refresh_from_db()
    assert top.parent_id is None
    resp = client.post(f"/catalogue/categories/{top.pk}/", {**data, "parent": str(other.pk)})
    assert resp.status_code == 302
    below.refresh_from_db()
    assert below.depth == 2 and below.path.startswith(f"/{other.pk}/{top.pk}/")
    history = client.get(f"/catalogue/categories/{top.pk}/").content.decode()
    assert 'class="history"' in history and "Parts" in history


def test_units_page_for_readers_and_managers(client, staff):
    client.force_login(staff.rep)
    page = client.get("/catalogue/units/").content.decode()
    assert "kilogram" in page and "box of 12" in page and "12 × pcs" in page
    assert "/catalogue/units/new/" not in page
    assert client.get("/catalogue/units/new/").status_code == 403
    client.force_login(staff.manager)
    page = client.get("/catalogue/units/").content.decode()
    kg = Unit.objects.get(code="kg")
    assert "/catalogue/units/new/" in page and f"/catalogue/units/{kg.pk}/" in page


def test_a_manager_adds_and_edits_a_unit(client, staff):
    client.force_login(staff.manager)
    count = Unit.objects.get(code="pcs").category
    data = form_data(client.get("/catalogue/units/new/").content.decode())
    data.update(code="box6", name_en="box of 6", name_zh="箱（6个）", category=str(count.pk), factor="6")
    resp = client.post("/catalogue/units/new/", data)
    assert resp.status_code == 302 and resp["Location"] == "/catalogue/units/"
    box6 = Unit.objects.get(code="box6")
    assert box6.factor == 6 and box6.category == count and box6.active
    # Edit: the code stays (the field is disabled), a bad factor is refused with the input kept.
    data = form_data(client.get(f"/catalogue/units/{box6.pk}/").content.decode())
    assert "code" not in data and data["factor"] == "6" and data["version"] == "1"
    resp = client.post(f"/catalogue/units/{box6.pk}/", {**data, "factor": "-6"})
    assert resp.status_code == 200 and form_data(resp.content.decode())["factor"] == "-6"
    resp = client.post(f"/catalogue/units/{box6.pk}/", {**data, "name_en": "carton of 6", "code": "hacked"})
    assert resp.status_code == 302
    box6.refresh_from_db()
    assert box6.code == "box6" and box6.name_en == "carton of 6" and box6.version == 2


def test_settings_pages_in_chinese(client, staff, tree):
    client.force_login(staff.manager)
    client.cookies["django_language"] = "zh-hans"
    for url in ("/catalogue/categories/", "/catalogue/units/", "/catalogue/categories/new/"):
        page = client.get(url).content.decode()
        assert '<html lang="zh-hans">' in page, url
    assert "电阻" in client.get("/catalogue/categories/").content.decode()
    assert "千克" in client.get("/catalogue/units/").content.decode()

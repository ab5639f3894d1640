"""The province → city → district picker: its htmx endpoints and the address forms without JavaScript."""

import pytest
from django.test import Client
from django.urls import reverse

from guanxi.parties.models import Address, Party
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

CITIES = reverse("parties:region_options", args=["cities"])
DISTRICTS = reverse("parties:region_options", args=["districts"])
LOCATION = reverse("parties:address_location")


@pytest.fixture
def org(admin_user):
    return make_org(admin_user, "Acme")


def test_the_cities_of_a_province(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the session and the user: the table is not in the database
        html = admin_client.get(CITIES, {"province_code": "440000"}).content.decode()
    assert html.startswith('<option value="">—</option><option value="440100">广州市 · Guangzhou</option>')
    assert '<option value="440300">深圳市 · Shenzhen</option>' in html
    assert "北京" not in html


def test_the_picker_sends_its_own_prefixed_name(admin_client):
    html = admin_client.get(DISTRICTS, {"addr-city_code": "440300"}).content.decode()
    assert '<option value="440305">南山区 · Nanshan</option>' in html
    assert (
        admin_client.get(DISTRICTS, {"city_code": ""}).content.decode().strip()
        == '<option value="">—</option>'
    )
    assert admin_client.get(DISTRICTS, {"city_code": "999999"}).content.decode().strip() == (
        '<option value="">—</option>'
    )


def test_labels_in_chinese_are_the_names(admin_client):
    admin_client.cookies["django_language"] = "zh-hans"
    html = admin_client.get(
        CITIES, {"province_code": "440000"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert '<option value="440300">深圳市</option>' in html


def test_a_filter_datalist_gets_names_for_a_typed_province(admin_client):
    html = admin_client.get(CITIES, {"province": "guangdong", "names": "1"}).content.decode()
    assert html.startswith('<option value="广州市">')
    assert '<option value="">' not in html
    assert admin_client.get(CITIES, {"province": "shanxi", "names": "1"}).content.decode().strip() == ""


def test_endpoints_need_a_login_and_a_known_level(admin_client):
    assert Client().get(CITIES, {"province_code": "440000"}).status_code == 302
    assert admin_client.get(reverse("parties:region_options", args=["towns"])).status_code == 404
    assert admin_client.post(CITIES).status_code == 405


def test_changing_the_country_swaps_the_location_fields(admin_client):
    html = admin_client.get(LOCATION, {"addr-country": "us"}).content.decode()
    assert 'id="addr-location-1"' in html and 'name="addr-province"' in html
    assert 'id="addr-location-2" hx-swap-oob="true"' in html and 'name="addr-city"' in html
    assert "<select" not in html
    html = admin_client.get(LOCATION, {"country": "CN"}).content.decode()
    assert 'id="location-1"' in html and '<select name="province_code"' in html
    assert '<option value="440000">广东省 · Guangdong</option>' in html


def test_the_address_form_offers_the_picker(admin_client, org):
    html = admin_client.get(reverse("parties:address_create", args=[org.pk])).content.decode()
    assert '<select name="province_code"' in html and f'hx-get="{CITIES}"' in html
    assert '<optgroup label="广东省 · Guangdong">' in html  # without JavaScript: every city, by province
    assert 'name="province"' not in html
    form = html.split('<form method="post"')[1].split("</form>")[0]
    assert "style=" not in form and " on" not in form  # no inline style or handler (CSP)


def test_a_city_of_another_province_comes_back_with_the_error(admin_client, org):
    url = reverse("parties:address_create", args=[org.pk])
    data = {
        "kind": "office",
        "country": "CN",
        "province_code": "440000",
        "city_code": "110100",
        "street": "1号",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "北京市 is not in 广东省." in html
    assert '<option value="440000" selected>' in html
    assert '<option value="440300">深圳市 · Shenzhen</option>' in html  # now the province's cities
    assert not Address.objects.filter(party=org).exists()
    response = admin_client.post(url, {**data, "city_code": "440300", "district_code": "440305"})
    assert response.status_code == 302
    address = Address.objects.get(party=org)
    assert (address.province, address.city, address.district, address.district_code) == (
        "广东省",
        "深圳市",
        "南山区",
        "440305",
    )


def test_editing_shows_the_saved_place(admin_client, admin_user, org):
    from guanxi.parties.services.addresses import address_create

    address = address_create(
        actor=admin_user,
        party=org,
        data={"province": "广东", "city": "深圳", "district": "南山", "street": "1号"},
    )
    html = admin_client.get(reverse("parties:address_edit", args=[org.pk, address.pk])).content.decode()
    for code in ("440000", "440300", "440305"):
        assert f'<option value="{code}" selected>' in html


def test_an_address_abroad_is_text(admin_client, org):
    url = reverse("parties:address_create", args=[org.pk])
    data = {
        "kind": "office",
        "country": "US",
        "province": "CA",
        "city": "San Francisco",
        "street": "1 Market St",
    }
    assert admin_client.post(url, data).status_code == 302
    address = Address.objects.get(party=org)
    assert (address.province, address.city, address.province_code) == ("CA", "San Francisco", "")


def test_the_new_organization_form_refuses_a_wrong_combination_in_place(admin_client):
    data = {
        "name": "Shenzhen Widgets",
        "is_customer": "on",
        "addr-kind": "office",
        "addr-country": "CN",
        "addr-province_code": "440000",
        "addr-city_code": "110100",
        "addr-street": "科技园 1 号",
    }
    response = admin_client.post(reverse("parties:create", args=["organization"]), data)
    assert response.status_code == 200
    assert "北京市 is not in 广东省." in response.content.decode()
    assert not Party.objects.filter(name="Shenzhen Widgets").exists()
    data["addr-city_code"] = "440300"
    assert admin_client.post(reverse("parties:create", args=["organization"]), data).status_code == 302
    org = Party.objects.get(name="Shenzhen Widgets")
    assert (org.province_code, org.city_code, org.city) == ("440000", "440300", "深圳市")

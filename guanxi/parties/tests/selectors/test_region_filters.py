"""Province and city filters match on the division code: 广东, 广东省, guangdong and 440000 find the same
parties (issue 5, item 16) — in the selector, the web list and the API."""

import pytest
from django.urls import reverse

from guanxi.core.tests.api.helpers import ApiClient, ok
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import PartyFilters, party_list
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(admin_user):
    def org(name, **address):
        return make_org(admin_user, name, address={"street": "1号", **address})

    org("Shenzhen Co", province="广东省", city="深圳市", district="南山区")
    org("Guangzhou Co", province="广东", city="广州")
    org("Beijing Co", province="北京", district="朝阳区")
    org("Changchun Co", province="吉林", city="长春", district="朝阳区")
    org("Suzhou Co", province="江苏", city="苏州")
    org("Suzhou Anhui Co", province="安徽", city="宿州")
    org("Taiyuan Co", province="山西", city="太原")
    org("Xian Co", province="陕西", city="西安")
    org("California Co", country="US", province="CA", city="San Francisco")
    org("Sichuan Co", province="四川", city="成都")
    org("South Carolina Co", country="US", province="SC", city="Columbia")
    make_org(admin_user, "Nowhere Co")


def names(actor, **filters) -> list[str]:
    return sorted(
        p.name for p in party_list(actor=actor, filters=PartyFilters(kind="organization", **filters))
    )


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"province": "广东"}, ["Guangzhou Co", "Shenzhen Co"]),
        ({"province": "广东省"}, ["Guangzhou Co", "Shenzhen Co"]),
        ({"province": "guangdong"}, ["Guangzhou Co", "Shenzhen Co"]),
        ({"province": "Guangdong Province"}, ["Guangzhou Co", "Shenzhen Co"]),
        ({"province": "ｇｕａｎｇｄｏｎｇ"}, ["Guangzhou Co", "Shenzhen Co"]),
        ({"province": "440000"}, ["Guangzhou Co", "Shenzhen Co"]),
        ({"province": "gd"}, ["Guangzhou Co", "Shenzhen Co"]),  # initials naming one province
        ({"city": "深圳"}, ["Shenzhen Co"]),
        ({"city": "shenzhen"}, ["Shenzhen Co"]),
        ({"city": "440300"}, ["Shenzhen Co"]),
        ({"province": "广东", "city": "广州市"}, ["Guangzhou Co"]),
        ({"province": "广东", "city": "北京"}, []),
        ({"province": "北京"}, ["Beijing Co"]),
        ({"city": "北京"}, ["Beijing Co"]),  # a municipality is its own city
        ({"city": "suzhou"}, ["Suzhou Anhui Co", "Suzhou Co"]),  # 苏州 and 宿州: both
        ({"province": "jiangsu", "city": "suzhou"}, ["Suzhou Co"]),
        ({"province": "shanxi"}, ["Taiyuan Co", "Xian Co"]),  # 山西 and 陕西 sound alike
        ({"province": "shaanxi"}, ["Xian Co"]),
        ({"province": "CA"}, ["California Co"]),  # abroad: the name as stored
        ({"city": "San Francisco"}, ["California Co"]),
        ({"province": "SC"}, ["Sichuan Co", "South Carolina Co"]),  # initials of 四川, or a state
        ({"province": "SC", "country": "US"}, ["South Carolina Co"]),
        ({"province": "火星"}, []),
    ],
)
def test_province_and_city_filters(admin_user, places, filters, expected):
    assert names(admin_user, **filters) == expected


def test_the_filter_uses_the_codes_not_the_names(admin_user, places):
    # A party whose stored name differs from the typed one is still found by its code.
    Party.objects.filter(name="Shenzhen Co").update(province="广东", city="深圳")
    assert names(admin_user, province="广东省", city="深圳市") == ["Shenzhen Co"]


def test_the_web_list_filters_by_name_pinyin_and_code(admin_client, places):
    url = reverse("parties:list")
    for value in ("广东", "guangdong", "440000"):
        response = admin_client.get(url, {"province": value})
        assert response.status_code == 200
        assert sorted(p.name for p in response.context["page"].items) == ["Guangzhou Co", "Shenzhen Co"]
    response = admin_client.get(url, {"city": "shenzhen"})
    assert [p.name for p in response.context["page"].items] == ["Shenzhen Co"]
    html = admin_client.get(url, {"province": "广东"}).content.decode()
    assert 'value="广东省"' in html  # the province list offers the official names
    assert 'value="深圳市"' in html  # and the chosen province's cities


def test_the_api_filters_by_name_pinyin_and_code(admin_user, places):
    api = ApiClient(admin_user)

    def names(**params):
        return sorted(i["name"] for i in ok(api.get("/organizations", params))["items"])

    assert names(province="广东") == ["Guangzhou Co", "Shenzhen Co"]
    assert names(province="guangdong") == ["Guangzhou Co", "Shenzhen Co"]
    assert names(province="440000") == ["Guangzhou Co", "Shenzhen Co"]
    assert names(city="深圳") == ["Shenzhen Co"]
    assert names(city="440300") == ["Shenzhen Co"]
    assert names(country="US", province="CA") == ["California Co"]

"""Choosing 广东省 → 深圳市 → 南山区 in the address form, in English and in Chinese (issue 5, item 16)."""

import pytest
from playwright.sync_api import expect

from guanxi.core.tests.browser.support import as_user, follow, login_as, shot, translator
from guanxi.parties.models import Address
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_choose_province_city_and_district(page, live_server, admin_user, language):
    org = make_org(admin_user, "鹏城电子有限公司")
    as_user(page, live_server, admin_user, language)
    page.set_default_timeout(10_000)
    t = translator(language)
    page.goto(f"{live_server.url}/parties/{org.pk}/addresses/new/")
    expect(page.locator("h1")).to_contain_text(t("New address"))

    province, city, district = (
        page.locator("#id_province_code"),
        page.locator("#id_city_code"),
        page.locator("#id_district_code"),
    )
    label = "广东省" if language == "zh-hans" else "广东省 · Guangdong"
    province.select_option(label=label)
    # The city list now holds 广东's cities only (htmx), and the district list is empty until a city is chosen.
    expect(city.locator("option")).to_have_count(1 + 21)
    expect(district.locator("option")).to_have_count(1)
    city.select_option("440300")
    expect(district.locator("option", has_text="南山区")).to_have_count(1)
    district.select_option("440305")
    page.fill("#id_street", "科技园南区高新南一道 9 号")
    shot(page, f"region-picker-{language}")
    follow(page, page.get_by_role("button", name=t("Save")))
    expect(page.locator("#tabpanel")).to_contain_text("广东省深圳市南山区科技园南区高新南一道 9 号")
    address = Address.objects.get(party=org)
    assert (address.province_code, address.city_code, address.district_code) == ("440000", "440300", "440305")

    # Changing the province empties the city and district again; another country gives text fields.
    follow(page, page.locator("#tabpanel").get_by_role("link", name=t("Edit"), exact=True))
    expect(page.locator("#id_district_code")).to_have_value("440305")
    page.locator("#id_province_code").select_option("110000")
    expect(page.locator("#id_city_code option")).to_have_count(2)  # — and 北京市
    expect(page.locator("#id_district_code option")).to_have_count(1)
    page.fill("#id_country", "US")
    page.locator("#id_country").blur()
    expect(page.locator("#id_province")).to_be_visible()
    expect(page.locator("#id_province_code")).to_have_count(0)


def test_filter_the_list_by_a_province_typed_in_pinyin(page, live_server, admin_user):
    make_org(admin_user, "深圳鹏城电子", address={"province": "广东", "city": "深圳", "street": "1号"})
    make_org(admin_user, "北京燕京贸易", address={"province": "北京", "street": "2号"})
    login_as(page, live_server, admin_user)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/parties/")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.locator("#city-options option")).to_have_count(0)
    page.locator("details.morefilters summary").click()
    page.fill("#filter-province", "guangdong")
    page.locator("#filter-province").blur()
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("深圳鹏城电子")
    # The city suggestions now are 广东's cities.
    expect(page.locator('#city-options option[value="深圳市"]')).to_have_count(1)
    expect(page.locator("#province-options option")).to_have_count(31)

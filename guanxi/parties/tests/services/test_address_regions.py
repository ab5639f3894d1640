"""Addresses in China are checked against the national division table (issue 5, item 16)."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.models import AuditEntry
from guanxi.parties.models import Address
from guanxi.parties.services.addresses import address_create, address_update
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

CODES = ("province_code", "city_code", "district_code")


@pytest.fixture
def party(admin_user):
    return make_org(admin_user, "Acme")


def create(actor, party, **data):
    return address_create(actor=actor, party=party, data={"street": "科技园路 1 号", **data})


def refused(actor, party, **data) -> dict:
    with pytest.raises(ValidationError) as exc:
        create(actor, party, **data)
    assert not Address.objects.filter(party=party).exists()
    return {k: v[0] for k, v in exc.value.message_dict.items()}


def located(address):
    return tuple(getattr(address, f) for f in ("province", "city", "district", *CODES))


SHENZHEN_NANSHAN = ("广东省", "深圳市", "南山区", "440000", "440300", "440305")


def test_a_city_of_another_province_is_refused(admin_user, party):
    assert refused(admin_user, party, province="广东省", city="北京市") == {
        "city": "广东省 has no city “北京市”. Did you mean 北京市?"
    }
    assert refused(admin_user, party, province_code="440000", city_code="110100") == {
        "city_code": "北京市 is not in 广东省."
    }
    assert refused(admin_user, party, province_code="440000", city_code="440300", district_code="110105") == {
        "district_code": "朝阳区 is not in 深圳市."
    }


@pytest.mark.parametrize(
    "typed",
    [
        {"province": "广东省", "city": "深圳市", "district": "南山区"},
        {"province": "广东", "city": "深圳", "district": "南山"},
        {"province": "Guangdong Province", "city": "Shenzhen", "district": "Nanshan District"},
        {"province": "ｇｕａｎｇｄｏｎｇ", "city": "深圳", "district": "南山区"},  # full-width
        {"city": "深圳市", "district": "南山区"},  # the province follows from the city
        {"province_code": "440000", "city_code": "440300", "district_code": "440305"},
        {"province_code": "440000", "city_code": "440300", "district_code": "440305", "city": "广州"},
    ],
)
def test_names_and_codes_are_resolved_to_the_division(admin_user, party, typed):
    address = create(admin_user, party, **typed)
    assert located(address) == SHENZHEN_NANSHAN
    party.refresh_from_db()
    assert (party.province, party.city, party.province_code, party.city_code) == (
        "广东省",
        "深圳市",
        "440000",
        "440300",
    )


def test_a_municipality_is_its_own_city(admin_user, party):
    assert located(create(admin_user, party, province="北京", district="朝阳区")) == (
        "北京市",
        "北京市",
        "朝阳区",
        "110000",
        "110100",
        "110105",
    )
    assert located(create(admin_user, party, province="重庆市", city="县", district="城口县"))[3:] == (
        "500000",
        "500100",
        "500229",
    )
    assert str(Address.objects.filter(party=party).first()) == "北京市朝阳区科技园路 1 号"


def test_a_county_level_city_under_the_province_is_a_city(admin_user, party):
    assert located(create(admin_user, party, province="湖北", city="仙桃")) == (
        "湖北省",
        "仙桃市",
        "",
        "420000",
        "429004",
        "",
    )


@pytest.mark.parametrize(
    "typed, field, message",
    [
        (
            {"district": "南山区"},
            "district",
            "“南山区” could be 黑龙江省鹤岗市南山区 / 广东省深圳市南山区: choose one.",
        ),
        ({"city": "suzhou"}, "city", "“suzhou” could be 江苏省苏州市 / 安徽省宿州市: choose one."),
        ({"province": "香港"}, "province", "For an address in 香港, choose the country HK."),
        (
            {"province": "深圳"},
            "province",
            "There is no province “深圳” in China. Did you mean 广东省深圳市?",
        ),
        ({"province": "广东", "city": "台北"}, "city", "广东省 has no city “台北”."),
        (
            {"city": "东莞", "district": "虎门镇"},
            "district",
            "东莞市 has no districts: write the town in the street line.",
        ),
        ({"province_code": "999999"}, "province_code", "No province has the code 999999."),
        ({"province_code": "440300"}, "province_code", "No province has the code 440300."),
    ],
)
def test_what_does_not_resolve_is_refused_saying_what_was_meant(admin_user, party, typed, field, message):
    assert refused(admin_user, party, **typed) == {field: message}


def test_outside_china_the_location_is_free_text(admin_user, party):
    address = create(
        admin_user, party, country="US", province="CA", city="San Francisco", province_code="440000"
    )
    assert located(address) == ("CA", "San Francisco", "", "", "", "")


def test_an_update_by_name_is_resolved_again(admin_user, party):
    address = create(admin_user, party, province="广东", city="深圳", district="南山")
    address = address_update(actor=admin_user, address=address, version=1, data={"city": "guangzhou"})
    # The district of the old city is cleared, as the picker clears it.
    assert located(address) == ("广东省", "广州市", "", "440000", "440100", "")
    with pytest.raises(ValidationError) as exc:
        address_update(actor=admin_user, address=address, version=2, data={"city_code": "110100"})
    assert exc.value.message_dict == {"city_code": ["北京市 is not in 广东省."]}
    address = address_update(actor=admin_user, address=address, version=2, data={"province_code": "110000"})
    assert located(address) == ("北京市", "北京市", "", "110000", "110100", "")
    entry = AuditEntry.objects.filter(target_id=str(address.pk)).order_by("-id").first()
    assert entry.changes == {
        "province": ["广东省", "北京市"],
        "city": ["广州市", "北京市"],
    }  # names, no codes


def test_moving_abroad_clears_the_codes(admin_user, party):
    address = create(admin_user, party, province="上海", city="上海")
    address = address_update(
        actor=admin_user,
        address=address,
        version=1,
        data={"country": "SG", "province": "", "city": "Singapore"},
    )
    assert located(address) == ("", "Singapore", "", "", "", "")
    party.refresh_from_db()
    assert (party.country, party.province_code, party.city_code) == ("SG", "", "")


def test_a_row_saved_before_the_codes_can_still_be_edited(admin_user, party):
    address = create(admin_user, party, province="广东")
    Address.objects.filter(pk=address.pk).update(city="台北")  # what the old demo data holds
    address = address_update(actor=admin_user, address=address, version=1, data={"street": "新地址 2 号"})
    assert (address.street, address.city) == ("新地址 2 号", "台北")

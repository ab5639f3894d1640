"""Addresses in China through the API: division codes or names, checked against the table."""

from __future__ import annotations

import pytest

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(admin_user):
    return make_org(admin_user, "Acme")


def place(data: dict) -> tuple:
    return tuple(
        data[f] for f in ("province", "city", "district", "province_code", "city_code", "district_code")
    )


def test_names_are_resolved_to_codes(api, org):
    body = {"province": "广东", "city": "shenzhen", "district": "南山", "street": "科技园路1号"}
    data = ok(api.post(f"/parties/{org.pk}/addresses", body), 201)
    assert place(data) == ("广东省", "深圳市", "南山区", "440000", "440300", "440305")
    party = ok(api.get(f"/organizations/{org.pk}"))
    assert (party["province"], party["city"]) == ("广东省", "深圳市")
    assert place(party["addresses"][0]) == place(data)


def test_codes_alone_are_enough(api, org):
    body = {"province_code": "110000", "district_code": "110105", "street": "建国路 1 号"}
    data = ok(api.post(f"/parties/{org.pk}/addresses", body), 201)
    assert place(data) == ("北京市", "北京市", "朝阳区", "110000", "110100", "110105")


@pytest.mark.parametrize(
    "body, field, message",
    [
        (
            {"province": "广东省", "city": "北京市"},
            "city",
            "广东省 has no city “北京市”. Did you mean 北京市?",
        ),
        ({"province_code": "440000", "city_code": "110100"}, "city_code", "北京市 is not in 广东省."),
        (
            {"district": "朝阳区"},
            "district",
            "“朝阳区” could be 北京市朝阳区 / 吉林省长春市朝阳区: choose one.",
        ),
        ({"province": "香港"}, "province", "For an address in 香港, choose the country HK."),
    ],
)
def test_what_does_not_fit_is_a_422_naming_the_field(api, org, body, field, message):
    data = problem(api.post(f"/parties/{org.pk}/addresses", {**body, "street": "1号"}), 422)
    assert data["errors"] == [{"field": field, "message": message}]
    assert not org.addresses.exists()


@pytest.mark.parametrize("code", ["44030", "4403000", "abcdef", "٤٤٠٣٠٠"])
def test_a_code_has_six_ascii_digits(api, org, code):
    data = problem(api.post(f"/parties/{org.pk}/addresses", {"city_code": code, "street": "1号"}), 422)
    assert fields(data) == {"city_code"}


def test_patch_by_code_or_by_name(api, org):
    created = ok(
        api.post(f"/parties/{org.pk}/addresses", {"province": "广东", "city": "深圳", "street": "1号"}), 201
    )
    url = f"/addresses/{created['id']}"
    data = ok(api.patch(url, {"version": 1, "city_code": "440100"}))
    assert place(data) == ("广东省", "广州市", "", "440000", "440100", "")
    data = ok(api.patch(url, {"version": 2, "province": "上海"}))  # the city of 广东 goes with it
    assert place(data) == ("上海市", "上海市", "", "310000", "310100", "")
    problem(api.patch(url, {"version": 3, "city_code": "440300"}), 422)


def test_an_organization_created_with_an_address_by_name(api):
    body = {
        "name": "深圳小鹏",
        "is_customer": True,
        "address": {"province": "guangdong", "city": "深圳", "street": "1号"},
    }
    data = ok(api.post("/organizations", body), 201)
    assert (data["province"], data["city"]) == ("广东省", "深圳市")
    assert place(data["addresses"][0])[3:] == ("440000", "440300", "")
    data = problem(
        api.post("/organizations", {**body, "name": "Other", "address": {"city": "台北", "street": "1"}}), 422
    )
    assert fields(data) == {"city"}

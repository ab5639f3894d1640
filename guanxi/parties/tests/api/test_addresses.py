"""/api/v1/parties/{id}/addresses and /api/v1/addresses/{id}."""

from __future__ import annotations

import pytest

from guanxi.core.models import AuditEntry
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.parties.models import Address
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db

SHENZHEN = {
    "kind": "billing",
    "province": "广东省",
    "city": "深圳市",
    "district": "南山区",
    "street": "科技园路1号",
}


@pytest.fixture
def org(admin_user):
    return make_org(admin_user, "Acme")


def test_first_address_becomes_primary_and_sets_the_location(api, org):
    data = ok(api.post(f"/parties/{org.pk}/addresses", SHENZHEN), 201)
    assert data["party_id"] == org.pk and data["is_primary"] is True and data["version"] == 1
    assert data["country"] == "CN" and data["street"] == "科技园路1号" and data["kind"] == "billing"
    party = ok(api.get(f"/organizations/{org.pk}"))
    assert (party["country"], party["province"], party["city"]) == ("CN", "广东省", "深圳市")
    assert [a["id"] for a in party["addresses"]] == [data["id"]]
    assert AuditEntry.objects.filter(target_id=str(data["id"]), action="create").exists()


def test_list_and_get_addresses(api, org):
    first = ok(api.post(f"/parties/{org.pk}/addresses", SHENZHEN), 201)
    second = ok(
        api.post(
            f"/parties/{org.pk}/addresses",
            {"country": "us", "street": "1 Main St", "city": "Austin", "postal_code": "78701"},
        ),
        201,
    )
    assert second["country"] == "US" and second["is_primary"] is False and second["kind"] == "office"
    listed = ok(api.get(f"/parties/{org.pk}/addresses"))
    assert [a["id"] for a in listed] == [first["id"], second["id"]]
    assert ok(api.get(f"/addresses/{second['id']}")) == second


def test_addresses_of_a_person(api, admin_user):
    person = make_person(admin_user, "Anna Berg")
    data = ok(
        api.post(f"/parties/{person.pk}/addresses", {"country": "SE", "street": "Drottninggatan 1"}), 201
    )
    assert ok(api.get(f"/contacts/{person.pk}"))["country"] == "SE"
    assert ok(api.get(f"/parties/{person.pk}/addresses")) == [data]


def test_new_primary_address_moves_the_location(api, org):
    ok(api.post(f"/parties/{org.pk}/addresses", SHENZHEN), 201)
    ok(
        api.post(
            f"/parties/{org.pk}/addresses", {"city": "北京市", "street": "长安街1号", "is_primary": True}
        ),
        201,
    )
    primaries = [a for a in ok(api.get(f"/parties/{org.pk}/addresses")) if a["is_primary"]]
    assert [a["city"] for a in primaries] == ["北京市"]
    assert ok(api.get(f"/organizations/{org.pk}"))["city"] == "北京市"


def test_patch_address(api, org):
    addr = ok(api.post(f"/parties/{org.pk}/addresses", SHENZHEN), 201)
    data = ok(
        api.patch(f"/addresses/{addr['id']}", {"version": 1, "city": "广州市", "postal_code": "510000"})
    )
    assert data["city"] == "广州市" and data["postal_code"] == "510000" and data["version"] == 2
    assert data["street"] == SHENZHEN["street"]  # not sent, not changed
    assert ok(api.get(f"/organizations/{org.pk}"))["city"] == "广州市"


def test_patch_address_with_stale_version_is_409(api, org):
    addr = ok(api.post(f"/parties/{org.pk}/addresses", SHENZHEN), 201)
    ok(api.patch(f"/addresses/{addr['id']}", {"version": 1, "street": "新路2号"}))
    problem(api.patch(f"/addresses/{addr['id']}", {"version": 1, "street": "Lost update"}), 409)
    stored = Address.objects.get(pk=addr["id"])
    assert (stored.street, stored.version) == ("新路2号", 2)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"street": ""}, "street"),
        ({"street": "s" * 201}, "street"),
        ({"street": "1 Rd", "country": "ZZ"}, "country"),
        ({"street": "1 Rd", "country": "CHN"}, "country"),
        ({"street": "1 Rd", "kind": "home"}, "kind"),
        ({"street": "1 Rd", "city": "c" * 61}, "city"),
        ({"street": "1 Rd", "postal_code": "p" * 13}, "postal_code"),
        ({"street": "bad\u0000street"}, "street"),
        ({"street": "1 Rd", "province": "\u0007"}, "province"),
        ({}, "street"),
    ],
)
def test_invalid_address_is_422(api, org, payload, field):
    data = problem(api.post(f"/parties/{org.pk}/addresses", payload), 422)
    assert field in fields(data)
    assert not Address.objects.exists()


def test_invalid_address_patch_is_422(api, org):
    addr = ok(api.post(f"/parties/{org.pk}/addresses", SHENZHEN), 201)
    assert fields(problem(api.patch(f"/addresses/{addr['id']}", {"version": 1, "country": "ZZ"}), 422)) == {
        "country"
    }
    assert "version" in fields(problem(api.patch(f"/addresses/{addr['id']}", {"city": "X"}), 422))
    assert Address.objects.get().version == 1


def test_delete_address_moves_primary_to_the_next(api, org):
    first = ok(api.post(f"/parties/{org.pk}/addresses", SHENZHEN), 201)
    second = ok(api.post(f"/parties/{org.pk}/addresses", {"city": "北京市", "street": "长安街1号"}), 201)
    resp = api.delete(f"/addresses/{first['id']}")
    assert resp.status_code == 204 and resp.content == b""
    problem(api.get(f"/addresses/{first['id']}"), 404)
    problem(api.delete(f"/addresses/{first['id']}"), 404)
    [left] = ok(api.get(f"/parties/{org.pk}/addresses"))
    assert left["id"] == second["id"] and left["is_primary"] is True
    assert ok(api.get(f"/organizations/{org.pk}"))["city"] == "北京市"
    ok(api.delete(f"/addresses/{second['id']}"), 204)
    assert ok(api.get(f"/organizations/{org.pk}"))["country"] == ""


def test_addresses_of_unknown_party_are_404(api):
    problem(api.get("/parties/99999999/addresses"), 404)
    problem(api.post("/parties/99999999/addresses", SHENZHEN), 404)
    problem(api.get("/addresses/99999999"), 404)
    problem(api.patch("/addresses/99999999", {"version": 1}), 404)

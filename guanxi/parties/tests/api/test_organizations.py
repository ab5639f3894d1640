"""/api/v1/organizations: list, create, get, patch, archive."""

from __future__ import annotations

import pytest

from guanxi.core.models import AuditEntry
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db

USCC = "914403001922038216"
HUAWEI = {
    "name": "华为技术有限公司",
    "short_name": "华为",
    "legal_name": "华为技术有限公司",
    "is_supplier": True,
    "industry": "electronics",
    "size": "enterprise",
    "website": "https://www.huawei.com",
    "phones": ["0755 2878 0808"],
    "emails": ["Info@Huawei.example.CN"],
    "identifiers": [{"scheme": "cn_uscc", "value": "91440300192203821-6"}],
    "invoice_title": "华为技术有限公司",
    "notes": "Key supplier.\nTwo lines are fine in notes.",
    "address": {"kind": "registered", "province": "广东省", "city": "深圳市", "street": "坂田华为基地"},
}


def test_create_organization_with_everything(api, admin_user, make_tag):
    tag = make_tag("Strategic", "#b91c1c")
    org = ok(api.post("/organizations", {**HUAWEI, "tag_ids": [tag["id"]]}), 201)
    assert org["kind"] == "organization" and org["name"] == "华为技术有限公司"
    assert org["is_customer"] is False and org["customer_status"] == ""
    assert org["is_supplier"] is True and org["supplier_status"] == "candidate"
    assert org["identifiers"] == [{"scheme": "cn_uscc", "country": "CN", "value": USCC}]
    assert org["phones"] == ["0755 2878 0808"]
    assert org["emails"] == ["Info@huawei.example.cn"]
    assert org["tags"] == [tag]
    assert org["owner"] == {"id": admin_user.pk, "username": "admin"}
    assert (org["country"], org["province"], org["city"]) == ("CN", "广东省", "深圳市")
    [address] = org["addresses"]
    assert address["is_primary"] is True and address["street"] == "坂田华为基地" and address["version"] == 1
    assert org["version"] == 1 and org["archived"] is False
    assert org["notes"] == HUAWEI["notes"]

    stored = Party.objects.get(pk=org["id"])
    assert stored.created_by == admin_user and stored.kind == "organization"
    assert AuditEntry.objects.filter(target_id=str(stored.pk), action="create").exists()
    assert ok(api.get(f"/organizations/{org['id']}")) == org


def test_create_minimal_organization_defaults(api):
    org = ok(api.post("/organizations", {"name": "  Acme Trading  "}), 201)
    assert org["name"] == "Acme Trading"
    assert (org["is_customer"], org["is_supplier"]) == (False, False)
    assert org["identifiers"] == [] and org["addresses"] == [] and org["tags"] == []


def test_list_shows_organizations_only(api, admin_user):
    acme = make_org(admin_user, "Acme")
    make_org(admin_user, "Beta", supplier=True, customer=False)
    make_person(admin_user, "Zhang San", organization=acme)
    page = ok(api.get("/organizations"))
    assert [i["name"] for i in page["items"]] == ["Acme", "Beta"]
    assert page["next_cursor"] is None and page["prev_cursor"] is None
    item = page["items"][0]
    assert item["owner"] == {"id": admin_user.pk, "username": "admin"} and item["tags"] == []
    assert "identifiers" not in item  # the list shape is the short one


def test_list_filters(api, admin_user, make_user, make_tag):
    vip = make_tag("VIP")
    other_owner = make_user("owner2", superuser=True)
    make_org(admin_user, "华为技术有限公司", customer=False, supplier=True, industry="electronics")
    make_org(admin_user, "Both Ltd", customer=True, supplier=True, customer_status="active")
    make_org(
        other_owner,
        "Shanghai Customer",
        address={"country": "CN", "province": "上海市", "city": "上海市", "street": "1 Road"},
    )
    tagged = make_org(admin_user, "Tagged Co")
    ok(api.patch(f"/organizations/{tagged.pk}", {"version": tagged.version, "tag_ids": [vip["id"]]}))
    make_org(admin_user, "Neither", customer=False)

    def names(**params):
        return [i["name"] for i in ok(api.get("/organizations", params))["items"]]

    assert names(role="supplier") == ["Both Ltd", "华为技术有限公司"]
    assert names(role="both") == ["Both Ltd"]
    assert names(role="none") == ["Neither"]
    assert names(role="customer") == ["Both Ltd", "Shanghai Customer", "Tagged Co"]
    assert names(customer_status=["active"]) == ["Both Ltd"]
    assert names(supplier_status=["candidate"]) == ["Both Ltd", "华为技术有限公司"]
    assert names(industry="electronics") == ["华为技术有限公司"]
    assert names(owner=other_owner.pk) == ["Shanghai Customer"]
    assert names(tag=[vip["id"]]) == ["Tagged Co"]
    assert names(country="cn", province="上海市") == ["Shanghai Customer"]
    assert names(city="上海市") == ["Shanghai Customer"]
    assert names(q="华为") == ["华为技术有限公司"]
    assert names(q="huawei") == ["华为技术有限公司"]
    assert names(q="shanghai cust") == ["Shanghai Customer"]
    assert names(q="nothing like it") == []
    assert names(sort="-name") == [
        "Tagged Co",
        "Shanghai Customer",
        "Neither",
        "华为技术有限公司",
        "Both Ltd",
    ]  # pinyin


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"role": "bogus"}, "role"),
        ({"sort": "x"}, "sort"),
        ({"state": "deleted"}, "state"),
        ({"customer_status": "nope"}, "customer_status"),
        ({"supplier_status": "nope"}, "supplier_status"),
        ({"industry": "mining"}, "industry"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"owner": "me"}, "owner"),
        ({"tag": "x"}, "tag"),
        ({"q": "x" * 101}, "q"),
        ({"q": "nul\x00"}, "q"),
        ({"city": "\x00"}, "city"),
        ({"province": "a\x07b"}, "province"),
        ({"country": "\x00"}, "country"),
        ({"country": "CHN"}, "country"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "x" * 501}, "cursor"),
    ],
)
def test_bad_list_parameters_are_422(api, admin_user, params, field):
    make_org(admin_user, "Acme")
    data = problem(api.get("/organizations", params), 422)
    assert {f.split(".")[0] for f in fields(data)} == {field}


def test_get_organization(api, admin_user):
    org = make_org(admin_user, "Acme", phones=["+1 650 253 0000"], emails=["sales@acme.example.com"])
    person = make_person(admin_user, "Wang Wei", organization=org, job_title="CEO")
    data = ok(api.get(f"/organizations/{org.pk}"))
    assert data["id"] == org.pk and data["name"] == "Acme"
    assert data["phones"] == ["+1 650-253-0000"]
    assert data["emails"] == ["sales@acme.example.com"]
    # A person is not an organization, and an unknown id is simply not found.
    problem(api.get(f"/organizations/{person.pk}"), 404)
    problem(api.get("/organizations/99999999"), 404)


def test_patch_organization(api, admin_user, make_tag):
    tag = make_tag("Key")
    org = make_org(admin_user, "Acme", phones=["010 6552 9988"])
    data = ok(
        api.patch(
            f"/organizations/{org.pk}",
            {
                "version": 1,
                "name": "Acme Holdings",
                "is_supplier": True,
                "tag_ids": [tag["id"]],
                "identifiers": [{"scheme": "cn_uscc", "value": USCC}],
                "industry": "logistics",
            },
        )
    )
    assert data["name"] == "Acme Holdings" and data["version"] == 2
    assert data["is_supplier"] is True and data["supplier_status"] == "candidate"
    assert data["tags"] == [tag] and data["industry"] == "logistics"
    assert data["identifiers"][0]["value"] == USCC
    assert data["phones"] == ["010 6552 9988"]  # not sent, so not changed
    entry = AuditEntry.objects.filter(target_id=str(org.pk), action="update").get()
    assert entry.changes["name"] == ["Acme", "Acme Holdings"]

    cleared = ok(api.patch(f"/organizations/{org.pk}", {"version": 2, "phones": [], "industry": None}))
    assert cleared["phones"] == [] and cleared["industry"] == "" and cleared["version"] == 3


def test_patch_with_a_stale_version_is_409_and_changes_nothing(api, admin_user):
    org = make_org(admin_user, "Acme")
    ok(api.patch(f"/organizations/{org.pk}", {"version": 1, "short_name": "A"}))
    data = problem(api.patch(f"/organizations/{org.pk}", {"version": 1, "name": "Overwritten"}), 409)
    assert "changed" in data["title"]
    org.refresh_from_db()
    assert (org.name, org.short_name, org.version) == ("Acme", "A", 2)


def test_patch_needs_a_version_and_valid_values(api, admin_user):
    org = make_org(admin_user, "Acme")
    problem(api.patch(f"/organizations/{org.pk}", {"name": "B"}), 422)
    data = problem(
        api.patch(f"/organizations/{org.pk}", {"version": 1, "name": "B", "phones": ["12"], "website": "x"}),
        422,
    )
    assert {"phones[0]", "website"} <= fields(data)
    org.refresh_from_db()
    assert (org.name, org.version) == ("Acme", 1)
    problem(api.patch(f"/organizations/{org.pk}", {"version": 1, "owner_id": 424242}), 422)
    problem(api.patch("/organizations/99999999", {"version": 1, "name": "B"}), 404)


def test_archive_and_restore(api, admin_user):
    org = make_org(admin_user, "Acme")
    make_org(admin_user, "Beta")
    data = ok(api.post(f"/organizations/{org.pk}/archive", {"archived": True}))
    assert data["archived"] is True and data["version"] == 2

    def names(**params):
        return [i["name"] for i in ok(api.get("/organizations", params))["items"]]

    assert names() == ["Beta"]
    assert names(state="archived") == ["Acme"]
    assert names(state="all") == ["Acme", "Beta"]
    # Archiving twice changes nothing; the record can still be read.
    assert ok(api.post(f"/organizations/{org.pk}/archive", {"archived": True}))["version"] == 2
    assert ok(api.get(f"/organizations/{org.pk}"))["archived"] is True

    restored = ok(api.post(f"/organizations/{org.pk}/archive", {"archived": False}))
    assert restored["archived"] is False and restored["version"] == 3
    assert names() == ["Acme", "Beta"]
    problem(api.post(f"/organizations/{org.pk}/archive", {}), 422)
    problem(api.post(f"/organizations/{org.pk}/archive", {"archived": "maybe"}), 422)


# Validation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"name": "x" * 201}, "name", "200"),
        ({"name": ""}, "name", ""),
        ({"name": "   "}, "name", ""),
        ({"name": "Acme\u0000"}, "name", "control"),
        ({"name": "Acme\u200b Co"}, "name", "control"),
        ({"name": "Acme\nCo"}, "name", "control"),
        ({"name": "Acme", "short_name": "s" * 61}, "short_name", "60"),
        ({"name": "Acme", "notes": "n" * 10001}, "notes", "10000"),
        ({"name": "Acme", "notes": "bad \u0000 byte"}, "notes", "control"),
        ({"name": "Acme", "invoice_title": "t\u0000"}, "invoice_title", "control"),
        (
            {"name": "Acme", "identifiers": [{"scheme": "cn_uscc", "value": "914403001922038217"}]},
            "identifiers[0]",
            "check digit",
        ),
        (
            {"name": "Acme", "identifiers": [{"scheme": "cn_uscc", "value": "91440300"}]},
            "identifiers[0]",
            "length",
        ),
        ({"name": "Acme", "identifiers": [{"scheme": "duns", "value": "1"}]}, "identifiers.0.scheme", ""),
        ({"name": "Acme", "identifiers": [{"scheme": "vat", "value": "DE1"}]}, "identifiers[0]", "country"),
        (
            {
                "name": "Acme",
                "identifiers": [{"scheme": "tax_id", "country": "\u0000\u0000", "value": "AB12345"}],
            },
            "identifiers.0.country",
            "",
        ),
        (
            {"name": "Acme", "identifiers": [{"scheme": "tax_id", "country": "1 ", "value": "AB12345"}]},
            "identifiers.0.country",
            "",
        ),
        ({"name": "Acme", "phones": ["123"]}, "phones[0]", "123"),
        ({"name": "Acme", "phones": ["+86 100 0000 0000"]}, "phones[0]", "not possible"),
        ({"name": "Acme", "phones": ["phone me"]}, "phones[0]", ""),
        ({"name": "Acme", "phones": ["1" * 41]}, "phones.0", ""),
        ({"name": "Acme", "emails": ["not-an-email"]}, "emails[0]", ""),
        ({"name": "Acme", "website": "not a url"}, "website", ""),
        ({"name": "Acme", "industry": "mining"}, "industry", ""),
        ({"name": "Acme", "customer_status": "vip"}, "customer_status", ""),
        ({"name": "Acme", "owner_id": 424242}, "owner", ""),
        ({"name": "Acme", "owner_id": 0}, "owner_id", ""),
        ({"name": "Acme", "tag_ids": [424242]}, "tags", ""),
        ({"name": "Acme", "tag_ids": list(range(1, 52))}, "tag_ids", ""),
        ({"name": "Acme", "address": {"street": ""}}, "address.street", ""),
        ({"name": "Acme", "address": {"street": "1 Rd", "country": "ZZ"}}, "country", ""),
        ({"name": "Acme", "is_customer": "perhaps"}, "is_customer", ""),
        ({"name": ["Acme"]}, "name", ""),
    ],
)
def test_invalid_organization_is_422_and_nothing_is_saved(api, payload, field, words):
    data = problem(api.post("/organizations", payload), 422)
    assert field in fields(data), data
    if words:
        message = next(e["message"] for e in data["errors"] if e["field"] == field)
        assert words in message, message
    assert not Party.objects.exists()


def test_all_field_errors_come_back_at_once(api):
    data = problem(
        api.post(
            "/organizations",
            {
                "name": "Acme\u0000",
                "website": "nope",
                "phones": ["12"],
                "emails": ["bad"],
                "identifiers": [{"scheme": "cn_uscc", "value": "914403001922038217"}],
            },
        ),
        422,
    )
    assert {"name", "website", "phones[0]", "emails[0]", "identifiers[0]"} <= fields(data)


# Duplicates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"name": "acme trading co., ltd."}, "name"),
        ({"name": "Third Name", "phones": ["+86 10 6552 9988"]}, "phone"),
    ],
)
def test_possible_duplicate_is_409_unless_allowed(api, admin_user, payload, reason):
    existing = make_org(
        admin_user,
        "Acme Trading Co., Ltd.",
        phones=["010 6552 9988"],
        identifiers=[{"scheme": "cn_uscc", "value": USCC}],
    )
    data = problem(api.post("/organizations", payload), 409)
    assert data["duplicates"][0]["id"] == existing.pk
    assert data["duplicates"][0]["name"] == "Acme Trading Co., Ltd."
    assert reason in data["duplicates"][0]["reason"]
    assert Party.objects.count() == 1

    created = ok(api.post("/organizations", {**payload, "allow_duplicates": True}), 201)
    assert created["id"] != existing.pk
    assert Party.objects.count() == 2


def test_a_registered_identifier_is_refused_even_when_allowing_duplicates(
    api, api_as, admin_user, buyer, rep_a
):
    """One company, one party: the USCC of an existing customer cannot make a second party, whoever asks;
    the caller learns who owns it, and its name only if they may see it."""
    make_org(admin_user, "华为技术有限公司", owner=rep_a, identifiers=[{"scheme": "cn_uscc", "value": USCC}])
    payload = {
        "name": "华为 (supplier)",
        "is_supplier": True,
        "identifiers": [{"scheme": "cn_uscc", "value": USCC}],
        "allow_duplicates": True,
    }
    data = problem(api_as(buyer).post("/organizations", payload), 422)
    message = {e["field"]: e["message"] for e in data["errors"]}["identifiers[0]"]
    assert "already registered" in message and "rep.a" in message and "华为技术有限公司" not in message
    data = problem(api.post("/organizations", payload), 422)
    assert "华为技术有限公司" in data["errors"][0]["message"]  # the administrator may see it
    assert Party.objects.count() == 1


def test_duplicates_only_name_what_the_caller_may_see(api_as, rep_a, rep_b, admin_user):
    """A duplicate the caller may not see is still found (one company, one party), but the answer says only
    that it exists and who owns it: no id, no name."""
    hidden = make_org(admin_user, "Hidden Corp", owner=rep_b)
    resp = api_as(rep_a).post("/organizations", {"name": "Hidden Corp"})
    data = problem(resp, 409)
    assert data["duplicates"] == [{"reason": "same name", "owner": "rep.b"}]
    assert str(hidden.pk) not in resp.content.decode()
    created = ok(api_as(rep_a).post("/organizations", {"name": "Hidden Corp", "allow_duplicates": True}), 201)
    assert created["owner"]["username"] == "rep.a"

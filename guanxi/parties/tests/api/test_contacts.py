"""/api/v1/contacts (people): list, create, get, patch, archive."""

from __future__ import annotations

import pytest

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.parties.models import Employment, Party
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def test_create_contact_at_an_organization(api, admin_user):
    org = make_org(admin_user, "Acme")
    data = ok(
        api.post(
            "/contacts",
            {
                "name": "王伟",
                "organization_id": org.pk,
                "job_title": "采购经理",
                "phones": ["138 0013 8000"],
                "emails": ["wang.wei@acme.example.com"],
                "wechat_id": "wangwei88",
                "preferred_language": "zh-hans",
                "marketing_consent": True,
                "consent_source": "Trade fair",
                "is_customer": True,
            },
        ),
        201,
    )
    assert data["kind"] == "person" and data["name"] == "王伟"
    assert data["organizations"] == [
        {"organization_id": org.pk, "organization_name": "Acme", "job_title": "采购经理"}
    ]
    assert data["phones"] == ["138 0013 8000"] and data["emails"] == ["wang.wei@acme.example.com"]
    assert data["preferred_language"] == "zh-hans" and data["marketing_consent"] is True
    assert data["wechat_id"] == "wangwei88" and data["customer_status"] == "prospect"
    assert Employment.objects.get(person_id=data["id"]).organization_id == org.pk
    assert ok(api.get(f"/contacts/{data['id']}")) == data


def test_contact_without_organization(api):
    data = ok(api.post("/contacts", {"name": "Solo Person"}), 201)
    assert data["organizations"] == [] and data["kind"] == "person"


def test_contact_organization_must_be_a_visible_organization(api, admin_user, api_as, rep_a, rep_b):
    person = make_person(admin_user, "Not An Org")
    problem(api.post("/contacts", {"name": "X", "organization_id": person.pk}), 404)
    problem(api.post("/contacts", {"name": "X", "organization_id": 99999999}), 404)
    hidden = make_org(admin_user, "West Corp", owner=rep_b)
    problem(api_as(rep_a).post("/contacts", {"name": "X", "organization_id": hidden.pk}), 404)
    assert Party.objects.filter(name="X").count() == 0


def test_list_contacts_shows_people_only(api, admin_user):
    org = make_org(admin_user, "Acme")
    make_person(admin_user, "Zhao Li", organization=org)
    make_person(admin_user, "Anna Berg")
    page = ok(api.get("/contacts"))
    assert [i["name"] for i in page["items"]] == ["Anna Berg", "Zhao Li"]
    assert all(i["kind"] == "person" for i in page["items"])
    assert [i["name"] for i in ok(api.get("/contacts", {"q": "zhao"}))["items"]] == ["Zhao Li"]
    problem(api.get(f"/contacts/{org.pk}"), 404)  # an organization is not a contact


def test_patch_contact(api, admin_user):
    person = make_person(admin_user, "Anna Berg")
    data = ok(
        api.patch(
            f"/contacts/{person.pk}",
            {
                "version": 1,
                "name": "Anna Berg-Lund",
                "emails": ["anna@example.org"],
                "marketing_consent": True,
            },
        )
    )
    assert data["name"] == "Anna Berg-Lund" and data["emails"] == ["anna@example.org"]
    assert data["marketing_consent"] is True and data["version"] == 2
    problem(api.patch(f"/contacts/{person.pk}", {"version": 1, "name": "Stale"}), 409)
    person.refresh_from_db()
    assert person.name == "Anna Berg-Lund"
    data = problem(api.patch(f"/contacts/{person.pk}", {"version": 2, "wechat_id": "w" * 41}), 422)
    assert fields(data) == {"wechat_id"}
    data = problem(api.patch(f"/contacts/{person.pk}", {"version": 2, "preferred_language": "fr"}), 422)
    assert fields(data) == {"preferred_language"}


def test_patch_contact_through_organizations_is_404(api, admin_user):
    person = make_person(admin_user, "Anna Berg")
    problem(api.patch(f"/organizations/{person.pk}", {"version": 1, "name": "X"}), 404)
    problem(api.post(f"/organizations/{person.pk}/archive", {"archived": True}), 404)
    person.refresh_from_db()
    assert person.name == "Anna Berg" and person.archived_at is None


def test_archive_contact(api, admin_user):
    person = make_person(admin_user, "Anna Berg")
    assert ok(api.post(f"/contacts/{person.pk}/archive", {"archived": True}))["archived"] is True
    assert ok(api.get("/contacts"))["items"] == []
    assert [i["id"] for i in ok(api.get("/contacts", {"state": "archived"}))["items"]] == [person.pk]
    assert ok(api.post(f"/contacts/{person.pk}/archive", {"archived": False}))["archived"] is False


def test_contact_validation(api):
    data = problem(
        api.post(
            "/contacts",
            {"name": "Bad\u0000Name", "phones": ["+1 555"], "emails": ["x@"], "job_title": "j" * 101},
        ),
        422,
    )
    assert "job_title" in fields(data)
    data = problem(
        api.post("/contacts", {"name": "Bad\u0000Name", "phones": ["+1 555"], "emails": ["x@"]}), 422
    )
    assert {"name", "phones[0]", "emails[0]"} <= fields(data)
    assert not Party.objects.exists()


def test_contact_duplicates(api, admin_user):
    make_person(admin_user, "Anna Berg", phones=["+46 8 123 456 78"])
    data = problem(api.post("/contacts", {"name": "A. Berg", "phones": ["+46812345678"]}), 409)
    assert data["duplicates"][0]["name"] == "Anna Berg"
    ok(api.post("/contacts", {"name": "A. Berg", "phones": ["+46812345678"], "allow_duplicates": True}), 201)

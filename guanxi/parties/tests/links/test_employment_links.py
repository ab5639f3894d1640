"""A person can belong to several organizations: link and unlink in the UI and the API."""

import pytest

from guanxi.core.roles import SALES_REP
from guanxi.parties.models import Employment
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def test_link_person_to_second_organization_in_the_ui(client, admin_user):
    first = make_org(admin_user, "华为技术有限公司")
    second = make_org(admin_user, "荣耀终端有限公司")
    person = make_person(admin_user, "张伟", organization=first, job_title="采购总监")
    client.force_login(admin_user)
    options = client.get("/parties/lookup/organizations/", {"q": "荣耀"}).content.decode()
    assert f'value="{second.pk}"' in options and str(first.pk) not in options
    r = client.post(f"/parties/{person.pk}/organizations/", {"organization": second.pk, "job_title": "顾问"})
    assert r.status_code == 302
    assert set(person.employments.values_list("organization__name", "job_title")) == {
        ("华为技术有限公司", "采购总监"),
        ("荣耀终端有限公司", "顾问"),
    }
    page = client.get(f"/parties/{person.pk}/", {"tab": "organizations"}).content.decode()
    assert "荣耀终端有限公司" in page and "顾问" in page


def test_lookup_only_offers_visible_organizations(client, make_user, team, other_team, admin_user):
    rep = make_user(roles=[SALES_REP], teams=[team])
    theirs = make_user(roles=[SALES_REP], teams=[other_team])
    make_org(admin_user, "Visible Trading", owner=rep)
    make_org(admin_user, "Hidden Trading", owner=theirs)
    client.force_login(rep)
    options = client.get("/parties/lookup/organizations/", {"q": "trading"}).content.decode()
    assert "Visible Trading" in options and "Hidden Trading" not in options


def test_link_and_unlink_through_the_api(client, admin_user):
    org = make_org(admin_user, "Acme Trading")
    person = make_person(admin_user, "Lily Wang")
    client.force_login(admin_user)
    r = client.post(
        f"/api/v1/contacts/{person.pk}/organizations",
        {"organization_id": org.pk, "job_title": "CFO"},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert r.json()["organizations"] == [
        {"organization_id": org.pk, "organization_name": "Acme Trading", "job_title": "CFO"}
    ]
    r = client.delete(f"/api/v1/contacts/{person.pk}/organizations/{org.pk}")
    assert r.status_code == 204
    assert not Employment.objects.exists()
    r = client.post(
        f"/api/v1/contacts/{person.pk}/organizations",
        {"organization_id": person.pk},
        content_type="application/json",
    )
    assert r.status_code == 404  # a person is not an organization

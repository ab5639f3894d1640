"""Tags: create, rename/recolour, delete — service, UI and API, with audit and permissions."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.roles import MARKETING, SALES_REP, SERVICE_AGENT
from guanxi.parties.models import Tag
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.tags import tag_create, tag_delete, tag_update
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_create_rename_delete_with_audit(admin_user):
    tag = tag_create(actor=admin_user, name=" 重点客户 ", color="#B91C1C")
    assert (tag.name, tag.color) == ("重点客户", "#b91c1c")
    org = make_org(admin_user)
    parties_bulk_tag(actor=admin_user, ids=[org.pk], tag=tag)
    tag_update(actor=admin_user, tag=tag, name="Key account", color="#b91c1c")
    assert AuditEntry.objects.get(target_type="parties.tag", action="update").changes == {
        "name": ["重点客户", "Key account"]
    }
    assert tag_delete(actor=admin_user, tag=tag) == 1
    assert not org.tags.exists()
    assert AuditEntry.objects.filter(target_type="parties.tag", action="delete").exists()


@pytest.mark.parametrize(
    ("name", "color", "field"),
    [
        ("", "#000000", "name"),
        ("x" * 51, "#000000", "name"),
        ("VIP", "red", "color"),
        ("a\x00b", "#000000", "name"),
    ],
)
def test_bad_input_is_refused(admin_user, name, color, field):
    with pytest.raises(ValidationError) as exc:
        tag_create(actor=admin_user, name=name, color=color)
    assert field in exc.value.message_dict


def test_names_are_unique_ignoring_case(admin_user):
    tag_create(actor=admin_user, name="VIP")
    with pytest.raises(ValidationError):
        tag_create(actor=admin_user, name="vip")
    other = tag_create(actor=admin_user, name="Export")
    with pytest.raises(ValidationError):
        tag_update(actor=admin_user, tag=other, name="Vip", color="#000000")


def test_who_may_manage_tags(make_user, admin_user):
    tag = tag_create(actor=admin_user, name="VIP")
    assert tag_create(actor=make_user(roles=[MARKETING]), name="Newsletter")
    rep = make_user(roles=[SALES_REP])
    assert tag_create(actor=rep, name="Hot lead")  # whoever creates records may create a tag for them
    with pytest.raises(PermissionDeniedError):
        tag_delete(actor=rep, tag=tag)
    with pytest.raises(PermissionDeniedError):
        tag_create(actor=make_user(roles=[SERVICE_AGENT]), name="Nope")


def test_tag_pages(client, admin_user):
    client.force_login(admin_user)
    r = client.post("/parties/tags/new/", {"name": "出口 Export", "color": "#7c3aed"})
    assert r.status_code == 302
    tag = Tag.objects.get()
    page = client.get("/parties/tags/").content.decode()
    assert "出口 Export" in page
    r = client.post(f"/parties/tags/{tag.pk}/", {"name": "", "color": "#7c3aed"})
    assert r.status_code == 200 and "This field is required" in r.content.decode()
    assert client.post(f"/parties/tags/{tag.pk}/delete/").status_code == 302
    assert not Tag.objects.exists()


def test_tag_api(client, admin_user):
    client.force_login(admin_user)
    r = client.post("/api/v1/tags", {"name": "VIP", "color": "#a16207"}, content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    r = client.patch(f"/api/v1/tags/{pk}", {"name": "VIP+"}, content_type="application/json")
    assert r.status_code == 200 and r.json() == {"id": pk, "name": "VIP+", "color": "#a16207"}
    assert client.get(f"/api/v1/tags/{pk}").json()["name"] == "VIP+"
    assert client.delete(f"/api/v1/tags/{pk}").status_code == 204
    assert client.get(f"/api/v1/tags/{pk}").status_code == 404


def test_tag_page_counts_only_what_the_user_may_see(client, make_user, team, other_team, admin_user):
    tag = tag_create(actor=admin_user, name="VIP")
    rep = make_user(roles=[SALES_REP], teams=[team])
    other = make_user(roles=[SALES_REP], teams=[other_team])
    mine = make_org(admin_user, "Mine", owner=rep)
    theirs = [make_org(admin_user, f"Theirs {i}", owner=other) for i in range(3)]
    parties_bulk_tag(actor=admin_user, ids=[mine.pk] + [p.pk for p in theirs], tag=tag)
    from guanxi.parties.selectors.parties import tag_list_with_counts

    assert tag_list_with_counts(actor=rep).get().n == 1
    assert tag_list_with_counts(actor=admin_user).get().n == 4
    client.force_login(make_user(roles=[]))
    assert client.get("/parties/tags/").status_code == 403

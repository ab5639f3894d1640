"""Settings → Roles: the matrix, a custom role made and edited, refusals; for administrators only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guanxi.core import registry
from guanxi.core.models import Role
from guanxi.core.roles import SALES_MANAGER, SALES_REP

pytestmark = pytest.mark.django_db


def test_the_matrix_lists_every_role_and_action(admin_client):
    response = admin_client.get(reverse("core:roles"))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Administrator", "Sales Representative", "Buyer", "View parties", "Manage settings"):
        assert label in html
    assert "Customers · sees" in html and "Suppliers · changes" in html


def test_the_matrix_in_chinese(admin_client):
    admin_client.cookies["django_language"] = "zh-hans"
    html = admin_client.get(reverse("core:roles")).content.decode()
    assert "销售代表" in html and "查看往来单位" in html and "新建角色" in html


def test_create_a_role_from_a_shipped_one_then_edit_it(admin_client):
    base = Role.objects.get(code=SALES_MANAGER)
    response = admin_client.post(reverse("core:roles"), {"name": "Regional manager", "based_on": base.pk})
    role = Role.objects.get(code="regional-manager")
    assert response.status_code == 302 and response["Location"] == reverse("core:role_edit", args=[role.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert 'name="action:party.export" checked' in page.replace('id="id_action:party.export" ', "")
    data = {
        "version": role.version,
        "name": "Regional manager",
        "name_zh": "区域经理",
        "action:party.view": "on",
    }
    data |= {f"{mode}:{area.code}": "0" for mode in ("view", "edit") for area in registry.areas()}
    data |= {"view:customers": "3"}
    response = admin_client.post(reverse("core:role_edit", args=[role.pk]), data)
    assert response.status_code == 302
    role.refresh_from_db()
    assert (
        role.actions == ["party.view"] and role.view_scopes == {"customers": 3} and role.name_zh == "区域经理"
    )


def test_an_invalid_edit_keeps_the_input_and_says_why(admin_client):
    base = Role.objects.get(code=SALES_REP)
    admin_client.post(reverse("core:roles"), {"name": "Wide", "based_on": base.pk})
    role = Role.objects.get(code="wide")
    data = {"version": role.version, "name": "Wide", "name_zh": "", "action:party.view": "on"}
    data |= {f"{mode}:{area.code}": "0" for mode in ("view", "edit") for area in registry.areas()}
    data |= {"view:customers": "1", "edit:customers": "3"}
    response = admin_client.post(reverse("core:role_edit", args=[role.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "cannot change more records than it sees" in html
    assert 'value="Wide"' in html


def test_a_shipped_role_shows_read_only(admin_client):
    rep = Role.objects.get(code=SALES_REP)
    html = admin_client.get(reverse("core:role_edit", args=[rep.pk])).content.decode()
    assert "cannot be edited here" in html and "Save role" not in html and "disabled" in html
    response = admin_client.post(reverse("core:role_edit", args=[rep.pk]), {"name": "hack", "version": 1})
    rep.refresh_from_db()
    assert rep.name == "" and response.status_code == 200


def test_a_role_nobody_holds_is_deleted(admin_client):
    admin_client.post(
        reverse("core:roles"), {"name": "Gone", "based_on": Role.objects.get(code=SALES_REP).pk}
    )
    role = Role.objects.get(code="gone")
    response = admin_client.post(reverse("core:role_delete", args=[role.pk]))
    assert response.status_code == 302 and not Role.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize("url", ["core:roles", "core:role_edit"])
def test_other_users_get_403(client, make_user, url):
    client.force_login(make_user(roles=[SALES_MANAGER]))
    args = [Role.objects.get(code=SALES_REP).pk] if url == "core:role_edit" else []
    assert client.get(reverse(url, args=args)).status_code == 403


def test_an_unknown_role_is_404(admin_client):
    assert admin_client.get(reverse("core:role_edit", args=[99999])).status_code == 404

"""Roles as data: shipped roles kept in step, custom roles copied from a shipped one, and what they grant."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Role
from guanxi.core.roles import ADMINISTRATOR, BUYER, SALES_REP, SHIPPED_LABELS, Scope, grants_for
from guanxi.core.services.roles import role_create, role_delete, role_update, roles_sync_shipped
from guanxi.core.services.users import user_update

pytestmark = pytest.mark.django_db


def test_every_shipped_role_is_seeded_by_migrate():
    assert set(Role.objects.filter(shipped=True).values_list("code", flat=True)) == set(SHIPPED_LABELS)
    assert Role.objects.get(code=ADMINISTRATOR).all_access
    rep = Role.objects.get(code=SALES_REP)
    assert "party.create" in rep.actions and rep.view_scopes["customers"] == Scope.OWN
    assert (
        rep.view_scopes["widgets"] == Scope.OWN and "suppliers" not in rep.view_scopes
    )  # what each app declares


def test_sync_puts_back_what_the_software_ships():
    """A shipped role edited behind the software's back (or by an older version) is brought in step."""
    Role.objects.filter(code=BUYER).update(actions=["party.view"], edit_scopes={})
    roles_sync_shipped()
    buyer = Role.objects.get(code=BUYER)
    assert "party.change" in buyer.actions and buyer.edit_scopes["suppliers"] == Scope.OWN
    assert "customers" not in buyer.edit_scopes


def test_a_custom_role_starts_as_a_copy_and_grants_what_it_says(admin_user, make_user):
    base = Role.objects.get(code=SALES_REP)
    role = role_create(actor=admin_user, based_on=base, name="Key account rep", name_zh="大客户代表")
    assert role.code == "key-account-rep" and not role.shipped and role.based_on == base
    assert role.actions == base.actions and role.group.name == role.code
    role = role_update(
        actor=admin_user,
        role=role,
        version=role.version,
        name="Key account rep",
        name_zh="大客户代表",
        actions=["party.view", "party.export"],
        view_scopes={"customers": Scope.ALL},
        edit_scopes={},
    )
    user = make_user("kam", roles=[role.code])
    grants = grants_for(user)
    assert grants.actions == frozenset({"party.view", "party.export"})
    assert grants.reaches("customers") == Scope.ALL and grants.reaches("customers", mode="edit") == Scope.NONE
    audit = AuditEntry.objects.filter(target_type="core.role").order_by("id")
    assert [e.action for e in audit] == ["create", "update"]
    assert audit[1].changes["actions"][1] == ["party.export", "party.view"]


def test_a_custom_role_can_be_given_to_a_user_by_the_user_service(admin_user, make_user):
    role = role_create(actor=admin_user, based_on=Role.objects.get(code=BUYER), name="Junior buyer")
    user = make_user("jb")
    user_update(actor=admin_user, user=user, roles=[role.code])
    assert list(user.groups.values_list("name", flat=True)) == [role.code]


def test_bad_input_is_refused_with_a_message(admin_user):
    role = role_create(actor=admin_user, based_on=Role.objects.get(code=SALES_REP), name="Rep 2")

    def update(**kw):
        values = {"name": "Rep 2", "name_zh": "", "actions": [], "view_scopes": {}, "edit_scopes": {}} | kw
        return role_update(actor=admin_user, role=role, version=role.version, **values)

    with pytest.raises(ValidationError) as exc:
        update(name="", name_zh="")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        update(actions=["party.fly"])
    assert "Unknown action: party.fly" in exc.value.message_dict["actions"][0]
    with pytest.raises(ValidationError) as exc:
        update(view_scopes={"moon": 1})
    assert "view_scopes" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # changes more than it sees
        update(view_scopes={"customers": Scope.OWN}, edit_scopes={"customers": Scope.ALL})
    assert "edit_scopes" in exc.value.message_dict
    with pytest.raises(ConflictError):
        role_update(
            actor=admin_user,
            role=role,
            version=role.version + 5,
            name="x",
            name_zh="",
            actions=[],
            view_scopes={},
            edit_scopes={},
        )


def test_actions_of_an_app_no_longer_installed_are_kept(admin_user):
    role = role_create(actor=admin_user, based_on=Role.objects.get(code=SALES_REP), name="Rep 3")
    Role.objects.filter(pk=role.pk).update(actions=["party.view", "gone.app"])
    role = role_update(
        actor=admin_user,
        role=Role.objects.get(pk=role.pk),
        version=role.version,
        name="Rep 3",
        name_zh="",
        actions=["party.view"],
        view_scopes={},
        edit_scopes={},
    )
    assert role.actions == ["gone.app", "party.view"]


def test_shipped_roles_and_the_administrator_are_protected(admin_user, make_user):
    rep = Role.objects.get(code=SALES_REP)
    with pytest.raises(PermissionDeniedError):
        role_update(
            actor=admin_user,
            role=rep,
            version=rep.version,
            name="x",
            name_zh="",
            actions=[],
            view_scopes={},
            edit_scopes={},
        )
    with pytest.raises(PermissionDeniedError):
        role_delete(actor=admin_user, role=rep)
    with pytest.raises(ValidationError):
        role_create(actor=admin_user, based_on=Role.objects.get(code=ADMINISTRATOR), name="Super")


def test_a_held_role_is_not_deleted(admin_user, make_user):
    role = role_create(actor=admin_user, based_on=Role.objects.get(code=SALES_REP), name="Temp")
    holder = make_user("t", roles=[role.code])
    with pytest.raises(ValidationError):
        role_delete(actor=admin_user, role=role)
    holder.groups.clear()
    role_delete(actor=admin_user, role=role)
    assert not Role.objects.filter(code="temp").exists()
    assert AuditEntry.objects.filter(target_type="core.role", action="delete").exists()


@pytest.mark.parametrize("role", [r for r in SHIPPED_LABELS if r != ADMINISTRATOR])
def test_only_administrators_manage_roles(make_user, role):
    actor = make_user(roles=[role])
    with pytest.raises(PermissionDeniedError):
        role_create(actor=actor, based_on=Role.objects.get(code=SALES_REP), name="Mine")

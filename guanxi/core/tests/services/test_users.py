import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry, Team, TeamMembership, User
from guanxi.core.roles import SALES_MANAGER, SALES_REP, SHIPPED_LABELS, Action, grants_for
from guanxi.core.services.roles import roles_sync_shipped
from guanxi.core.services.users import (
    SYSTEM,
    team_create,
    team_set_manager,
    user_create,
    user_set_password,
    user_update,
)
from guanxi.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-9"


def audit_of(obj, action=None):
    qs = AuditEntry.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk)).order_by("id")
    return [e.changes for e in (qs.filter(action=action) if action else qs)]


def fresh(user):
    """The user as the next request sees it (grants are cached on the object)."""
    return User.objects.get(pk=user.pk)


def test_create_with_roles_and_teams_is_audited(admin_user, team):
    user = user_create(
        actor=admin_user,
        username="li.na",
        password=NEW_PASSWORD,
        first_name="娜",
        last_name="李",
        email="li.na@example.cn",
        language="zh-hans",
        roles=[SALES_REP],
        teams=[team],
    )
    assert user.check_password(NEW_PASSWORD) and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [SALES_REP]
    assert list(user.teams.all()) == [team]
    assert grants_for(fresh(user)).can("party.create")
    [changes] = audit_of(user, "create")
    assert changes == {
        "username": [None, "li.na"],
        "first_name": [None, "娜"],
        "last_name": [None, "李"],
        "email": [None, "li.na@example.cn"],
        "is_active": [None, True],
        "language": [None, "zh-hans"],
        "roles": [[], [SALES_REP]],
        "teams": [[], ["East"]],
    }
    assert NEW_PASSWORD not in str(AuditEntry.objects.values_list("changes", flat=True)[0])
    assert AuditEntry.objects.get().actor == admin_user


def test_the_first_administrator_is_created_by_the_system():
    root = user_create(actor=SYSTEM, username="root", password=NEW_PASSWORD, is_superuser=True)
    assert root.is_superuser and root.is_staff
    assert AuditEntry.objects.get().actor is None  # shown as "system"
    assert grants_for(fresh(root)).can(Action.SETTINGS_MANAGE)


def test_a_missing_actor_is_refused_not_taken_as_the_system(admin_user):
    """Passing actor=None used to skip the permission check and create an administrator."""
    with pytest.raises(PermissionDeniedError):
        user_create(actor=None, username="root", password=NEW_PASSWORD, is_superuser=True)
    with pytest.raises(PermissionDeniedError):
        user_set_password(actor=None, user=admin_user, password=NEW_PASSWORD)
    assert not User.objects.filter(username="root").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("password", ["1", "short", "12345678901", "password123", "qwertyuiop"])
def test_weak_passwords_are_refused_by_the_services(admin_user, password):
    """Only the web form validated passwords; the services (and so the CLI and API) took "1"."""
    with pytest.raises(ValidationError) as exc:
        user_create(actor=admin_user, username="root", password=password)
    assert exc.value.message_dict["password"]
    assert not User.objects.filter(username="root").exists()
    user = User.objects.get(username="admin")
    with pytest.raises(ValidationError) as exc:
        user_set_password(actor=admin_user, user=user, password=password)
    assert exc.value.message_dict["password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [r for r in SHIPPED_LABELS if r != "administrator"])
def test_only_administrators_manage_users_and_teams(make_user, team, role):
    actor = make_user(roles=[role], teams=[team])
    other = make_user()
    with pytest.raises(PermissionDeniedError):
        user_create(actor=actor, username="new", password=NEW_PASSWORD)
    with pytest.raises(PermissionDeniedError):
        user_update(actor=actor, user=actor, roles=["administrator"])  # not even themselves
    with pytest.raises(PermissionDeniedError):
        user_set_password(actor=actor, user=other, password=NEW_PASSWORD)
    with pytest.raises(PermissionDeniedError):
        team_create(actor=actor, name="North")
    with pytest.raises(PermissionDeniedError):
        team_set_manager(actor=actor, team=team, user=actor, is_manager=True)
    assert not User.objects.filter(username="new").exists()
    assert list(fresh(actor).groups.values_list("name", flat=True)) == [role]
    assert not TeamMembership.objects.filter(is_manager=True).exists()
    assert not AuditEntry.objects.exists()


def test_an_administrator_role_without_superuser_may_manage_users(make_user):
    admin = make_user(roles=["administrator"])
    assert user_create(actor=admin, username="new", password=NEW_PASSWORD).username == "new"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"username": "ADMIN"}, "username"),  # taken, whatever the case
        ({"username": "has space!"}, "username"),
        ({"username": ""}, "username"),
        ({"username": "x", "email": "not an email"}, "email"),
        ({"username": "x", "language": "fr"}, "language"),
        ({"username": "x", "roles": ["sales_rep", "wizard"]}, "roles"),
    ],
)
def test_invalid_users_are_refused_and_nothing_is_saved(admin_user, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        user_create(actor=admin_user, password=NEW_PASSWORD, **kwargs)
    assert field in exc.value.message_dict
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]
    assert not AuditEntry.objects.exists()


def test_update_changes_fields_roles_and_teams_with_an_audit_entry(admin_user, make_user, team, other_team):
    user = make_user("rep", roles=[SALES_REP], teams=[team])
    user_update(
        actor=admin_user,
        user=user,
        email="rep@example.cn",
        first_name="Rep",
        roles=[SALES_MANAGER, SALES_REP],
        teams=[other_team],
    )
    user = fresh(user)
    assert sorted(user.groups.values_list("name", flat=True)) == [SALES_MANAGER, SALES_REP]
    assert list(user.teams.all()) == [other_team]
    assert grants_for(user).can("party.export")  # from the manager role
    assert audit_of(user, "update") == [
        {
            "email": ["rep@example.com", "rep@example.cn"],
            "first_name": ["", "Rep"],
            "roles": [[SALES_REP], [SALES_MANAGER, SALES_REP]],
            "teams": [["East"], ["West"]],
        }
    ]
    user_update(actor=admin_user, user=user, email="rep@example.cn", roles=[SALES_MANAGER, SALES_REP])
    assert len(audit_of(user, "update")) == 1  # nothing changed, nothing written


def test_lists_left_out_are_kept(admin_user, make_user, team):
    user = make_user("rep", roles=[SALES_REP], teams=[team])
    user_update(actor=admin_user, user=user, last_name="Wang")
    assert list(user.groups.values_list("name", flat=True)) == [SALES_REP]
    assert list(user.teams.all()) == [team]


def test_no_one_deactivates_themselves_but_another_administrator_can(admin_user, make_user):
    with pytest.raises(ValidationError) as exc:
        user_update(actor=admin_user, user=admin_user, is_active=False)
    assert "is_active" in exc.value.message_dict
    assert fresh(admin_user).is_active
    other_admin = make_user("admin2", roles=["administrator"])
    user_update(actor=other_admin, user=admin_user, is_active=False)
    assert not fresh(admin_user).is_active
    assert not grants_for(fresh(admin_user)).actions
    assert audit_of(admin_user, "update") == [{"is_active": [True, False]}]


@pytest.mark.parametrize("field", ["is_superuser", "is_staff", "password", "date_joined"])
def test_privileged_fields_cannot_be_set_through_update(admin_user, make_user, field):
    user = make_user("rep", roles=[SALES_REP])
    with pytest.raises(ValidationError):
        user_update(actor=admin_user, user=user, **{field: True})
    assert not fresh(user).is_superuser


def test_set_password(admin_user, make_user):
    user = make_user("rep", roles=[SALES_REP])
    user_set_password(actor=user, user=user, password=NEW_PASSWORD)  # their own
    assert fresh(user).check_password(NEW_PASSWORD)
    user_set_password(actor=admin_user, user=user, password=PASSWORD)  # an administrator for them
    assert fresh(user).check_password(PASSWORD)
    assert audit_of(user) == [{"password": ["***", "***"]}] * 2


def test_teams(admin_user, make_user):
    north = team_create(actor=admin_user, name="  North ")
    assert north.name == "North"
    for name in ("north", "", "   "):
        with pytest.raises(ValidationError):
            team_create(actor=admin_user, name=name)
    assert list(Team.objects.values_list("name", flat=True)) == ["North"]
    user = make_user("lead")
    team_set_manager(actor=admin_user, team=north, user=user, is_manager=True)
    team_set_manager(actor=admin_user, team=north, user=user, is_manager=True)  # no change
    assert TeamMembership.objects.get(team=north, user=user).is_manager
    team_set_manager(actor=admin_user, team=north, user=user, is_manager=False)
    assert audit_of(north) == [
        {"name": [None, "North"]},
        {"manager:lead": [False, True]},
        {"manager:lead": [True, False]},
    ]


def test_roles_sync_shipped_is_idempotent():
    roles_sync_shipped()
    roles_sync_shipped()
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(SHIPPED_LABELS)

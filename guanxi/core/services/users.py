"""Users, teams and roles: administrators manage them in Settings."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import Role, Team, TeamMembership, User
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.core.services.logins import login_throttle_clear
from guanxi.core.services.sessions import sessions_end_on_account_change

USER_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "language"]


class _System:
    """The actor of changes made by the installation itself (the `guanxi` command), not by a person."""

    pk = None
    is_authenticated = False

    def __repr__(self) -> str:
        return "SYSTEM"


# Pass `actor=SYSTEM` where no person acts (the CLI creating the first administrator). `actor=None` is
# refused: a forgotten actor must not mean "skip the permission check".
SYSTEM = _System()


def _require_admin(actor) -> None:
    if actor is None or not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def _validate_password(password: str, user: User) -> None:
    """AUTH_PASSWORD_VALIDATORS, wherever a password is set (forms, API, CLI): the messages go on `password`."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def _set_roles_and_teams(user: User, roles: list[str] | None, teams: list[Team] | None) -> dict:
    changes = {}
    if roles is not None:
        unknown = set(roles) - set(Role.objects.filter(code__in=roles).values_list("code", flat=True))
        if unknown:
            raise ValidationError({"roles": _("Unknown role: %s") % ", ".join(sorted(unknown))})
        before = sorted(user.groups.values_list("name", flat=True))
        user.groups.set(Group.objects.filter(role__code__in=roles))
        if before != sorted(roles):
            changes["roles"] = [before, sorted(roles)]
    if teams is not None:
        before = sorted(user.teams.values_list("name", flat=True))
        TeamMembership.objects.filter(user=user).exclude(team__in=teams).delete()
        for team in teams:
            TeamMembership.objects.get_or_create(user=user, team=team)
        after = sorted(t.name for t in teams)
        if before != after:
            changes["teams"] = [before, after]
    return changes


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = "",
    roles: list[str] | None = None,
    teams: list[Team] | None = None,
    is_superuser: bool = False,
) -> User:
    if actor is not SYSTEM:
        _require_admin(actor)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with this username already exists.")})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.full_clean(exclude=["password"])
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    changes = {k: [None, v] for k, v in snapshot(user, USER_FIELDS).items()}
    changes.update(_set_roles_and_teams(user, roles or [], teams or []))
    audit_record(actor=actor, action=AuditAction.CREATE, target=user, changes=changes)
    return user


@transaction.atomic
def user_update(
    *, actor, user: User, roles: list[str] | None = None, teams: list[Team] | None = None, **fields
) -> User:
    _require_admin(actor)
    if user.pk == actor.pk and fields.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    before = snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    changes = diff(before, snapshot(user, USER_FIELDS))
    changes.update(_set_roles_and_teams(user, roles, teams))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=user, changes=changes)
    if "is_active" in changes and not user.is_active:  # a deactivated user is signed out everywhere
        sessions_end_on_account_change(actor=actor, user=user, keep_session_key=None, reason="deactivated")
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str, keep_session_key: str | None = None) -> None:
    """Set a new password (validated). Every signed-in session of the user ends but `keep_session_key`
    (the session of a user changing their own password); an administrator's reset also lifts a lock
    that failed sign-ins put on the account."""
    if actor is None or actor.pk != user.pk:
        _require_admin(actor)
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=user, changes={"password": ["***", "***"]})
    sessions_end_on_account_change(
        actor=actor, user=user, keep_session_key=keep_session_key, reason="password"
    )
    if actor.pk != user.pk:
        login_throttle_clear(user=user)


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def team_create(*, actor, name: str) -> Team:
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A team with this name already exists.")})
    team = Team.objects.create(name=name)
    audit_record(actor=actor, action=AuditAction.CREATE, target=team, changes={"name": [None, name]})
    return team


@transaction.atomic
def team_set_manager(*, actor, team: Team, user: User, is_manager: bool) -> None:
    _require_admin(actor)
    m, _created = TeamMembership.objects.get_or_create(team=team, user=user)
    if m.is_manager != is_manager:
        m.is_manager = is_manager
        m.save(update_fields=["is_manager"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=team,
            changes={f"manager:{user.username}": [not is_manager, is_manager]},
        )

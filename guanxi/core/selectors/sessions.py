"""Signed-in sessions and sign-in activity of a user: for the user themselves or an administrator."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry, UserSession
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for

SIGN_IN_ACTIONS = [
    AuditAction.LOGIN,
    AuditAction.LOGOUT,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOGIN_BLOCKED,
    AuditAction.SESSION_END,
]


def _require_owner_or_admin(actor, user) -> None:
    if actor.pk != user.pk and not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def session_list(*, actor, user) -> QuerySet[UserSession]:
    """The user's sessions that are still signed in (an expired one is not listed), latest first."""
    _require_owner_or_admin(actor, user)
    live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    return UserSession.objects.filter(user=user).filter(Exists(live)).order_by("-last_seen_at", "-id")


def session_get(*, actor, pk: int) -> UserSession | None:
    """One session the actor may end (their own, or anyone's for an administrator); None otherwise."""
    row = UserSession.objects.select_related("user").filter(pk=pk).first()
    if row is None:
        return None
    if row.user_id != actor.pk and not grants_for(actor).can(Action.SETTINGS_MANAGE):
        return None
    return row


def sign_in_activity(*, actor, user, limit: int = 20) -> list[AuditEntry]:
    """The latest sign-ins, sign-outs, failed and refused sign-ins and ended sessions of the user."""
    _require_owner_or_admin(actor, user)
    return list(
        AuditEntry.objects.filter(
            subject_type="core.user", subject_id=str(user.pk), action__in=SIGN_IN_ACTIONS
        ).select_related("actor")[:limit]
    )

"""Signed-in sessions: recorded when a user signs in, listed, and ended by the user or an administrator.

Django keeps the session data (database sessions); a UserSession row says whose session a key is, from
which address and browser, and when it was last seen (updated at most once a minute). Ending a session
deletes both rows: the browser holding it is signed out on its next request.
"""

from __future__ import annotations

import time

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from guanxi.core.clientinfo import browser_label
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import User, UserSession
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record

SEEN_KEY = "_guanxi_seen"  # in the session data: when last_seen_at was last written (epoch seconds)
SEEN_EVERY = 60  # seconds


def _require_owner_or_admin(actor, user: User) -> None:
    if actor is None or (actor.pk != user.pk and not grants_for(actor).can(Action.SETTINGS_MANAGE)):
        raise PermissionDeniedError()


@transaction.atomic
def session_started(*, session, user: User, ip_address: str | None, user_agent: str) -> UserSession:
    """Record a new signed-in session (called when Django's login() gives the session its key).
    Rows of this user's sessions that have expired meanwhile are cleaned up here."""
    if not session.session_key:  # login() flushed another user's session: the new one has no key yet
        session.save()
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "created_at": timezone.now(),
            "last_seen_at": timezone.now(),
            "ip_address": ip_address,
            "user_agent": (user_agent or "")[:300],
        },
    )
    session[SEEN_KEY] = int(time.time())
    return row


def session_seen(*, session, user: User, ip_address: str | None, user_agent: str) -> None:
    """Note that a signed-in session made a request: at most one write a minute per session. A session
    signed in before sessions were recorded (or whose key changed) gets its row here."""
    now = int(time.time())
    if now - session.get(SEEN_KEY, 0) < SEEN_EVERY or not session.session_key:
        return
    updated = UserSession.objects.filter(session_key=session.session_key, user=user).update(
        last_seen_at=timezone.now(), ip_address=ip_address
    )
    if not updated:
        UserSession.objects.update_or_create(
            session_key=session.session_key,
            defaults={"user": user, "ip_address": ip_address, "user_agent": (user_agent or "")[:300]},
        )
    session[SEEN_KEY] = now


def session_forget(*, session_key: str | None) -> None:
    """The session ended by itself (logout): drop its row."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_key_changed(*, old_key: str | None, new_key: str | None) -> None:
    """Django gave the same signed-in session a new key (after a password change)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def _end(actor, rows: list[UserSession], reason: str) -> int:
    """reason: "user" (ended it themselves), "administrator", "password" (the password changed),
    "deactivated" (the account was deactivated)."""
    for row in rows:
        Session.objects.filter(session_key=row.session_key).delete()
        row.delete()
        audit_record(
            actor=actor,
            action=AuditAction.SESSION_END,
            target=row.user,
            changes={
                "ip_address": [None, row.ip_address],
                "browser": [None, browser_label(row.user_agent)],
                "reason": [None, reason],
            },
        )
    return len(rows)


@transaction.atomic
def session_end(*, actor, user_session: UserSession) -> None:
    """Sign out one session of a user: the user themselves or an administrator."""
    _require_owner_or_admin(actor, user_session.user)
    _end(actor, [user_session], "user" if actor.pk == user_session.user_id else "administrator")


@transaction.atomic
def sessions_end_others(*, actor, user: User, keep_session_key: str | None) -> int:
    """Sign out every session of `user` but the one with `keep_session_key` (None: all of them)."""
    _require_owner_or_admin(actor, user)
    rows = list(
        UserSession.objects.select_related("user")
        .filter(user=user)
        .exclude(session_key=keep_session_key or "")
    )
    return _end(actor, rows, "user" if actor.pk == user.pk else "administrator")


def sessions_end_on_account_change(*, actor, user: User, keep_session_key: str | None, reason: str) -> int:
    """For the users service only, inside its transaction, after its own permission check: no session of
    the user outlives a new password (reason "password") or the account's deactivation ("deactivated")."""
    rows = list(
        UserSession.objects.select_related("user")
        .filter(user=user)
        .exclude(session_key=keep_session_key or "")
    )
    return _end(actor, rows, reason)

"""Telling users what happened: `notify()` is the one call an app makes (docs/subsystems/notifications.md).

Inside the caller's transaction it writes one Notification per recipient (the inbox) and one Delivery per
e-mail and per team messenger webhook; the deliveries are handed to the worker once the transaction
commits (a rolled-back change tells nobody), and nothing that happens to them can fail the caller.
Also here: marking notifications read, and each user's choice of channels per event type.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import (
    Delivery,
    MessengerWebhook,
    Notification,
    NotificationPreference,
    TeamMembership,
    User,
)
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.notifications import DeliveryChannel
from guanxi.core.services.audit import audit_record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    Text = StrOrPromise | Callable[[], str]

logger = logging.getLogger(__name__)

TITLE_LENGTH = 300
BODY_LENGTH = 2000


def language_of(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """A link for an e-mail or a chat message: GUANXI_BASE_URL + the path."""
    return f"{settings.GUANXI_BASE_URL.rstrip('/')}{path}" if path else ""


def _say(text: Text, language: str, limit: int) -> str:
    """`text` (a string, a lazy translation, or a function returning one) written in `language`, on one
    line for a title, cut to `limit` characters."""
    with translation.override(language):
        value = str(text() if callable(text) else text).strip()
    if limit == TITLE_LENGTH:
        value = " ".join(value.split())  # an e-mail subject is one line
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _check_url(url: str) -> str:
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"notify(url=…) takes a path on this site, not {url!r}")
    return url


def _channels(users: list, event: registry.EventType) -> dict[int, tuple[bool, bool]]:
    """(in the app, by e-mail) per user id: their choice, or the event type's default."""
    default = (registry.IN_APP in event.default_channels, registry.EMAIL in event.default_channels)
    chosen = {
        user_id: (in_app, email)
        for user_id, in_app, email in NotificationPreference.objects.filter(
            user__in=[u.pk for u in users], event=event.code
        ).values_list("user_id", "in_app", "email")
    }
    return {u.pk: chosen.get(u.pk, default) for u in users}


def _recipients(recipients: Iterable, actor, include_actor: bool, subject_obj) -> list:
    seen: dict[int, Any] = {}
    for user in recipients:
        if user is None or not user.pk or not user.is_active or user.pk in seen:
            continue
        if not include_actor and actor is not None and user.pk == getattr(actor, "pk", None):
            continue  # nobody is told about what they did themselves
        seen[user.pk] = user
    users = list(seen.values())
    doc = registry.document_type_of(subject_obj) if subject_obj is not None else None
    if doc is not None:  # never tell someone about a record they may not see
        users = [u for u in users if doc.may_view(u, subject_obj)]
    return users


def notify(
    *,
    event: str,
    recipients: Iterable,
    title: Text,
    body: Text = "",
    subject_obj=None,
    url: str | None = None,
    actor=None,
    include_actor: bool = False,
) -> list[Notification]:
    """Tell `recipients` that `event` (a registered EventType's code) happened; call it inside the
    service's transaction. Returns the notifications written (in the inbox or for e-mail only).

    `title` and `body` are written in each recipient's language: pass a lazy translation, or a function
    that returns the text (`lambda: _("%(who)s …") % {...}`). `url` is a path on this site; without one,
    the `subject_obj`'s DocumentType gives it. Recipients who may not see `subject_obj` (its DocumentType's
    `may_view`), inactive users and the actor are left out. Team messenger webhooks of the recipients' teams
    that chose this event type get one post each.
    """
    event_type = registry.event_type(event)
    if event_type is None:
        raise LookupError(f"notify(): no event type {event!r} is registered (registry.register_event_type)")
    users = _recipients(recipients, actor, include_actor, subject_obj)
    if not users:
        return []
    doc = registry.document_type_of(subject_obj) if subject_obj is not None else None
    path = _check_url(url if url is not None else (doc.url(subject_obj) if doc else ""))
    subject = {}
    if subject_obj is not None:
        subject = {"subject_type": subject_obj._meta.label_lower, "subject_id": str(subject_obj.pk)}
    actor_user = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    written: dict[str, tuple[str, str]] = {}  # language -> (title, body)

    def text_in(language: str) -> tuple[str, str]:
        if language not in written:
            written[language] = (_say(title, language, TITLE_LENGTH), _say(body, language, BODY_LENGTH))
        return written[language]

    channels = _channels(users, event_type)
    rows = []
    for user in users:
        in_app, email = channels[user.pk]
        if not (in_app or (email and user.email)):
            continue
        user_title, user_body = text_in(language_of(user))
        rows.append(
            Notification(
                recipient=user,
                event=event,
                title=user_title,
                body=user_body,
                url=path,
                actor=actor_user,
                in_app=in_app,
                created_at=now,
                **subject,
            )
        )
    notifications = Notification.objects.bulk_create(rows)
    deliveries = [
        Delivery(
            channel=DeliveryChannel.EMAIL, notification=n, event=event, created_at=now, next_attempt_at=now
        )
        for n in notifications
        if channels[n.recipient.pk][1] and n.recipient.email
    ]
    deliveries += _webhook_deliveries(event_type, users, title, body, path, now)
    created = Delivery.objects.bulk_create(deliveries)
    if created:
        transaction.on_commit(partial(enqueue_deliveries, [d.pk for d in created]), robust=True)
    return notifications


def _webhook_deliveries(event_type, users: list, title, body, path: str, now) -> list[Delivery]:
    """One post per active webhook, of a team a recipient belongs to, that chose this event type."""
    members: dict[int, list[User]] = defaultdict(list)
    by_id = {u.pk: u for u in users}
    for team_id, user_id in TeamMembership.objects.filter(user__in=list(by_id)).values_list(
        "team_id", "user_id"
    ):
        members[team_id].append(by_id[user_id])
    if not members:
        return []
    hooks = MessengerWebhook.objects.filter(team_id__in=list(members), active=True).order_by("id")
    out = []
    for hook in hooks:
        if event_type.code not in hook.events:
            continue
        hook_title = _say(title, hook.language, TITLE_LENGTH)
        hook_body = _say(body, hook.language, BODY_LENGTH)
        with translation.override(hook.language):
            payload = {
                "title": hook_title,
                "body": hook_body,
                "url": absolute_url(path),
                "link_text": _("Open in Guanxi"),
                "recipients": [str(u) for u in members[hook.team_id]],
                "recipients_label": _("For:"),
                "event_label": str(event_type.label),
            }
        out.append(
            Delivery(
                channel=DeliveryChannel.WEBHOOK,
                webhook=hook,
                event=event_type.code,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
        )
    return out


def enqueue_deliveries(ids: list[int]) -> None:
    """Hand deliveries to the worker (after commit). A queue that refuses one leaves it pending: it is
    logged, and `deliveries_retry_due` picks it up later; the request that caused it is not failed."""
    from guanxi.core.tasks import delivery_send_task

    for delivery_id in ids:
        try:
            delivery_send_task.enqueue(delivery_id=delivery_id)
        except Exception:
            logger.exception("Could not queue delivery %s", delivery_id)


# --- Reading --------------------------------------------------------------------------------------------


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (again: nothing changes)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDeniedError()
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many were unread."""
    return Notification.objects.filter(recipient=actor, in_app=True, read_at=None).update(
        read_at=timezone.now()
    )


# --- Preferences ----------------------------------------------------------------------------------------


def _describe(in_app: bool, email: bool) -> str:
    return "+".join(c for c, on in ((registry.IN_APP, in_app), (registry.EMAIL, email)) if on) or "none"


@transaction.atomic
def preferences_set(*, actor, user, choices: dict[str, dict[str, bool]]) -> None:
    """Set `user`'s channels per event type: {"note.mention": {"in_app": True, "email": False}}. A key left
    out of an event's choice keeps its current value. Only users themselves choose."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDeniedError()
    unknown = sorted(code for code in choices if registry.event_type(code) is None)
    if unknown:
        raise ValidationError(
            {"event": _("Unknown kind of notification: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    current = {p.event: p for p in NotificationPreference.objects.filter(user=user, event__in=list(choices))}
    changes = {}
    for code, choice in choices.items():
        event_type = registry.event_type(code)
        assert event_type is not None  # checked above
        default = (
            registry.IN_APP in event_type.default_channels,
            registry.EMAIL in event_type.default_channels,
        )
        row = current.get(code)
        before = (row.in_app, row.email) if row else default
        after = (bool(choice.get("in_app", before[0])), bool(choice.get("email", before[1])))
        if after == default:
            if row:
                row.delete()
        elif row:
            if before != after:
                row.in_app, row.email = after
                row.save(update_fields=["in_app", "email", "updated_at"])
        else:
            NotificationPreference.objects.create(user=user, event=code, in_app=after[0], email=after[1])
        if before != after:
            changes[f"notifications:{code}"] = [_describe(*before), _describe(*after)]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=user, changes=changes)

"""Reads for notifications: a user's inbox and unread count (their own only), their channel choices per
event type, and (administrators) the team messenger webhooks with their recent deliveries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from guanxi.core import registry
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import Delivery, MessengerWebhook, Notification, NotificationPreference, Team
from guanxi.core.roles import Action, grants_for

UNREAD_CAP = 99  # the top bar says "99+" beyond this: counting stops there, however many there are


def notification_list(*, actor, unread_only: bool = False) -> QuerySet[Notification]:
    """The actor's inbox, newest first (page it with keyset_page on ["-created_at", "-id"])."""
    qs = Notification.objects.filter(recipient=actor, in_app=True).select_related("actor")
    if unread_only:
        qs = qs.filter(read_at=None)
    return qs.order_by("-created_at", "-id")


def unread_count(*, actor) -> int:
    """Unread notifications of the actor, counted up to UNREAD_CAP + 1 (one query on a partial index)."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=actor, in_app=True, read_at=None)[: UNREAD_CAP + 1].count()


def notification_get(*, actor, pk) -> Notification:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    found = Notification.objects.filter(pk=pk, recipient=actor, in_app=True).select_related("actor").first()
    if found is None:
        raise NotFoundError()
    return found


@dataclass
class PreferenceRow:
    event_type: registry.EventType
    in_app: bool
    email: bool

    @property
    def default_in_app(self) -> bool:
        return registry.IN_APP in self.event_type.default_channels

    @property
    def default_email(self) -> bool:
        return registry.EMAIL in self.event_type.default_channels


def preferences_for(*, user) -> list[PreferenceRow]:
    """Every registered event type with the user's channels (their choice, else the default)."""
    chosen = {p.event: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for event_type in registry.event_types():
        row = chosen.get(event_type.code)
        if row is None:
            channels = event_type.default_channels
            rows.append(PreferenceRow(event_type, registry.IN_APP in channels, registry.EMAIL in channels))
        else:
            rows.append(PreferenceRow(event_type, row.in_app, row.email))
    return rows


def _require_admin(actor) -> None:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def webhook_list(*, actor, team: Team | None = None) -> QuerySet[MessengerWebhook]:
    _require_admin(actor)
    qs = MessengerWebhook.objects.select_related("team").annotate(
        failed_count=Count("deliveries", filter=Q(deliveries__status="failed"))
    )
    return qs.filter(team=team) if team is not None else qs


def webhook_get(*, actor, pk) -> MessengerWebhook:
    _require_admin(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    hook = MessengerWebhook.objects.select_related("team").filter(pk=pk).first()
    if hook is None:
        raise NotFoundError()
    return hook


def webhook_deliveries(*, actor, webhook: MessengerWebhook, limit: int = 20) -> list[Delivery]:
    """The webhook's latest posts, newest first, with their status."""
    _require_admin(actor)
    return list(Delivery.objects.filter(webhook=webhook).order_by("-created_at", "-id")[:limit])


def team_webhook_counts(*, actor) -> dict[int, int]:
    """Webhooks per team id (Settings → Teams)."""
    _require_admin(actor)
    return dict(
        MessengerWebhook.objects.values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
        .order_by()
    )

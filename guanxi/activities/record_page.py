"""What the activities app shows on the page of any record whose document type has the "activities"
feature: a tab, an overview card, a header button and timeline events (registered in registry.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from guanxi.activities.choices import ActivityStatus
from guanxi.activities.permissions import Action
from guanxi.activities.selectors import activities as sel
from guanxi.activities.selectors import records
from guanxi.core.registry import TimelineEvent
from guanxi.core.roles import grants_for

TAB_LIMIT = 50
CARD_LIMIT = 3


def may_view_activities(obj, user) -> bool:
    return grants_for(user).can(Action.ACTIVITY_VIEW)


def may_add(obj, user) -> bool:
    return grants_for(user).can(Action.ACTIVITY_ADD) and sel.can_add(user, obj)


def new_url(obj, **extra) -> str:
    query = {"record_type": records.code_of(obj), "record_id": obj.pk, **extra}
    return f"{reverse('activities:create')}?{urlencode(query)}"


def _mark(items, now):
    for a in items:
        a.overdue = sel.is_overdue(a, now)
    return items


def tab_context(obj, user) -> dict:
    """The record's activities: open ones by due time, then the latest closed ones."""
    qs = sel.activities_of_record(actor=user, record=obj, checked=True).select_related("assignee")
    now = timezone.now()
    return {
        "open_activities": _mark(
            list(qs.filter(status=ActivityStatus.OPEN).order_by("due_at", "id")[:TAB_LIMIT]), now
        ),
        "closed_activities": list(
            qs.exclude(status=ActivityStatus.OPEN).order_by("-closed_at", "-id")[:TAB_LIMIT]
        ),
        "can_add_activity": may_add(obj, user),
        "new_activity_url": new_url(obj),
        "log_activity_url": new_url(obj, status="done"),
    }


def card_context(obj, user) -> dict:
    qs = sel.activities_of_record(actor=user, record=obj, checked=True).filter(status=ActivityStatus.OPEN)
    items = list(qs.select_related("assignee").order_by("due_at", "id")[: CARD_LIMIT + 1])
    return {
        "next_activities": _mark(items[:CARD_LIMIT], timezone.now()),
        "more_activities": len(items) > CARD_LIMIT,
    }


def timeline_events(obj, user, limit: int) -> list[TimelineEvent]:
    """Each activity once: a closed one when it was closed, an open one when it was scheduled."""
    if not grants_for(user).can(Action.ACTIVITY_VIEW):
        return []
    from django.db.models.functions import Coalesce

    qs = (
        sel.activities_of_record(actor=user, record=obj, checked=True)
        .select_related("assignee", "created_by", "closed_by")
        .annotate(at=Coalesce("closed_at", "created_at"))
        .order_by("-at", "-id")[:limit]
    )
    now = timezone.now()
    return [
        TimelineEvent(
            a.at,
            a.closed_by if a.closed_at else a.created_by,
            "activities/partials/event.html",
            "activity",
            a,
        )
        for a in _mark(list(qs), now)
    ]

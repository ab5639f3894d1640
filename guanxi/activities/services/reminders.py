"""Reminders of activities that are due soon: found by `activity_reminders_due`, claimed one by one with
`activity_mark_reminded`. The claim is a conditional UPDATE (`… WHERE reminded_at IS NULL`) that only one
of several workers can win, so a reminder goes out at most once however many workers run the job; the
job (guanxi.activities.tasks.send_due_reminders) sends only what it has claimed."""

from __future__ import annotations

import datetime as dt

from guanxi.activities.choices import ActivityStatus
from guanxi.activities.models import Activity

BATCH = 200


def activity_reminders_due(*, now: dt.datetime, limit: int = BATCH) -> list[Activity]:
    """Open activities whose reminder time has come and whose reminder has not gone out, oldest first, for
    an active assignee (nobody to remind otherwise)."""
    return list(
        Activity.objects.filter(
            status=ActivityStatus.OPEN,
            remind_at__isnull=False,
            remind_at__lte=now,
            reminded_at__isnull=True,
            assignee__is_active=True,
        )
        .select_related("assignee")
        .order_by("remind_at", "id")[:limit]
    )


def activity_mark_reminded(*, activity: Activity, now: dt.datetime) -> bool:
    """Claim the reminder of `activity`: True for the one caller that set `reminded_at`, False for every
    other (already reminded, by another worker or an earlier run; or no longer open)."""
    won = Activity.objects.filter(
        pk=activity.pk, reminded_at__isnull=True, status=ActivityStatus.OPEN
    ).update(reminded_at=now)
    if won:
        activity.reminded_at = now
    return bool(won)

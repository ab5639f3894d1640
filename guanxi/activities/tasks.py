"""Background work of the activities app (django-tasks; `guanxi worker` runs it).

`send_due_reminders` is meant to run every minute or so as a periodic job (the scheduled-jobs block
registers `send_due_reminders_task`); it is idempotent and safe with several workers: each reminder is
claimed by exactly one of them (guanxi.activities.services.reminders). What "sending" means is up to the
subscribers of `guanxi.activities.hooks.on_reminder` (the notifications block); until one is connected, a
reminder is recorded (`reminded_at`) and logged.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from guanxi.activities import hooks
from guanxi.activities.services.reminders import BATCH, activity_mark_reminded, activity_reminders_due
from guanxi.core.periodic import cron

log = logging.getLogger(__name__)


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Send every reminder that is due at `now` (default: now) and not sent yet; returns how many this call
    sent. Two workers running it at once send each reminder once between them."""
    now = now or timezone.now()
    sent = 0
    while True:
        due = activity_reminders_due(now=now, limit=BATCH)
        for activity in due:
            if not activity_mark_reminded(activity=activity, now=now):
                continue  # another worker has it
            sent += 1
            log.info(
                "Reminder: activity %s (%s) due %s, for %s",
                activity.pk,
                activity.subject,
                activity.due_at.isoformat(),
                activity.assignee,
            )
            hooks.reminder_due(activity)
        if len(due) < BATCH:
            return sent


@cron("*/5 * * * *", name="activities.send_due_reminders", title=_("Remind assignees of activities due soon"))
@task()
def send_due_reminders_task() -> int:
    """The periodic job: send the reminders that are due now."""
    return send_due_reminders()

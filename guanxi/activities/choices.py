"""Kinds, states and priorities of activities, and the reminder offsets a form offers."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", pgettext_lazy("activity kind", "Email")
    TASK = "task", _("Task")
    NOTE = "note", _("Note")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


# Kinds that happen at a time and can go into a calendar (.ics); a note is only a record of something.
CALENDAR_KINDS = (ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.TASK, ActivityKind.EMAIL)

# Minutes before the due time (an all-day activity: before 09:00 on its day) that a reminder is due.
REMINDER_CHOICES = [
    (None, _("No reminder")),
    (0, _("At the time")),
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (60, _("1 hour before")),
    (120, _("2 hours before")),
    (1440, _("1 day before")),
]
MAX_REMIND_BEFORE = 7 * 24 * 60  # the API accepts any number of minutes up to a week
MAX_DURATION = 24 * 60

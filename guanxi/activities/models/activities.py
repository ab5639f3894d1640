"""An activity (call, meeting, email, task, note) on any record whose document type has the "activities"
feature (guanxi.core.registry): the record is named by its type ("parties.party") and id, as audit entries
name their subjects, so this app never needs to know the app that owns the record."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.activities.choices import ActivityKind, ActivityPriority, ActivityStatus


class Activity(models.Model):
    # Stable across edits and hosts: the UID of the activity's calendar event (.ics).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_type = models.CharField(_("record type"), max_length=60)  # a DocumentType code, "app.model"
    record_id = models.BigIntegerField(_("record"))
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.CALL)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    # When it is due (or happened): an instant. An all-day activity is due on `due_date`; its `due_at` is the
    # start of that day in the time zone it was entered in, so that lists sort and bucket every kind alike.
    due_at = models.DateTimeField(_("due"))
    due_date = models.DateField(_("due date"))
    all_day = models.BooleanField(_("all day"), default=False)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_activities",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="+"
    )
    # People at the record's side (a party's contacts), when its app offers them (guanxi.activities.contacts).
    contacts = models.ManyToManyField(
        "parties.Party", verbose_name=_("contacts"), blank=True, related_name="activities"
    )
    location = models.CharField(pgettext_lazy("meeting place", "location"), max_length=200, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=ActivityPriority.choices, default=ActivityPriority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True, max_length=2000)
    # Reminders (guanxi.activities.services.reminders): due at `remind_at`; `reminded_at` is set once, by the
    # one worker whose conditional UPDATE wins.
    remind_before = models.PositiveIntegerField(_("reminder (minutes before)"), null=True, blank=True)
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Set by the selectors and views, not stored: the record itself (None when it is gone), how a list shows
    # it (selectors.records.RecordRef), and whether the activity is overdue now.
    record: Any = None
    record_ref: Any = None
    overdue: bool = False

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["due_at", "id"]
        indexes = [
            # A record's activities (its tab, timeline and card).
            models.Index(fields=["record_type", "record_id", "due_at"], name="activity_record_idx"),
            # My activities: open ones by due time, closed ones by when they were closed.
            models.Index(fields=["assignee", "status", "due_at", "id"], name="activity_assignee_due_idx"),
            models.Index(
                fields=["assignee", "closed_at", "id"],
                name="activity_assignee_closed_idx",
                condition=Q(closed_at__isnull=False),
            ),
            models.Index(fields=["status", "due_at", "id"], name="activity_status_due_idx"),
            # Done ones of a team or of everyone (My activities with assignee=any), newest first: a walk back
            # over this index stops after a page; without it every closed activity was read and sorted.
            models.Index(
                fields=["closed_at", "id"],
                name="activity_closed_idx",
                condition=Q(closed_at__isnull=False),
            ),
            # Reminders not sent yet: a small index the reminder job reads.
            models.Index(
                fields=["remind_at"],
                name="activity_reminder_due_idx",
                condition=Q(reminded_at__isnull=True, status="open", remind_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="activity_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("activities:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ActivityStatus.OPEN

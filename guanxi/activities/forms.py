"""Forms for scheduling, logging, editing and completing activities. What they offer comes from the
record (who may be assigned, which contacts); the services check it again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.activities.choices import REMINDER_CHOICES, ActivityKind, ActivityPriority
from guanxi.activities.models import Activity
from guanxi.core.forms import ServiceErrorsMixin

CONTACTS_OFFERED = 100


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class ActivityForm(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    due_date = forms.DateField(
        label=_("Date"),
        input_formats=["%Y-%m-%d"],  # what <input type="date"> sends, in every language
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    due_time = forms.TimeField(
        label=_("Time"),
        required=False,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for an all-day activity."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("For meetings and calls: how long it takes."),
    )
    assignee = forms.TypedChoiceField(label=_("Assigned to"), coerce=int, empty_value=None, required=False)
    participants = forms.TypedMultipleChoiceField(
        label=_("Participants"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    contacts = forms.TypedMultipleChoiceField(
        label=_("Contacts"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    location = forms.CharField(
        label=pgettext_lazy("meeting place", "Location"), max_length=200, required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=ActivityPriority.choices, initial=ActivityPriority.NORMAL
    )
    remind_before = forms.TypedChoiceField(
        label=_("Reminder"),
        choices=[("" if v is None else v, label) for v, label in REMINDER_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, users=(), contacts=(), mode: str = "schedule", closed: bool = False, **kwargs):
        """`mode`: "schedule" (a new open activity), "log" (something that happened: done, with its
        outcome, no reminder) or "edit" (the outcome only once it is closed)."""
        super().__init__(*args, **kwargs)
        people = [(u.pk, str(u)) for u in users]
        self.fields["assignee"].choices = [("", _("Nobody")), *people]  # type: ignore[attr-defined]
        self.fields["participants"].choices = people  # type: ignore[attr-defined]
        contact_choices = [(p.pk, p.name) for p in list(contacts)[:CONTACTS_OFFERED]]
        if contact_choices:
            self.fields["contacts"].choices = contact_choices  # type: ignore[attr-defined]
        else:
            del self.fields["contacts"]
        self.mode = mode
        if mode == "log":
            del self.fields["remind_before"]
        elif mode == "schedule" or not closed:
            del self.fields["outcome"]

    @staticmethod
    def initial_for(activity: Activity) -> dict:
        local = timezone.localtime(activity.due_at)
        return {
            "version": activity.version,
            "kind": activity.kind,
            "subject": activity.subject,
            "due_date": activity.due_date,
            "due_time": None if activity.all_day else local.time().replace(second=0, microsecond=0),
            "duration_minutes": activity.duration_minutes,
            "assignee": activity.assignee_id,
            "participants": [u.pk for u in activity.participants.all()],
            "contacts": [p.pk for p in activity.contacts.all()],
            "location": activity.location,
            "priority": activity.priority,
            "remind_before": activity.remind_before,
            "description": activity.description,
            "outcome": activity.outcome,
        }

    def service_input(self) -> dict:
        d = self.cleaned_data
        data: dict[str, Any] = {
            k: d[k]
            for k in ("kind", "subject", "description", "location", "priority", "duration_minutes")
            if k in d
        }
        if d.get("due_time") is None:
            data.update(all_day=True, due_date=d["due_date"])
        else:
            data.update(all_day=False, due_at=dt.datetime.combine(d["due_date"], d["due_time"]))
        data["assignee"] = d.get("assignee")
        data["participants"] = d.get("participants") or []
        if "contacts" in self.fields:
            data["contacts"] = d.get("contacts") or []
        if "remind_before" in self.fields:
            data["remind_before"] = _int_or_none(d.get("remind_before"))
        if self.mode == "log":
            data["status"] = "done"
        if "outcome" in self.fields:
            data["outcome"] = d.get("outcome", "")
        return data


class CompleteForm(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("What came of it, for whoever reads the record next."),
    )

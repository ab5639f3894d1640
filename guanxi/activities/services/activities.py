"""Writes of activities: create (schedule or log), update, complete, cancel, reopen.

Each is one transaction with its audit entry, recorded on the activity and on its record's history
(`audit_record(..., also=[record])`); edits carry the version the user saw (optimistic locking, 409).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.activities import hooks
from guanxi.activities.choices import ActivityStatus
from guanxi.activities.fields import AUDITED, MANY
from guanxi.activities.models import Activity
from guanxi.activities.permissions import Action
from guanxi.activities.selectors import activities as sel
from guanxi.activities.selectors import records
from guanxi.activities.services.cleaning import check_record, clean, remind_at, text
from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot

_SCALAR = [f for f in AUDITED if f not in MANY]


def _snapshot(activity: Activity) -> dict:
    data = snapshot(activity, _SCALAR)
    data["due_at"] = activity.due_at.astimezone(dt.UTC).isoformat() if activity.due_at else None
    data.pop("due_at" if activity.all_day else "due_date")  # the one that says when it is due
    if activity.pk:
        data["participants"] = sorted(str(u) for u in activity.participants.all())
        data["contacts"] = sorted(str(p) for p in activity.contacts.all())
    return data


def _audit(actor, action: str, activity: Activity, changes: dict, record) -> None:
    if changes:
        audit_record(actor=actor, action=action, target=activity, changes=changes, also=[record])


def _record_of(activity: Activity):
    record = getattr(activity, "record", None)
    if record is None:
        record = records.load_record(activity.record_type, activity.record_id)
    return record


def _require_change(actor, activity: Activity, record) -> None:
    if not grants_for(actor).can(Action.ACTIVITY_CHANGE):
        raise PermissionDeniedError()
    if not sel.can_change(actor, activity, record):
        if not (sel.reaches(actor, activity) or (record is not None and records.may_view(actor, record))):
            raise NotFoundError()
        raise PermissionDeniedError(_("You may see this activity but not change it."))


def _lock(activity: Activity, version, *, required: bool) -> Activity:
    if required and version is None:
        raise ValidationError({"version": _("Reload the activity and try again: the version is missing.")})
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if version is not None:
        try:
            seen = int(version)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"version": _("Reload the activity and try again.")}) from exc
        if current.version != seen:
            raise ConflictError()
    return current


def _notify_assigned(activity: Activity, actor) -> None:
    if activity.assignee_id and activity.assignee_id != getattr(actor, "pk", None):
        transaction.on_commit(lambda: hooks.assigned(activity, actor))


def _apply_reminder(activity: Activity) -> None:
    when = remind_at(
        due_at=activity.due_at,
        due_date=activity.due_date,
        all_day=activity.all_day,
        remind_before=activity.remind_before,
    )
    if when != activity.remind_at:
        activity.remind_at = when
        activity.reminded_at = None  # a new time: a new reminder


@transaction.atomic
def activity_create(*, actor, record, data: dict, follow_up_of: Activity | None = None) -> Activity:
    """Schedule an activity on `record` (status open), or log one that happened (`status: "done"`, with its
    outcome). The assignee defaults to the actor and must be someone who may see the record."""
    record_type = check_record(record)
    if not grants_for(actor).can(Action.ACTIVITY_ADD):
        raise PermissionDeniedError()
    if not records.may_view(actor, record):
        raise NotFoundError()
    if not sel.can_add(actor, record):
        raise PermissionDeniedError(_("You may see this record but not add activities to it."))
    data = dict(data)
    status = data.pop("status", ActivityStatus.OPEN) or ActivityStatus.OPEN
    if status not in (ActivityStatus.OPEN, ActivityStatus.DONE):
        raise ValidationError({"status": _("A new activity is open, or done when you log what happened.")})
    data.setdefault("assignee", actor)
    values = clean(data=data, record=record, record_type=record_type)
    if status == ActivityStatus.OPEN and values.get("outcome"):
        raise ValidationError({"outcome": _("An outcome is recorded when the activity is done.")})
    people = {k: values.pop(k) for k in MANY if k in values}
    activity = Activity(
        record_type=record_type, record_id=record.pk, created_by=actor, follow_up_of=follow_up_of, **values
    )
    if status == ActivityStatus.DONE:
        activity.status, activity.closed_at, activity.closed_by = status, timezone.now(), actor
    else:
        _apply_reminder(activity)
    activity.save()
    for name, items in people.items():
        getattr(activity, name).set(items)
    changes = {k: [None, v] for k, v in _snapshot(activity).items() if v not in (None, "", [], False)}
    if follow_up_of is not None:
        changes["follow_up_of"] = [None, str(follow_up_of)]
    _audit(actor, AuditAction.CREATE, activity, changes, record)
    if status == ActivityStatus.OPEN:
        _notify_assigned(activity, actor)
    activity.record = record
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, version, data: dict) -> Activity:
    """Change what the user may set (not the record, not the state). `version` is what the user saw."""
    record = _record_of(activity)
    _require_change(actor, activity, record)
    current = _lock(activity, version, required=True)
    if record is None:
        raise ValidationError({"record": _("The record of this activity no longer exists.")})
    if "status" in data:
        raise ValidationError({"status": _("Complete, cancel or reopen the activity instead.")})
    if "outcome" in data and current.is_open:
        raise ValidationError({"outcome": _("An outcome is recorded when the activity is done.")})
    values = clean(data=data, record=record, record_type=current.record_type, current=current)
    before = _snapshot(current)
    people = {k: values.pop(k) for k in MANY if k in values}
    old_assignee = current.assignee_id
    for name, value in values.items():
        setattr(current, name, value)
    if current.is_open:
        _apply_reminder(current)
    for name, items in people.items():
        getattr(current, name).set(items)
    changes = diff(before, _snapshot(current))
    if changes:
        current.version += 1
        current.save()
        _audit(actor, AuditAction.UPDATE, current, changes, record)
        if current.is_open and current.assignee_id != old_assignee:
            _notify_assigned(current, actor)
    current.record = record
    return current


def _transition(actor, activity: Activity, version, *, to: str, outcome: str | None = None) -> Activity:
    record = _record_of(activity)
    _require_change(actor, activity, record)
    current = _lock(activity, None, required=False)
    # The state is said first: done twice (two tabs) reads "done already", not a generic conflict.
    if to == ActivityStatus.OPEN and current.status == ActivityStatus.OPEN:
        raise ConflictError(_("This activity is open already."))
    if to != ActivityStatus.OPEN and current.status != ActivityStatus.OPEN:
        message = (
            _("This activity is done already.")
            if current.status == ActivityStatus.DONE
            else _("This activity was cancelled.")
        )
        raise ConflictError(message)
    _lock(current, version, required=False)  # then a stale version (edited meanwhile) is a conflict
    before = _snapshot(current)
    if outcome is not None:
        errors: dict[str, str] = {}
        current.outcome = text(outcome, "outcome", errors, multiline=True)
        if errors:
            raise ValidationError(errors)
    current.status = to
    if to == ActivityStatus.OPEN:
        current.closed_at = current.closed_by = None
    else:
        current.closed_at, current.closed_by = timezone.now(), actor
    current.version += 1
    current.save()
    _audit(actor, AuditAction.UPDATE, current, diff(before, _snapshot(current)), record)
    current.record = record
    return current


@transaction.atomic
def activity_complete(*, actor, activity: Activity, outcome: str = "", version=None) -> Activity:
    """Mark it done with its outcome. Done twice (two tabs): the second is told it is done already (409)."""
    return _transition(actor, activity, version, to=ActivityStatus.DONE, outcome=outcome)


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, version=None) -> Activity:
    return _transition(actor, activity, version, to=ActivityStatus.CANCELLED)


@transaction.atomic
def activity_reopen(*, actor, activity: Activity, version=None) -> Activity:
    """Open a done or cancelled activity again (its outcome stays; its reminder is not sent again)."""
    return _transition(actor, activity, version, to=ActivityStatus.OPEN)

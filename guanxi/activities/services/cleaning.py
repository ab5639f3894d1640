"""What a user gave for an activity → clean values, every error collected (field → message)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.activities.choices import MAX_DURATION, MAX_REMIND_BEFORE, ActivityKind, ActivityPriority
from guanxi.activities.contacts import contacts_for
from guanxi.activities.fields import EDITABLE
from guanxi.activities.selectors import activities as sel
from guanxi.activities.selectors import records
from guanxi.core.models import User
from guanxi.parties.models import Party
from guanxi.parties.validation import clean_text

MAX_PEOPLE = 50
LIMITS = {"subject": 200, "location": 200, "description": 10000, "outcome": 2000}
REMINDER_HOUR = dt.time(9, 0)  # an all-day activity's reminder counts back from 09:00 on its day


def text(value, name: str, errors: dict, *, multiline: bool = False) -> str:
    try:
        out = clean_text(value or "", multiline=multiline)
    except ValidationError as exc:
        errors[name] = exc.messages[0]
        return ""
    if len(out) > LIMITS[name]:
        errors[name] = _("Use at most %(n)d characters.") % {"n": LIMITS[name]}
    return out


def _number(value, name: str, errors: dict, *, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors[name] = _("Enter a whole number.")
        return None
    if isinstance(value, bool) or not low <= n <= high:
        errors[name] = _("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high}
        return None
    return n


def _user(value) -> User | None:
    if value is None or value == "":
        return None
    if isinstance(value, User):
        return value
    try:
        return User.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def _ids(values) -> list[int] | None:
    out = []
    for v in values or []:
        pk = getattr(v, "pk", v)
        if isinstance(pk, bool) or not isinstance(pk, int):
            try:
                pk = int(pk)
            except (TypeError, ValueError, OverflowError):
                return None
        out.append(pk)
    return list(dict.fromkeys(out))


def _participants(values, errors: dict) -> list[User]:
    ids = _ids(values)
    if ids is None or len(ids) > MAX_PEOPLE:
        errors["participants"] = _("Choose at most %(n)d people.") % {"n": MAX_PEOPLE}
        return []
    users = list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))
    if len(users) != len(ids):
        errors["participants"] = _("Choose active users only.")
    return users


def _contacts(values, record_type: str, record, errors: dict) -> list[Party]:
    ids = _ids(values)
    if ids is None or len(ids) > MAX_PEOPLE:
        errors["contacts"] = _("Choose at most %(n)d people.") % {"n": MAX_PEOPLE}
        return []
    if not ids:
        return []
    offered = contacts_for(record_type, record)
    found = list(offered.filter(pk__in=ids).order_by("name")) if offered is not None else []
    if len(found) != len(ids):
        errors["contacts"] = _("Choose contacts of this record only.")
    return found


def _plausible(day: dt.date) -> bool:
    return 1900 <= day.year <= 2200  # far dates would overflow when moved between time zones


def _due(data: dict, current, errors: dict) -> dict:
    """The due fields: a date for an all-day activity, else a time (an aware datetime; a naive one is read in
    the current time zone)."""
    all_day = bool(data.get("all_day", current.all_day if current else False))
    out: dict = {"all_day": all_day}
    zone = timezone.get_current_timezone()
    if all_day:
        day = data.get("due_date") or (current.due_date if current and "due_at" not in data else None)
        if day is None and data.get("due_at"):
            day = timezone.localtime(data["due_at"], zone).date()
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            errors["due_date"] = _("Enter the day it is due.")
            return out
        if not _plausible(day):
            errors["due_date"] = _("Enter a date between 1900 and 2200.")
            return out
        out["due_date"] = day
        out["due_at"] = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
        return out
    moment = data.get("due_at") or (current.due_at if current and "due_date" not in data else None)
    if not isinstance(moment, dt.datetime):
        errors["due_at"] = _("Enter the date and time it is due.")
        return out
    if not _plausible(moment):
        errors["due_at"] = _("Enter a date between 1900 and 2200.")
        return out
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, zone)
    out["due_at"] = moment
    out["due_date"] = timezone.localtime(moment, zone).date()
    return out


def clean(*, data: dict, record, record_type: str, current=None) -> dict:
    """Clean the fields given in `data` (all of them when creating: `current` is None). Returns the clean
    values of the fields given; raises ValidationError with every problem at once."""
    errors: dict[str, str] = {}
    unknown = set(data) - set(EDITABLE) - {"status", "outcome"}
    for name in sorted(unknown):
        errors[name] = _("This field cannot be set.")
    out: dict = {}
    creating = current is None
    if creating or "kind" in data:
        kind = data.get("kind") or ActivityKind.CALL
        if kind not in ActivityKind.values:
            errors["kind"] = _("Choose a kind.")
        out["kind"] = kind
    if creating or "subject" in data:
        out["subject"] = text(data.get("subject"), "subject", errors)
        if not out["subject"] and "subject" not in errors:
            errors["subject"] = _("Say what it is about.")
    for name in ("description", "location"):
        if creating or name in data:
            out[name] = text(data.get(name), name, errors, multiline=name == "description")
    if creating or "outcome" in data:
        out["outcome"] = text(data.get("outcome"), "outcome", errors, multiline=True)
    if creating or {"due_at", "due_date", "all_day"} & set(data):
        out.update(_due(data, current, errors))
    if creating or "duration_minutes" in data:
        out["duration_minutes"] = _number(
            data.get("duration_minutes"), "duration_minutes", errors, low=1, high=MAX_DURATION
        )
    if creating or "remind_before" in data:
        out["remind_before"] = _number(
            data.get("remind_before"), "remind_before", errors, low=0, high=MAX_REMIND_BEFORE
        )
    if creating or "priority" in data:
        priority = data.get("priority") or ActivityPriority.NORMAL
        if priority not in ActivityPriority.values:
            errors["priority"] = _("Choose a priority.")
        out["priority"] = priority
    if "assignee" in data:
        given = data["assignee"]
        user = _user(given)
        if given not in (None, "") and user is None:
            errors["assignee"] = _("Unknown user.")
        elif (
            user is not None
            and (current is None or user.pk != current.assignee_id)
            and not sel.may_be_assigned(user, record)
        ):
            errors["assignee"] = _("%(user)s cannot see this record: choose someone who can.") % {
                "user": user
            }
        out["assignee"] = user
    if "participants" in data:
        out["participants"] = _participants(data["participants"], errors)
    if "contacts" in data:
        out["contacts"] = _contacts(data["contacts"], record_type, record, errors)
    if errors:
        raise ValidationError(errors)
    return out


def remind_at(*, due_at, due_date, all_day: bool, remind_before: int | None):
    """When the reminder of an activity due then is due (None: no reminder)."""
    if remind_before is None:
        return None
    base = due_at
    if all_day:
        base = dt.datetime.combine(due_date, REMINDER_HOUR, tzinfo=timezone.get_current_timezone())
    return base - dt.timedelta(minutes=remind_before)


def check_record(record) -> str:
    """The record's type code, refusing a record whose type does not take activities."""
    if record is None or records.type_of(record) is None:
        raise ValidationError({"record": _("Activities cannot be attached to this kind of record.")})
    return records.code_of(record)

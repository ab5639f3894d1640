"""An activity as an iCalendar (RFC 5545) event, with the icalendar library: the time in the server's time
zone (TZID + VTIMEZONE), an all-day activity as a date, a UID that stays the same across edits (SEQUENCE
counts them), and the text as typed (UTF-8, Chinese included)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from guanxi import __version__
from guanxi.activities.choices import ActivityKind, ActivityStatus

DEFAULT_MINUTES = {ActivityKind.MEETING: 60, ActivityKind.CALL: 15}
PRODID = f"-//Guanxi//Guanxi {__version__}//EN"


def uid_of(activity) -> str:
    return f"{activity.uid}@guanxi"


def _address(email: str, name: str, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    address.params["ROLE"] = vText(role)
    return address


def activity_calendar(activity, *, record_title: str = "", url: str = "") -> bytes:
    zone = timezone.get_current_timezone()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid_of(activity))
    event.add("sequence", activity.version - 1)
    event.add("dtstamp", activity.updated_at.astimezone(dt.UTC))
    event.add("created", activity.created_at.astimezone(dt.UTC))
    event.add("last-modified", activity.updated_at.astimezone(dt.UTC))
    if activity.all_day:
        event.add("dtstart", activity.due_date)
        event.add("dtend", activity.due_date + dt.timedelta(days=1))
    else:
        start = timezone.localtime(activity.due_at, zone)
        minutes = activity.duration_minutes or DEFAULT_MINUTES.get(activity.kind, 30)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=minutes))
    summary = activity.subject if not record_title else f"{activity.subject} · {record_title}"
    event.add("summary", summary)
    description = "\n\n".join(p for p in (activity.description, url) if p)
    if description:
        event.add("description", description)
    if activity.location:
        event.add("location", activity.location)
    if url:
        event.add("url", url)
    event.add("categories", [str(activity.get_kind_display())])
    event.add("status", "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if activity.all_day else "OPAQUE")
    if activity.assignee and activity.assignee.email:
        event.add("organizer", _address(activity.assignee.email, str(activity.assignee), "CHAIR"))
    for user in activity.participants.all():
        if user.email:
            event.add("attendee", _address(user.email, str(user), "REQ-PARTICIPANT"))
    cal.add_component(event)
    if not activity.all_day:
        year = activity.due_at.year
        cal.add_missing_timezones(first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 2, 1, 1))
    return cal.to_ical()

"""Scheduling, logging, editing and the page of one activity; its calendar file; the party's page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from guanxi.activities.models import Activity
from guanxi.activities.services.activities import activity_complete
from guanxi.activities.tests.factories import make_activity

pytestmark = pytest.mark.django_db


def _new_url(world, **extra):
    query = "&".join(
        f"{k}={v}" for k, v in {"record_type": "parties.party", "record_id": world.huawei.pk, **extra}.items()
    )
    return f"/activities/new/?{query}"


def _form(world, **data):
    return {
        "record_type": "parties.party",
        "record_id": world.huawei.pk,
        "kind": "meeting",
        "subject": "拜访华为",
        "due_date": "2030-05-06",
        "due_time": "14:30",
        "duration_minutes": "90",
        "assignee": world.rep.pk,
        "priority": "normal",
        "remind_before": "15",
        "contacts": [world.zhang.pk],
        **data,
    }


def test_schedule_an_activity_on_a_party(client, world):
    client.force_login(world.rep)
    page = client.get(_new_url(world)).content.decode()
    assert "Schedule an activity" in page and "张伟" in page and "rep_west" not in page
    resp = client.post("/activities/new/", _form(world, next=f"/parties/{world.huawei.pk}/?tab=activities"))
    assert resp.status_code == 302 and resp["Location"] == f"/parties/{world.huawei.pk}/?tab=activities"
    a = Activity.objects.get()
    local = timezone.localtime(a.due_at)
    assert (local.date(), local.hour, local.minute) == (dt.date(2030, 5, 6), 14, 30)
    assert a.kind == "meeting" and a.duration_minutes == 90 and list(a.contacts.all()) == [world.zhang]


def test_an_empty_time_makes_it_all_day(client, world):
    client.force_login(world.rep)
    client.post("/activities/new/", _form(world, due_time=""))
    a = Activity.objects.get()
    assert a.all_day and a.due_date == dt.date(2030, 5, 6)


def test_errors_keep_what_was_typed(client, world):
    client.force_login(world.rep)
    resp = client.post(
        "/activities/new/", _form(world, subject="", location="国贸大厦 A 座", duration_minutes="0")
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and not Activity.objects.exists()
    assert "国贸大厦 A 座" in html and 'class="field has-error"' in html


def test_scheduling_asks_no_outcome_and_logging_no_reminder(client, world):
    client.force_login(world.rep)
    schedule = client.get(_new_url(world)).content.decode()
    assert 'name="outcome"' not in schedule and 'name="remind_before"' in schedule
    log = client.get(_new_url(world, status="done")).content.decode()
    assert 'name="outcome"' in log and 'name="remind_before"' not in log


def test_log_what_happened(client, world):
    client.force_login(world.rep)
    assert "Log an activity" in client.get(_new_url(world, status="done")).content.decode()
    client.post("/activities/new/", _form(world, status="done", outcome="对方同意试用"))
    a = Activity.objects.get()
    assert a.status == "done" and a.outcome == "对方同意试用"


def test_a_form_that_could_never_be_saved_is_refused_when_opened(client, world):
    client.force_login(world.marketing)  # sees the customer, may not change it
    assert client.get(_new_url(world)).status_code == 403
    client.force_login(world.rep_west)  # does not see it
    assert client.get(_new_url(world)).status_code == 404
    client.force_login(world.rep)
    assert client.get("/activities/new/?record_type=core.team&record_id=1").status_code == 404
    assert client.get("/activities/new/?record_type=parties.party&record_id=x").status_code == 404


def test_the_next_step_form_is_prefilled_from_the_completed_activity(client, world):
    a = make_activity(
        world.rep, world.huawei, kind="meeting", subject="Demo", location="深圳", contacts=[world.zhang.pk]
    )
    activity_complete(actor=world.rep, activity=a, outcome="Wants a quote")
    client.force_login(world.rep)
    html = client.get(f"/activities/new/?follow_up={a.pk}").content.decode()
    assert "Schedule the next step" in html and 'value="Follow-up: Demo"' in html
    assert 'value="深圳"' in html and "Wants a quote" in html
    assert re.search(rf'value="{world.zhang.pk}"[^>]*checked', html)
    resp = client.post(
        "/activities/new/",
        _form(world, follow_up=a.pk, subject="Send the quote", record_type="", record_id=""),
    )
    assert resp.status_code == 302
    assert Activity.objects.get(subject="Send the quote").follow_up_of == a


def test_edit_with_a_stale_version_keeps_the_input_and_says_so(client, world):
    a = make_activity(world.rep, world.huawei, subject="Call")
    client.force_login(world.rep)
    page = client.get(f"/activities/{a.pk}/edit/").content.decode()
    assert 'value="Call"' in page
    ok = _form(world, subject="Call back", version=1)
    assert client.post(f"/activities/{a.pk}/edit/", ok).status_code == 302
    html = client.post(
        f"/activities/{a.pk}/edit/", _form(world, subject="My edit", version=1)
    ).content.decode()
    assert "Someone else changed this record" in html and 'value="My edit"' in html
    assert Activity.objects.get().subject == "Call back"


def test_the_activity_page_shows_its_history_and_actions(client, world):
    a = make_activity(world.rep, world.huawei, subject="Call", kind="meeting")
    client.force_login(world.rep)
    html = client.get(f"/activities/{a.pk}/").content.decode()
    assert "Activity added" in html and "Complete" in html and "calendar.ics" in html
    client.force_login(world.marketing)  # may see (the record), not change
    html = client.get(f"/activities/{a.pk}/").content.decode()
    assert "Call" in html and f"/activities/{a.pk}/edit/" not in html
    client.force_login(world.rep_west)
    assert client.get(f"/activities/{a.pk}/").status_code == 404


def test_cancel_and_reopen_from_the_page(client, world):
    a = make_activity(world.rep, world.huawei)
    client.force_login(world.rep)
    client.post(f"/activities/{a.pk}/cancel/", {"version": 1})
    assert Activity.objects.get().status == "cancelled"
    client.post(f"/activities/{a.pk}/reopen/", {"version": 2})
    assert Activity.objects.get().status == "open"
    assert client.get(f"/activities/{a.pk}/cancel/").status_code == 405


def test_a_meeting_downloads_as_icalendar(client, world):
    when = dt.datetime(2030, 5, 6, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    a = make_activity(
        world.rep,
        world.huawei,
        kind="meeting",
        subject="拜访华为 · 年度框架协议",
        description="带上样品",
        location="深圳市龙岗区坂田华为基地",
        due_at=when,
        duration_minutes=90,
        participants=[world.mate.pk],
    )
    client.force_login(world.rep)
    resp = client.get(f"/activities/{a.pk}/calendar.ics")
    assert resp["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in resp["Content-Disposition"] and "filename*=UTF-8''" in resp["Content-Disposition"]
    cal = Calendar.from_ical(resp.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{a.uid}@guanxi"
    assert str(event["SUMMARY"]) == "拜访华为 · 年度框架协议 · 华为技术有限公司"
    assert str(event["LOCATION"]) == "深圳市龙岗区坂田华为基地"
    start = event.decoded("DTSTART")
    assert start == when and str(start.tzinfo) == "Asia/Shanghai"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=90)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert "mailto:mate@example.com" in [str(x) for x in event.get("ATTENDEE", [])] + [
        str(event.get("ATTENDEE"))
    ]
    # Edited: the same UID, a higher SEQUENCE.
    client.post(
        f"/activities/{a.pk}/edit/", {**_form(world, version=1), "kind": "meeting", "subject": "改期"}
    )
    again = Calendar.from_ical(client.get(f"/activities/{a.pk}/calendar.ics").content).walk("VEVENT")[0]
    assert str(again["UID"]) == str(event["UID"]) and int(again["SEQUENCE"]) == 1


def test_an_all_day_task_is_a_date_event_and_a_note_has_no_calendar_file(client, world):
    a = make_activity(
        world.rep, world.huawei, kind="task", all_day=True, due_date=dt.date(2030, 1, 2), due_at=None
    )
    note = make_activity(world.rep, world.huawei, kind="note")
    client.force_login(world.rep)
    event = Calendar.from_ical(client.get(f"/activities/{a.pk}/calendar.ics").content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == dt.date(2030, 1, 2) and event.decoded("DTEND") == dt.date(2030, 1, 3)
    assert client.get(f"/activities/{note.pk}/calendar.ics").status_code == 404
    client.force_login(world.rep_west)
    assert client.get(f"/activities/{a.pk}/calendar.ics").status_code == 404


def test_complete_from_its_own_form(client, world):
    a = make_activity(world.rep, world.huawei, subject="Call back")
    client.force_login(world.rep)
    page = client.get(f"/activities/{a.pk}/complete/").content.decode()
    assert "Complete “Call back”" in page and 'name="outcome"' in page
    resp = client.post(f"/activities/{a.pk}/complete/", {"version": 1, "outcome": "x" * 2001})
    assert resp.status_code == 200 and "x" * 2001 in resp.content.decode()  # refused, input kept
    resp = client.post(f"/activities/{a.pk}/complete/", {"version": 1, "outcome": "Agreed"})
    assert resp["Location"] == f"/activities/{a.pk}/"
    assert "“Call back” is done." in client.get(resp["Location"]).content.decode()
    client.force_login(world.marketing)
    assert client.get(f"/activities/{a.pk}/complete/").status_code == 403


@pytest.mark.parametrize(("now", "day", "time"), [("10:20", 0, "11:00"), ("23:20", 1, "00:00")])
def test_a_new_activity_starts_at_the_next_full_hour(client, world, monkeypatch, now, day, time):
    # After 23:00 the default was today 00:00 — a time already past, so a new meeting showed as overdue.
    base = timezone.localtime().replace(second=0, microsecond=0)
    at = base.replace(hour=int(now[:2]), minute=int(now[3:]))
    monkeypatch.setattr(
        timezone, "localtime", lambda *a, **k: at if not a else timezone.template_localtime(*a)
    )
    client.force_login(world.rep)
    html = client.get(_new_url(world)).content.decode()
    assert f'value="{(at.date() + dt.timedelta(days=day)).isoformat()}"' in html
    assert f'value="{time}"' in html

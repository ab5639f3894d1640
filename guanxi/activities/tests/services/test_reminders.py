"""Reminders: found when due, sent exactly once — also with two workers at the same moment, on SQLite and
PostgreSQL (each thread has its own database connection)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from guanxi.activities import hooks
from guanxi.activities.services.activities import activity_complete, activity_update
from guanxi.activities.services.reminders import activity_mark_reminded, activity_reminders_due
from guanxi.activities.tasks import send_due_reminders, send_due_reminders_task
from guanxi.activities.tests.factories import make_activity


@pytest.fixture
def heard():
    calls: list[int] = []
    lock = threading.Lock()

    def listen(activity):
        with lock:
            calls.append(activity.pk)

    kept = dict(hooks._REMINDER)  # the app's own subscribers (the notification) stay registered
    hooks.on_reminder(listen)
    yield calls
    hooks._REMINDER.clear()
    hooks._REMINDER.update(kept)


def _soon(world, n: int, **data):
    """`n` activities due in 10 minutes with a reminder 15 minutes before: due now."""
    due = timezone.now() + dt.timedelta(minutes=10)
    return [make_activity(world.rep, world.huawei, due_at=due, remind_before=15, **data) for _ in range(n)]


@pytest.mark.django_db
def test_due_reminders_are_found_and_claimed_once(world):
    now = timezone.now()
    due = _soon(world, 2)
    make_activity(world.rep, world.huawei, due_at=now + dt.timedelta(hours=3), remind_before=15)  # later
    make_activity(world.rep, world.huawei, due_at=now + dt.timedelta(minutes=5))  # no reminder
    done = _soon(world, 1)[0]
    activity_complete(actor=world.rep, activity=done)
    assert [a.pk for a in activity_reminders_due(now=now)] == [a.pk for a in due]
    first = activity_reminders_due(now=now)[0]
    assert activity_mark_reminded(activity=first, now=now) is True
    assert activity_mark_reminded(activity=first, now=now) is False  # a second worker, or a second run
    assert [a.pk for a in activity_reminders_due(now=now)] == [due[1].pk]


@pytest.mark.django_db
def test_the_job_sends_each_due_reminder_once(world, heard):
    due = _soon(world, 3)
    assert send_due_reminders() == 3
    assert sorted(heard) == sorted(a.pk for a in due)
    assert send_due_reminders() == 0 and len(heard) == 3
    # Rescheduled: a new reminder at the new time, sent when that comes.
    a = due[0]
    a.refresh_from_db()
    later = a.due_at + dt.timedelta(days=1)
    activity_update(actor=world.rep, activity=a, version=a.version, data={"due_at": later})
    assert send_due_reminders() == 0
    assert send_due_reminders(later) == 1 and heard[-1] == a.pk


@pytest.mark.django_db
def test_no_reminder_for_an_inactive_or_missing_assignee(world, heard):
    _soon(world, 1, assignee=None)
    world.mate.is_active = False
    world.mate.save()
    assert send_due_reminders() == 0 and heard == []


@pytest.mark.django_db
def test_a_failing_subscriber_does_not_stop_the_job(world, heard):
    hooks.on_reminder(lambda activity: 1 / 0)
    _soon(world, 2)
    assert send_due_reminders() == 2 and len(heard) == 2


@pytest.mark.django_db
def test_the_task_runs_the_job(world, heard):
    _soon(world, 1)
    result = send_due_reminders_task.enqueue()  # the test settings run tasks at once
    assert result.return_value == 1 and len(heard) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_exactly_once(world, heard):
    n = 40
    due = _soon(world, n)
    now = timezone.now()
    start = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait(timeout=30)
            counts.append(send_due_reminders(now))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sum(counts) == n
    assert sorted(heard) == sorted(a.pk for a in due)  # every one, none twice
    assert send_due_reminders(now) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_reminder_one_wins(world):
    (a,) = _soon(world, 1)
    now = timezone.now()
    start = threading.Barrier(4)
    wins: list[bool] = []

    def claim():
        try:
            start.wait(timeout=30)
            wins.append(activity_mark_reminded(activity=a, now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(wins) == [False, False, False, True]

"""The periodic-job registry (guanxi.core.periodic): declaring a job, refusing bad ones, the schedule maths."""

from datetime import timedelta

import pytest
from django.utils import translation
from django_tasks import task

from guanxi.core import periodic
from guanxi.core.periodic import (
    cron,
    describe_schedule,
    due_slot,
    get_periodic_job,
    periodic_jobs,
    register_periodic,
    unregister_periodic,
)
from guanxi.core.tests.jobs_support import at, tick_task


@task()
def needs_an_argument(party_id: int) -> None:  # pragma: no cover - never run
    pass


def test_core_declares_its_cleanup_jobs_in_its_tasks_module():
    names = [j.name for j in periodic_jobs()]
    assert {"core.purge_idempotency_keys", "core.exports_cleanup", "core.prune_job_history"} <= set(names)
    assert names == sorted(names)
    job = get_periodic_job("core.exports_cleanup")
    assert job.task.name == "exports_cleanup_task" and job.schedule == "20 * * * *"
    assert str(job.title) == "Delete expired export files"
    assert get_periodic_job("no.such_job") is None


def test_one_declaration_registers_a_job():
    """What a later app writes in its tasks.py: @cron above @task, nothing else."""

    try:
        decorated = cron("0 8 * * mon-fri", name="tests.morning", title="Morning")(tick_task)
        assert decorated is tick_task  # the task itself, still enqueueable and callable
        job = get_periodic_job("tests.morning")
        assert job.task is tick_task and job.schedule == "0 8 * * mon-fri" and job.title == "Morning"
        # Registering the same name for the same task again (a module imported twice) replaces it.
        register_periodic(tick_task, "0  9 * * mon-fri", name="tests.morning")
        assert get_periodic_job("tests.morning").schedule == "0 9 * * mon-fri"
    finally:
        unregister_periodic("tests.morning")


def test_the_name_defaults_to_the_task_path():
    job = register_periodic(tick_task, "0 * * * *")
    try:
        assert job.name == "guanxi.core.tests.jobs_support.tick_task" and job.title == job.name
    finally:
        unregister_periodic(job.name)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("* * * *", "5 fields"),
        ("61 * * * *", "61"),
        ("0 3 * * 1", "name the weekdays"),  # crontab's 1 is Monday, APScheduler 3's is Tuesday
        ("0 3 * * 0-4", "name the weekdays"),
        ("0 25 * * *", "25"),
    ],
)
def test_a_bad_schedule_is_refused_at_registration(schedule, message):
    with pytest.raises(ValueError, match=message):
        register_periodic(tick_task, schedule, name="tests.bad")
    assert get_periodic_job("tests.bad") is None


def test_what_cannot_be_a_periodic_job_is_refused():
    with pytest.raises(TypeError, match="not a django-tasks task"):
        cron("* * * * *", name="tests.plain")(lambda: None)
    with pytest.raises(ValueError, match="without arguments"):
        register_periodic(needs_an_argument, "* * * * *", name="tests.args")
    with pytest.raises(ValueError, match="looks like 'app.what'"):
        register_periodic(tick_task, "* * * * *", name="Tick Job")
    with pytest.raises(ValueError, match="already registered"):
        register_periodic(tick_task, "* * * * *", name="core.exports_cleanup")


def test_the_slot_is_the_scheduled_time_whatever_the_delay(tick_job):
    """Every five minutes: a worker firing 0.2 s or 40 s late, or one whose clock is 2 s ahead, all name
    08:05 — so the database can tell that they fire for the same time."""
    window = timedelta(seconds=60)
    for now in ("2026-03-01 08:05:00", "2026-03-01 08:05:00.200", "2026-03-01 08:05:40"):
        assert due_slot(tick_job, at(now), window=window) == at("2026-03-01 08:05:00")
    assert due_slot(tick_job, at("2026-03-01 08:04:58"), window=window) is None  # early: nothing due yet
    assert due_slot(tick_job, at("2026-03-01 08:07:00"), window=window) is None  # past the window


def test_the_next_run_is_in_the_server_time_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    job = register_periodic(tick_task, "0 3 * * *", name="tests.nightly")
    try:
        # 03:00 in Shanghai is 19:00 UTC the day before.
        assert job.next_run(at("2026-03-01 12:00:00")) == at("2026-03-01 19:00:00")
        assert due_slot(job, at("2026-03-01 19:00:01"), window=timedelta(seconds=60)) == at(
            "2026-03-01 19:00:00"
        )
    finally:
        unregister_periodic("tests.nightly")


@pytest.mark.parametrize(
    ("schedule", "en", "zh"),
    [
        ("*/5 * * * *", "Every 5 minutes", "每 5 分钟"),
        ("0 3 * * *", "At 03:00, every day", "每天 03:00"),
        ("30 2 * * mon-fri", "At 02:30, Monday through Friday", "在 02:30，星期一 到 星期五"),
        ("20 * * * *", "At 20 minutes past the hour", "在每小时的 20 分"),
        (
            "0 0 1 jan *",
            "At 00:00, on day 1 of the month, only in January",
            "在 00:00，每月的 1 号，仅在 1月",
        ),
    ],
)
def test_schedules_read_as_words_in_both_languages(schedule, en, zh):
    with translation.override("en"):
        assert describe_schedule(schedule) == en
    with translation.override("zh-hans"):
        assert describe_schedule(schedule) == zh


def test_a_description_never_fails(monkeypatch):
    def broken(schedule, chinese):
        raise RuntimeError("no")

    monkeypatch.setattr(periodic, "_describe", broken)
    assert describe_schedule("*/5 * * * *") == "*/5 * * * *"

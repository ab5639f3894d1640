"""Periodic jobs: the registry that apps fill, and the schedule maths (docs/subsystems/jobs.md).

An app declares a periodic job on one of its django-tasks tasks, in its own `tasks.py` (found and imported
by `periodic_jobs()`) or in its AppConfig.ready()::

    @cron("*/5 * * * *", name="activities.send_reminders", title=_("Send reminders for due activities"))
    @task()
    def send_reminders_task() -> int: ...

`guanxi worker` (guanxi.core.worker) turns every registered job into an APScheduler cron trigger; when one
is due, guanxi.core.services.jobs claims that scheduled time in the database (one row per job and time, a
unique constraint: two workers never both run it) and enqueues the task after commit. Core names no app.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.triggers.cron import CronTrigger
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")  # "app.what", e.g. "core.exports_cleanup"
FIELDS = ("minute", "hour", "day", "month", "day_of_week")


@dataclass(frozen=True)
class PeriodicJob:
    """One registered job: a task with no arguments, run at the times `schedule` (crontab) names."""

    name: str  # stable key: the run history is kept under it
    task: Task
    schedule: str  # "*/5 * * * *"; six fields when the first is seconds ("*/10 * * * * *")
    title: StrOrPromise  # what the Scheduled jobs page calls it, translated

    def trigger(self) -> CronTrigger:
        return _trigger(self.schedule, str(timezone.get_default_timezone()))

    def next_run(self, now: datetime | None = None) -> datetime | None:
        return self.trigger().get_next_fire_time(None, now or timezone.now())

    def describe(self) -> str:
        return describe_schedule(self.schedule)


_JOBS: dict[str, PeriodicJob] = {}
_discovered = False


@functools.lru_cache(maxsize=256)
def _trigger(schedule: str, tz: str) -> CronTrigger:
    """The APScheduler trigger of a schedule. ValueError (with the reason) for one that is not valid."""
    values = schedule.split()
    if len(values) not in (5, 6):
        raise ValueError(f"{schedule!r}: a schedule has 5 fields (minute hour day month weekday), or 6")
    if any(ch.isdigit() for ch in values[-1]):
        # APScheduler 3 counts weekdays from Monday = 0, crontab from Sunday = 0: names avoid the mix-up.
        raise ValueError(f"{schedule!r}: name the weekdays (mon, tue, … sun, or mon-fri), not numbers")
    fields: dict[str, Any] = dict(zip(FIELDS, values[-5:], strict=True))
    if len(values) == 6:
        fields["second"] = values[0]
    else:
        fields["second"] = "0"
    return CronTrigger(timezone=tz, **fields)


def register_periodic(
    task: Task, schedule: str, *, name: str | None = None, title: StrOrPromise | None = None
) -> PeriodicJob:
    """Run `task` (a django-tasks task that takes no arguments) at the times `schedule` names.

    `name` (default: the task's module path) keys the run history: keep it when the code moves. Registering
    the same name again with the same task replaces it (a module imported twice); with another task it is
    an error, as are a schedule that is not valid and a task that needs arguments.
    """
    if not isinstance(task, Task):
        raise TypeError(f"{task!r} is not a django-tasks task: put @cron(...) above @task()")
    name = name or task.module_path
    if len(name) > 100 or not NAME_RE.match(name):
        raise ValueError(f"{name!r}: a periodic job's name looks like 'app.what' (lowercase, at most 100)")
    _trigger(schedule, "UTC")  # refuse a bad schedule at start-up, not when it is first due
    if task.takes_context or any(
        p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in inspect.signature(task.func).parameters.values()
    ):
        raise ValueError(f"{name}: a periodic task is called without arguments (and without a context)")
    existing = _JOBS.get(name)
    if existing is not None and existing.task.module_path != task.module_path:
        raise ValueError(f"{name}: already registered for {existing.task.module_path}")
    job = PeriodicJob(name=name, task=task, schedule=" ".join(schedule.split()), title=title or name)
    _JOBS[name] = job
    return job


def cron(
    schedule: str, *, name: str | None = None, title: StrOrPromise | None = None
) -> Callable[[Task], Task]:
    """Decorator form of register_periodic, above @task(): `@cron("0 3 * * *", name=..., title=...)`."""

    def decorate(task: Task) -> Task:
        register_periodic(task, schedule, name=name, title=title)
        return task

    return decorate


def unregister_periodic(name: str) -> None:
    """Forget a job (tests)."""
    _JOBS.pop(name, None)


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered job, by name. The first call imports each installed app's `tasks` module."""
    global _discovered
    if not _discovered:
        _discovered = True  # before the imports: a tasks module that reads the registry does not recurse
        try:
            autodiscover_modules("tasks")
        except BaseException:
            _discovered = False
            raise
    return [_JOBS[k] for k in sorted(_JOBS)]


def get_periodic_job(name: str) -> PeriodicJob | None:
    periodic_jobs()
    return _JOBS.get(name)


def due_slot(job: PeriodicJob, now: datetime, *, window: timedelta) -> datetime | None:
    """The scheduled time that a firing at `now` stands for: the latest one at or before `now`, within
    `window`. Every worker that fires for the same time finds the same value, whatever its delay."""
    trigger = job.trigger()
    slot = None
    t = trigger.get_next_fire_time(None, now - window)
    while t is not None and t <= now:
        slot = t
        t = trigger.get_next_fire_time(t, t + timedelta(seconds=1))
    return slot


_DAYS = {
    "Monday": "星期一",
    "Tuesday": "星期二",
    "Wednesday": "星期三",
    "Thursday": "星期四",
    "Friday": "星期五",
    "Saturday": "星期六",
    "Sunday": "星期日",
}
_MONTHS = {
    m: f"{i}月"
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        1,
    )
}


@functools.lru_cache(maxsize=512)
def _describe(schedule: str, chinese: bool) -> str:
    from cron_descriptor import ExpressionDescriptor, Options

    fields = schedule.split()
    daily = fields[-3:] == ["*", "*", "*"] and all(f.isdigit() for f in fields[:-3])  # "At 03:00" each day
    options = Options(locale_code="zh_CN" if chinese else "en_US", use_24hour_time_format=True, verbose=daily)
    text = ExpressionDescriptor(schedule, options).get_description()
    if chinese:  # cron-descriptor takes day and month names from the process's locale: English here
        for english, chinese_name in (_DAYS | _MONTHS).items():
            text = text.replace(english, chinese_name)
        text = text.replace(", ", "，")
        if daily:
            text = re.sub(r"^在 (.*)，每天$", r"每天 \1", text)
    return text


def describe_schedule(schedule: str) -> str:
    """The schedule in words, in the active language ("Every 5 minutes", "每 5 分钟")."""
    from django.utils import translation

    language = translation.get_language() or ""
    try:
        return _describe(schedule, language.startswith("zh"))
    except Exception:  # noqa: BLE001  (a description is a courtesy: never fail a page for it)
        return schedule

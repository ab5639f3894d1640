"""Reads of periodic jobs and workers: for administrators (Settings → Scheduled jobs, /api/v1/jobs) and for
`guanxi check` (the *_status functions, which take no actor: the operator's command line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import PeriodicRun, WorkerHeartbeat
from guanxi.core.periodic import PeriodicJob, get_periodic_job, periodic_jobs
from guanxi.core.roles import Action, grants_for

# A worker writes its heartbeat every 30 seconds; one silent for longer than this is taken as gone.
WORKER_ALIVE = timedelta(minutes=3)


@dataclass
class JobRow:
    job: PeriodicJob
    last_run: PeriodicRun | None
    next_run: datetime | None

    @property
    def pending(self) -> bool:
        return self.last_run is not None and self.last_run.pending


def _require_admin(actor) -> None:
    if actor is None or not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def job_status(*, now: datetime | None = None) -> list[JobRow]:
    """Every registered job with its latest run and its next scheduled time (two queries)."""
    now = now or timezone.now()
    jobs = periodic_jobs()
    names = [j.name for j in jobs]
    latest_ids = (
        PeriodicRun.objects.filter(name__in=names)
        .values("name")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    last = {
        r.name: r for r in PeriodicRun.objects.filter(pk__in=list(latest_ids)).select_related("requested_by")
    }
    return [JobRow(job=j, last_run=last.get(j.name), next_run=j.next_run(now)) for j in jobs]


def job_overview(*, actor, now: datetime | None = None) -> list[JobRow]:
    _require_admin(actor)
    return job_status(now=now)


def job_get(*, actor, name: str) -> JobRow:
    _require_admin(actor)
    job = get_periodic_job(name)
    if job is None:
        raise NotFoundError()
    last = PeriodicRun.objects.filter(name=name).select_related("requested_by").order_by("-id").first()
    return JobRow(job=job, last_run=last, next_run=job.next_run())


def run_list(*, actor, name: str | None = None) -> QuerySet[PeriodicRun]:
    """Runs, newest first (by id: paginate with ordering ["-id"]); of one job when `name` is given."""
    _require_admin(actor)
    qs = PeriodicRun.objects.select_related("requested_by").order_by("-id")
    return qs.filter(name=name) if name else qs


def worker_list(*, actor) -> QuerySet[WorkerHeartbeat]:
    _require_admin(actor)
    return WorkerHeartbeat.objects.order_by("-last_seen_at", "-id")


def worker_is_alive(worker: WorkerHeartbeat, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return worker.stopped_at is None and worker.last_seen_at >= now - WORKER_ALIVE


@dataclass
class WorkerHealth:
    alive: list[WorkerHeartbeat]
    last_seen: datetime | None  # of any worker, alive or not (None: no worker ever ran)

    @property
    def ok(self) -> bool:
        return bool(self.alive)

    @property
    def runs_tasks(self) -> bool:
        return any(w.runs_tasks for w in self.alive)

    @property
    def runs_scheduler(self) -> bool:
        return any(w.runs_scheduler for w in self.alive)


def worker_status(*, now: datetime | None = None) -> WorkerHealth:
    """Which workers have written a heartbeat within WORKER_ALIVE (for `guanxi check` and the page)."""
    now = now or timezone.now()
    recent = list(
        WorkerHeartbeat.objects.filter(last_seen_at__gte=now - WORKER_ALIVE, stopped_at=None).order_by(
            "hostname", "pid"
        )
    )
    last = WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))["last"]
    return WorkerHealth(alive=recent, last_seen=last)

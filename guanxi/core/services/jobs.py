"""Periodic jobs: fire a due job once across all workers, run it, run it now, keep the history short.

See docs/subsystems/jobs.md. The jobs themselves are registered by apps (guanxi.core.periodic); the
scheduler loop that calls `periodic_job_fire` is APScheduler's, in `guanxi worker` (guanxi.core.worker).
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import PeriodicRun, WorkerHeartbeat
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.jobs import STALE_AFTER, RunStatus, RunTrigger
from guanxi.core.periodic import PeriodicJob, due_slot, get_periodic_job
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record

logger = logging.getLogger(__name__)

# How late a firing may be and still count for its scheduled time (APScheduler's misfire grace is the same).
FIRE_WINDOW = timedelta(seconds=60)
KEEP_RUNS = timedelta(days=30)  # older runs are deleted, except each job's latest
KEEP_WORKERS = timedelta(days=7)  # workers not seen for this long leave the list
KEEP_TASK_RESULTS = timedelta(days=14)  # finished django-tasks results (the database backend's rows)
PENDING = (RunStatus.QUEUED, RunStatus.RUNNING)


def periodic_job_fire(
    *, job: PeriodicJob, now: datetime | None = None, worker: str = ""
) -> PeriodicRun | None:
    """`job` is due (the scheduler says so): claim its scheduled time and enqueue its task after commit.

    Returns the new run, or None when another worker already claimed that time (the unique constraint on
    scheduled runs refused the second row) or no scheduled time lies within FIRE_WINDOW before `now`.
    """
    now = now or timezone.now()
    slot = due_slot(job, now, window=FIRE_WINDOW)
    if slot is None:
        return None
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(
                name=job.name, trigger=RunTrigger.SCHEDULE, scheduled_for=slot, worker=worker[:100]
            )
            transaction.on_commit(lambda: _enqueue(job, run))
    except IntegrityError:
        return None
    return run


def _enqueue(job: PeriodicJob, run: PeriodicRun) -> None:
    """Queue the runner task on the job's own backend, queue and priority."""
    from guanxi.core.tasks import periodic_run_task

    t = job.task
    try:
        periodic_run_task.using(backend=t.backend, queue_name=t.queue_name, priority=t.priority).enqueue(
            run_id=run.pk
        )
    except Exception as exc:  # noqa: BLE001  (the backend is down: say so on the run, keep the scheduler alive)
        logger.exception("Could not enqueue periodic job %s", job.name)
        _finish(run.pk, RunStatus.FAILED, error=f"Could not be queued: {exc}")


def _finish(run_id: int, status: str, *, result: str = "", error: str = "") -> None:
    PeriodicRun.objects.filter(pk=run_id).update(
        status=status, finished_at=timezone.now(), result=result[:200], error=error[:4000]
    )


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def periodic_run_execute(*, run_id: int) -> PeriodicRun | None:
    """Run the job of a queued run (the runner task calls this) and record the outcome.

    The run is claimed first (queued -> running, one UPDATE): a task delivered twice, or a run already
    taken as interrupted, does nothing and returns None. A job that raises is recorded as failed with its
    traceback; the run is returned either way (its status says which).
    """
    claimed = PeriodicRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = PeriodicRun.objects.get(pk=run_id)
    job = get_periodic_job(run.name)
    if job is None:
        _finish(run_id, RunStatus.FAILED, error="This job is no longer registered.")
    else:
        try:
            value = job.task.call()
        except Exception:  # noqa: BLE001  (any failure of the job is its outcome, recorded on the run)
            logger.exception("Periodic job %s failed", run.name)
            _finish(run_id, RunStatus.FAILED, error=traceback.format_exc())
        else:
            _finish(run_id, RunStatus.SUCCEEDED, result=_as_text(value))
    run.refresh_from_db()
    return run


def _expire_stale(now: datetime, **filters) -> int:
    """Runs that never finished within STALE_AFTER (their worker stopped): failed, "interrupted"."""
    return PeriodicRun.objects.filter(status__in=PENDING, created_at__lt=now - STALE_AFTER, **filters).update(
        status=RunStatus.FAILED, finished_at=now, error="Interrupted: no outcome within an hour."
    )


def periodic_job_run_now(*, actor, name: str) -> PeriodicRun:
    """An administrator runs a job now, outside its schedule: one run, queued after commit, audited.

    While a run of the job is waiting or running, another one is refused (ConflictError): a double click
    queues it once. Unknown job: NotFoundError. Not an administrator: PermissionDeniedError.
    """
    if actor is None or not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()
    job = get_periodic_job(name)
    if job is None:
        raise NotFoundError(_("There is no scheduled job with this name."))
    now = timezone.now()
    busy = ConflictError(_("“%(job)s” is already waiting to run or running.") % {"job": job.title})
    _expire_stale(now, name=name)
    if PeriodicRun.objects.filter(name=name, status__in=PENDING).exists():
        raise busy
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(
                name=name, trigger=RunTrigger.MANUAL, scheduled_for=now, requested_by=actor, worker="web"
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                target=run,
                subject=actor,
                changes={"job": [None, name]},
            )
            transaction.on_commit(lambda: _enqueue(job, run))
    except IntegrityError as exc:  # a second click that got past the check at the same moment
        raise busy from exc
    return run


def worker_heartbeat(
    *, worker_id: str, hostname: str, pid: int, runs_tasks: bool, runs_scheduler: bool
) -> None:
    """A worker says it is alive (at start, then every 30 seconds)."""
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=now, stopped_at=None):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": hostname[:255],
                "pid": pid,
                "runs_tasks": runs_tasks,
                "runs_scheduler": runs_scheduler,
                "started_at": now,
                "last_seen_at": now,
                "stopped_at": None,
            },
        )


def worker_stopped(*, worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=now, stopped_at=now)


def job_history_prune(*, now: datetime | None = None) -> dict[str, int]:
    """Housekeeping (a periodic job itself): runs older than KEEP_RUNS but each job's latest, workers not
    seen for KEEP_WORKERS, finished task results older than KEEP_TASK_RESULTS; and runs that never
    finished are marked interrupted. Safe to run at any time."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    interrupted = _expire_stale(now)
    latest = PeriodicRun.objects.values("name").annotate(last=Max("id")).values_list("last", flat=True)
    runs = PeriodicRun.objects.filter(created_at__lt=now - KEEP_RUNS).exclude(pk__in=list(latest)).delete()[0]
    workers = WorkerHeartbeat.objects.filter(last_seen_at__lt=now - KEEP_WORKERS).delete()[0]
    results = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - KEEP_TASK_RESULTS,
    ).delete()[0]
    return {"interrupted": interrupted, "runs": runs, "workers": workers, "task_results": results}

"""/api/v1/jobs and /api/v1/workers (administrators): periodic jobs, their runs, "run now", the workers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.models import PeriodicRun, WorkerHeartbeat
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors import jobs as sel
from guanxi.core.selectors.jobs import JobRow
from guanxi.core.services import jobs as svc

router = Router(tags=["jobs"])
JobName = Annotated[str, Field(min_length=1, max_length=100)]


class RunOut(Schema):
    id: int
    job: str = Field(description="The job's name")
    trigger: str = Field(description="schedule, or manual (run now)")
    status: str = Field(description="queued, running, succeeded or failed")
    scheduled_for: datetime
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    requested_by: str | None = Field(description="Who ran it now (username); null for the schedule")
    result: str = Field(description="What the job returned, shortened")
    error: str = Field(description="The error (a traceback) when it failed")


class JobOut(Schema):
    name: str
    title: str
    schedule: str = Field(description="Crontab: minute hour day month weekday (6 fields: seconds first)")
    schedule_text: str = Field(description="The schedule in words, in the request's language")
    next_run_at: datetime | None
    last_run: RunOut | None


class RunPage(Schema):
    items: list[RunOut]
    next_cursor: str | None
    prev_cursor: str | None


class RunQuery(Schema):
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class WorkerOut(Schema):
    worker_id: str
    hostname: str
    pid: int
    runs_tasks: bool
    runs_scheduler: bool
    started_at: datetime
    last_seen_at: datetime
    stopped_at: datetime | None
    alive: bool = Field(description="Seen within the last few minutes and not stopped")


def run_out(run: PeriodicRun) -> dict:
    return {
        "id": run.pk,
        "job": run.name,
        "trigger": run.trigger,
        "status": run.status,
        "scheduled_for": run.scheduled_for,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "requested_by": run.requested_by.username if run.requested_by else None,
        "result": run.result,
        "error": run.error,
    }


def job_out(row: JobRow) -> dict:
    return {
        "name": row.job.name,
        "title": str(row.job.title),
        "schedule": row.job.schedule,
        "schedule_text": row.job.describe(),
        "next_run_at": row.next_run,
        "last_run": run_out(row.last_run) if row.last_run else None,
    }


@router.get("/jobs", response={200: list[JobOut], **responses(*STD)})
def jobs_list(request):
    return [job_out(row) for row in sel.job_overview(actor=request.user)]


@router.get("/jobs/{name}", response={200: JobOut, **responses(*STD)})
def jobs_get(request, name: JobName):
    return job_out(sel.job_get(actor=request.user, name=name))


@router.get("/jobs/{name}/runs", response={200: RunPage, **responses(*STD)})
def jobs_runs_list(request, name: JobName, query: Query[RunQuery]):
    sel.job_get(actor=request.user, name=name)  # 404 for a job that is not registered
    page = keyset_page(
        sel.run_list(actor=request.user, name=name), ordering=["-id"], cursor=query.cursor, limit=query.limit
    )
    return {
        "items": [run_out(r) for r in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/jobs/{name}/runs", response={202: RunOut, **responses(*STD, 409)})
def jobs_run_now(request, name: JobName):
    """Run the job now, once, outside its schedule (queued for a worker; 409 while a run of it is pending)."""
    run = svc.periodic_job_run_now(actor=request.user, name=name)
    run.refresh_from_db()
    return Status(202, run_out(run))


@router.get("/workers", response={200: list[WorkerOut], **responses(*STD)})
def workers_list(request):
    now = timezone.now()
    workers: list[WorkerHeartbeat] = list(sel.worker_list(actor=request.user)[:200])
    return [
        {
            "worker_id": w.worker_id,
            "hostname": w.hostname,
            "pid": w.pid,
            "runs_tasks": w.runs_tasks,
            "runs_scheduler": w.runs_scheduler,
            "started_at": w.started_at,
            "last_seen_at": w.last_seen_at,
            "stopped_at": w.stopped_at,
            "alive": sel.worker_is_alive(w, now),
        }
        for w in workers
    ]

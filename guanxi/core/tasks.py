"""Background tasks of core (django-tasks; `guanxi worker` runs them). Each is idempotent and calls a service."""

from __future__ import annotations

from django_tasks import task

from guanxi.core.services.approval_delegations import approval_delegations_expire
from guanxi.core.services.exports import export_run


@task()
def export_run_task(job_id: int) -> str | None:
    """Write an export's file (see guanxi.core.services.exports.export_run); returns the job's status."""
    job = export_run(job_id=job_id)
    return job.status if job else None


@task()
def approval_delegations_expire_task() -> dict[str, int]:
    """Mark approval delegations whose end date passed as expired (daily; the scheduled-jobs block runs it).
    Idempotent: see guanxi.core.services.approval_delegations.approval_delegations_expire."""
    return {"expired": approval_delegations_expire()}

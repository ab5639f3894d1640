"""Background tasks of core (django-tasks; `guanxi worker` runs them). Each is idempotent and calls a service.

The periodic ones (@cron, guanxi.core.periodic) are also queued by the worker's scheduler when due; see
docs/subsystems/jobs.md. Each of them is safe to run twice and at any time.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from guanxi.core.models.jobs import RunStatus
from guanxi.core.periodic import cron
from guanxi.core.services.approval_delegations import approval_delegations_expire
from guanxi.core.services.exports import export_cleanup, export_run
from guanxi.core.services.idempotency import idempotency_keys_purge
from guanxi.core.services.jobs import job_history_prune, periodic_run_execute


@task()
def export_run_task(job_id: int) -> str | None:
    """Write an export's file (see guanxi.core.services.exports.export_run); returns the job's status."""
    job = export_run(job_id=job_id)
    return job.status if job else None


@task()
def periodic_run_task(run_id: int) -> str | None:
    """Run one periodic run (queued by the scheduler or by "run now"); returns its status. A job that failed
    makes this task fail too, so the task backend's own record agrees with the run's."""
    run = periodic_run_execute(run_id=run_id)
    if run is None:
        return None  # claimed before (a duplicate delivery): nothing to do
    if run.status == RunStatus.FAILED:
        raise RuntimeError(f"Periodic job {run.name} failed (run {run.pk})")
    return run.status


@cron("5 * * * *", name="core.purge_idempotency_keys", title=_("Delete expired API Idempotency-Keys"))
@task()
def purge_idempotency_keys_task() -> dict[str, int]:
    return {"deleted": idempotency_keys_purge()}


@cron("20 * * * *", name="core.exports_cleanup", title=_("Delete expired export files"))
@task()
def exports_cleanup_task() -> dict[str, int]:
    jobs, files = export_cleanup()
    return {"jobs": jobs, "files": files}


@cron("40 3 * * *", name="core.prune_job_history", title=_("Prune old job runs and task results"))
@task()
def prune_job_history_task() -> dict[str, int]:
    return job_history_prune()


@task()
def delivery_send_task(delivery_id: int) -> str | None:
    """One attempt at an e-mail or a messenger post (guanxi.core.services.deliveries.delivery_attempt);
    a failed attempt queues the next one itself. Returns the delivery's status."""
    from guanxi.core.services.deliveries import delivery_attempt

    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None


@cron(
    "*/10 * * * *",
    name="core.deliveries_retry_due",
    title=_("Send the e-mails and messenger posts still due"),
)
@task()
def deliveries_retry_due_task() -> dict[str, int]:
    """Deliveries left pending (a worker stopped between attempts) are queued again."""
    from guanxi.core.services.deliveries import deliveries_retry_due

    return {"queued": deliveries_retry_due()}


@cron(
    "50 3 * * *",
    name="core.notifications_cleanup",
    title=_("Delete old read notifications and messenger posts"),
)
@task()
def notifications_cleanup_task() -> dict[str, int]:
    from guanxi.core.services.deliveries import notifications_cleanup

    notifications, posts = notifications_cleanup()
    return {"notifications": notifications, "posts": posts}


@cron(
    "10 0 * * *", name="core.approval_delegations_expire", title=_("End approval delegations past their date")
)
@task()
def approval_delegations_expire_task() -> dict[str, int]:
    """Mark approval delegations whose end date passed as expired (daily; the scheduled-jobs block runs it).
    Idempotent: see guanxi.core.services.approval_delegations.approval_delegations_expire."""
    return {"expired": approval_delegations_expire()}

"""Background tasks of core (django-tasks; `guanxi worker` runs them). Each is idempotent and calls a service."""

from __future__ import annotations

from django_tasks import task

from guanxi.core.services.exports import export_run


@task()
def export_run_task(job_id: int) -> str | None:
    """Write an export's file (see guanxi.core.services.exports.export_run); returns the job's status."""
    job = export_run(job_id=job_id)
    return job.status if job else None


@task()
def delivery_send_task(delivery_id: int) -> str | None:
    """One attempt at an e-mail or a messenger post (guanxi.core.services.deliveries.delivery_attempt);
    a failed attempt queues the next one itself. Returns the delivery's status."""
    from guanxi.core.services.deliveries import delivery_attempt

    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None

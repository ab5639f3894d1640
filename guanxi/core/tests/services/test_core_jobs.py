"""Core's own periodic jobs do their work when the scheduler (or run now) runs them: expired API
Idempotency-Keys and export files go, job history is pruned; the management commands still work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guanxi.core.models import ExportJob, IdempotencyRecord, PeriodicRun
from guanxi.core.periodic import get_periodic_job
from guanxi.core.services.exports import export_request, export_run
from guanxi.core.services.jobs import periodic_job_fire
from guanxi.core.tests.exports_support import export_dir, sample_exporter  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_dir", "sample_exporter")]


def fire(name: str, django_capture_on_commit_callbacks) -> PeriodicRun:
    """What a worker does when the job is due: claim its time, run it (the tests' backend runs at once)."""
    job = get_periodic_job(name)
    due = job.next_run()
    with django_capture_on_commit_callbacks(execute=True):
        run = periodic_job_fire(job=job, now=due)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run


def test_purge_idempotency_keys_job(admin_user, settings, django_capture_on_commit_callbacks):
    settings.IDEMPOTENCY_KEY_HOURS = 2
    old = IdempotencyRecord.objects.create(user=admin_user, key="old", fingerprint="x")
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    IdempotencyRecord.objects.create(user=admin_user, key="new", fingerprint="y")
    run = fire("core.purge_idempotency_keys", django_capture_on_commit_callbacks)
    assert run.result == '{"deleted": 1}'
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_exports_cleanup_job(admin_user, django_capture_on_commit_callbacks):
    expired = export_run(job_id=export_request(actor=admin_user, what="samples", fmt="csv").pk)
    ExportJob.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    fresh = export_run(job_id=export_request(actor=admin_user, what="samples", fmt="csv").pk)
    run = fire("core.exports_cleanup", django_capture_on_commit_callbacks)
    assert run.result == '{"jobs": 1, "files": 1}'
    assert list(ExportJob.objects.all()) == [fresh]


def test_prune_job_history_job(django_capture_on_commit_callbacks):
    for _ in range(2):
        old = PeriodicRun.objects.create(
            name="core.exports_cleanup", scheduled_for=timezone.now(), status="succeeded"
        )
        PeriodicRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    latest = PeriodicRun.objects.create(name="core.exports_cleanup", scheduled_for=timezone.now())
    run = fire("core.prune_job_history", django_capture_on_commit_callbacks)
    assert run.result == '{"interrupted": 0, "runs": 2, "workers": 0, "task_results": 0}'
    assert set(PeriodicRun.objects.values_list("pk", flat=True)) == {latest.pk, run.pk}

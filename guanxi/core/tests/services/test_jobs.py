"""Periodic jobs as services: fire once per scheduled time, run and record the outcome, run now, prune."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry, PeriodicRun, WorkerHeartbeat
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.services import jobs as svc
from guanxi.core.tasks import periodic_run_task
from guanxi.core.tests.jobs_support import at, calls

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_worker(settings):
    """Tasks wait in the queue (nobody runs them) until the test says."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_due_job_is_claimed_then_run_after_commit(tick_job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = svc.periodic_job_fire(job=tick_job, now=at("2026-03-01 08:05:00.300"), worker="w1")
        assert calls == []  # nothing runs inside the transaction that claims the time
    assert len(callbacks) == 1 and calls == ["tick"]
    run.refresh_from_db()
    assert (run.name, run.trigger, run.scheduled_for, run.worker) == (
        "tests.tick",
        "schedule",
        at("2026-03-01 08:05:00"),
        "w1",
    )
    assert (run.status, run.result, run.error) == ("succeeded", "tick", "")
    assert run.started_at <= run.finished_at


def test_the_same_time_is_claimed_once(tick_job, django_capture_on_commit_callbacks):
    """A second worker that fires for the same scheduled time (even a little later) enqueues nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        first = svc.periodic_job_fire(job=tick_job, now=at("2026-03-01 08:05:00.010"), worker="w1")
        second = svc.periodic_job_fire(job=tick_job, now=at("2026-03-01 08:05:01.500"), worker="w2")
        later = svc.periodic_job_fire(job=tick_job, now=at("2026-03-01 08:10:00.100"), worker="w2")
    assert first is not None and second is None and later is not None
    assert calls == ["tick", "tick"]
    assert list(PeriodicRun.objects.order_by("scheduled_for").values_list("scheduled_for", "worker")) == [
        (at("2026-03-01 08:05:00"), "w1"),
        (at("2026-03-01 08:10:00"), "w2"),
    ]


def test_nothing_is_claimed_when_no_time_is_due(tick_job):
    assert svc.periodic_job_fire(job=tick_job, now=at("2026-03-01 08:07:30")) is None
    assert not PeriodicRun.objects.exists()


def test_a_run_delivered_twice_runs_the_job_once(tick_job, no_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = svc.periodic_job_fire(job=tick_job, now=at("2026-03-01 08:05:00"))
    assert calls == [] and run.status == "queued"  # queued for a worker
    assert periodic_run_task.call(run_id=run.pk) == "succeeded"
    assert periodic_run_task.call(run_id=run.pk) is None  # the same task again: already claimed
    assert calls == ["tick"]


def test_a_failing_job_is_recorded_with_its_error(failing_job, no_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = svc.periodic_job_fire(job=failing_job, now=failing_job.next_run(at("2026-03-01 00:00:00")))
    with pytest.raises(RuntimeError, match="tests.failing failed"):  # the task backend records it too
        periodic_run_task.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at is not None
    assert "Traceback" in run.error and run.error_summary == "ValueError: the mail server said no"


def test_a_run_of_a_job_no_longer_registered_fails_clearly(no_worker):
    run = PeriodicRun.objects.create(name="gone.job", scheduled_for=timezone.now())
    run = svc.periodic_run_execute(run_id=run.pk)
    assert run.status == "failed" and run.error == "This job is no longer registered."


def test_a_backend_that_cannot_queue_marks_the_run_failed(
    tick_job, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks.backends.dummy import DummyBackend

    def refuse(self, task, args, kwargs):
        raise ConnectionError("queue unreachable")

    DummyBackend.enqueue, original = refuse, DummyBackend.enqueue
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = svc.periodic_job_fire(job=tick_job, now=at("2026-03-01 08:05:00"))
    finally:
        DummyBackend.enqueue = original
    run.refresh_from_db()
    assert run.status == "failed" and run.error == "Could not be queued: queue unreachable"


# Run now ----------------------------------------------------------------------------------------------


def test_run_now_runs_once_and_is_audited(admin_user, tick_job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = svc.periodic_job_run_now(actor=admin_user, name="tests.tick")
    run.refresh_from_db()
    assert (run.trigger, run.requested_by, run.status) == ("manual", admin_user, "succeeded")
    assert calls == ["tick"]
    entry = AuditEntry.objects.get(target_type="core.periodicrun", target_id=str(run.pk))
    assert (entry.actor, entry.action, entry.changes) == (admin_user, "create", {"job": [None, "tests.tick"]})
    # Done: it may be run again.
    with django_capture_on_commit_callbacks(execute=True):
        svc.periodic_job_run_now(actor=admin_user, name="tests.tick")
    assert calls == ["tick", "tick"]


def test_run_now_twice_while_waiting_queues_it_once(admin_user, tick_job, no_worker):
    run = svc.periodic_job_run_now(actor=admin_user, name="tests.tick")
    with pytest.raises(ConflictError, match="“Tick” is already waiting to run or running."):
        svc.periodic_job_run_now(actor=admin_user, name="tests.tick")
    assert list(PeriodicRun.objects.values_list("pk", flat=True)) == [run.pk]
    # A run that never finished within the hour (its worker was stopped) no longer blocks it.
    assert run.pending
    PeriodicRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert not PeriodicRun.objects.get(pk=run.pk).pending  # the page offers Run now again
    again = svc.periodic_job_run_now(actor=admin_user, name="tests.tick")
    run.refresh_from_db()
    assert run.status == "failed" and run.error.startswith("Interrupted")
    assert again.status == "queued"


def test_two_pending_manual_runs_cannot_exist(admin_user, tick_job):
    """The database refuses what the check before the insert might miss (two clicks at the same moment)."""
    from django.db import IntegrityError, transaction

    PeriodicRun.objects.create(name="tests.tick", trigger="manual", scheduled_for=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicRun.objects.create(name="tests.tick", trigger="manual", scheduled_for=timezone.now())


def test_run_now_is_for_administrators(make_user, team, tick_job):
    manager = make_user("manager", roles=[SALES_MANAGER], manager_of=[team])
    with pytest.raises(PermissionDeniedError):
        svc.periodic_job_run_now(actor=manager, name="tests.tick")
    with pytest.raises(PermissionDeniedError):
        svc.periodic_job_run_now(actor=None, name="tests.tick")
    assert not PeriodicRun.objects.exists() and calls == []


def test_run_now_of_an_unknown_job(admin_user):
    with pytest.raises(NotFoundError):
        svc.periodic_job_run_now(actor=admin_user, name="no.such_job")


# Heartbeats and housekeeping ---------------------------------------------------------------------------


def test_heartbeat_and_stop():
    svc.worker_heartbeat(worker_id="w-1", hostname="app1", pid=42, runs_tasks=True, runs_scheduler=False)
    first = WorkerHeartbeat.objects.get()
    svc.worker_heartbeat(worker_id="w-1", hostname="app1", pid=42, runs_tasks=True, runs_scheduler=False)
    w = WorkerHeartbeat.objects.get()
    assert (w.hostname, w.pid, w.runs_tasks, w.runs_scheduler) == ("app1", 42, True, False)
    assert w.started_at == first.started_at and w.last_seen_at >= first.last_seen_at and w.stopped_at is None
    svc.worker_stopped(worker_id="w-1")
    assert WorkerHeartbeat.objects.get().stopped_at is not None


def test_prune_keeps_recent_history_and_each_jobs_latest_run():
    now = timezone.now()
    old = now - timedelta(days=40)

    def run(name, created, status="succeeded"):
        r = PeriodicRun.objects.create(name=name, scheduled_for=created, status=status)
        PeriodicRun.objects.filter(pk=r.pk).update(created_at=created)
        return r.pk

    run("core.a", old)  # old, and not the latest of core.a: deleted
    kept_latest = run("core.monthly", old)  # old, but the latest run of its job: kept
    kept_recent = run("core.a", now - timedelta(days=1))
    stuck = run("core.b", now - timedelta(hours=3), status="running")
    WorkerHeartbeat.objects.create(
        worker_id="gone", hostname="h", pid=1, last_seen_at=now - timedelta(days=8)
    )
    WorkerHeartbeat.objects.create(worker_id="here", hostname="h", pid=2, last_seen_at=now)
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="guanxi.core.tasks.prune_job_history_task",
        backend_name="default",
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=now - timedelta(days=20),
    )
    assert svc.job_history_prune(now=now) == {"interrupted": 1, "runs": 1, "workers": 1, "task_results": 1}
    assert set(PeriodicRun.objects.values_list("pk", flat=True)) == {kept_recent, kept_latest, stuck}
    assert PeriodicRun.objects.get(pk=stuck).status == "failed"
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["here"]
    assert not DBTaskResult.objects.filter(pk=result.pk).exists()

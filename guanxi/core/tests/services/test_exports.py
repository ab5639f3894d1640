"""Export jobs: asked for, run (as a service and as a task), progress, failures, idempotency, cleanup."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.exports import export_storage
from guanxi.core.models import AuditEntry, ExportJob
from guanxi.core.services import exports as svc
from guanxi.core.tasks import export_run_task
from guanxi.core.tests.exports_support import (  # noqa: F401  (fixtures)
    export_dir,
    read_csv,
    read_xlsx,
    sample_exporter,
    stored_files,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_dir", "sample_exporter")]


def ask(user, n=3, fmt="csv", **params) -> ExportJob:
    return svc.export_request(actor=user, what="samples", fmt=fmt, params={"n": n, **params})


def file_of(job: ExportJob) -> bytes:
    with export_storage().open(job.file_name, "rb") as f:
        return f.read()


def test_request_queues_a_job_and_audits_it(make_user):
    olga = make_user("olga")
    job = ask(olga, n=5)
    assert (job.status, job.user, job.what, job.parameters, job.format) == (
        "queued",
        olga,
        "samples",
        {"n": 5},
        "csv",
    )
    assert job.language == "en"
    entry = AuditEntry.objects.get(target_type="core.exportjob", target_id=str(job.pk))
    assert entry.actor == olga
    assert entry.changes == {"what": [None, "Samples of 5"], "format": [None, "csv"]}


def test_the_job_runs_when_the_request_commits(make_user, django_capture_on_commit_callbacks):
    olga = make_user("olga")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = ask(olga, n=4)
        assert ExportJob.objects.get(pk=job.pk).status == "queued"  # nothing runs inside the transaction
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.row_count, job.progress_done, job.progress_total) == ("done", 4, 4, 4)
    assert job.finished_at and job.expires_at == job.finished_at + timedelta(days=7)
    assert read_csv(file_of(job)) == [
        ["N", "Name"],
        ["1", "olga 1"],
        ["2", "olga 2"],
        ["3", "olga 3"],
        ["4", "olga 4"],
    ]
    assert job.file_size == len(file_of(job))
    assert job.file_name.startswith(f"{olga.pk}/")


def test_run_as_a_service_writes_xlsx(make_user):
    job = ask(make_user("olga"), n=2, fmt="xlsx")
    job = svc.export_run(job_id=job.pk)
    assert job.status == "done"
    title, rows = read_xlsx(file_of(job))
    assert title == "Samples of 2"
    assert [[c.value for c in r] for r in rows] == [["N", "Name"], [1, "olga 1"], [2, "olga 2"]]


def test_run_as_a_task(make_user):
    job = ask(make_user("olga"), n=2)
    result = export_run_task.enqueue(job_id=job.pk)  # the test settings' immediate backend runs it now
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "done"
    assert ExportJob.objects.get(pk=job.pk).row_count == 2


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_run_by_the_database_worker(settings, make_user):
    """What `guanxi worker` does: the request stores the task, then a worker picks it up and runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = ask(make_user("olga"), n=2)  # committed: the task is enqueued
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == ("guanxi.core.tasks.export_run_task", TaskResultStatus.READY)
    assert ExportJob.objects.get(pk=job.pk).status == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert ExportJob.objects.get(pk=job.pk).status == "done"


def test_progress_is_written_every_n_rows_not_every_row(make_user, monkeypatch):
    monkeypatch.setattr(svc, "PROGRESS_EVERY", 10)
    seen = []
    real = svc._progress
    monkeypatch.setattr(
        svc, "_progress", lambda job, done, total=None: (seen.append((done, total)), real(job, done, total))
    )
    job = ask(make_user("olga"), n=35)
    svc.export_run(job_id=job.pk)
    assert seen == [(0, 35), (10, None), (20, None), (30, None)]


def test_running_twice_does_not_write_twice(make_user):
    job = ask(make_user("olga"))
    first = svc.export_run(job_id=job.pk)
    second = svc.export_run(job_id=job.pk)
    assert second.file_name == first.file_name and second.finished_at == first.finished_at
    assert stored_files() == [first.file_name]


def test_a_running_job_is_left_alone_unless_its_worker_died(make_user):
    job = ask(make_user("olga"))
    ExportJob.objects.filter(pk=job.pk).update(status="running", updated_at=timezone.now())
    assert svc.export_run(job_id=job.pk).status == "running"  # another worker has it
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=11))
    assert svc.export_run(job_id=job.pk).status == "done"  # no progress for 11 minutes: taken over


def test_a_missing_job_is_nothing_to_do(db):
    assert svc.export_run(job_id=987654) is None


@pytest.mark.parametrize(("what", "fmt"), [("nothing", "csv"), ("samples", "pdf"), ("samples", "CSV")])
def test_unknown_exporter_or_format_is_not_found(make_user, what, fmt):
    with pytest.raises(NotFoundError):
        svc.export_request(actor=make_user("olga"), what=what, fmt=fmt)
    assert not ExportJob.objects.exists()


def test_a_user_who_may_not_export_gets_no_job(make_user):
    with pytest.raises(PermissionDeniedError):
        ask(make_user("blocked-bob"))
    assert not ExportJob.objects.exists()


def test_bad_parameters_are_refused_when_asked(make_user):
    with pytest.raises(ValidationError):
        ask(make_user("olga"), n=-1)
    assert not ExportJob.objects.exists()


def test_a_user_who_lost_the_right_before_the_run_gets_a_failed_job(make_user):
    olga = make_user("olga")
    job = ask(olga)
    olga.username = "blocked-olga"
    olga.save()
    job = svc.export_run(job_id=job.pk)
    assert (job.status, job.file_name) == ("failed", "")
    assert job.error_message == "You do not have permission to do this."


def test_a_refusal_inside_the_exporter_fails_the_job_with_its_message(make_user):
    job = svc.export_run(job_id=ask(make_user("olga"), deny=True).pk)
    assert (job.status, job.error_message) == ("failed", "You do not have permission to do this.")
    assert stored_files() == []


def test_a_crash_fails_the_job_and_reaches_the_task_result(make_user):
    job = ask(make_user("olga"), crash=True)
    result = export_run_task.enqueue(job_id=job.pk)
    assert result.status == TaskResultStatus.FAILED  # the traceback is kept with the task result
    job.refresh_from_db()
    assert job.status == "failed"
    assert "Try again" in job.error_message and "fire" not in job.error_message  # no internals shown


def test_the_job_is_written_in_the_language_it_was_asked_in(make_user):
    job = svc.export_request(actor=make_user("olga"), what="samples", fmt="csv", language="zh-hans")
    assert job.language == "zh-hans"
    job = svc.export_run(job_id=job.pk)  # the worker runs in English: the job says which language
    assert read_csv(file_of(job))[0] == ["N", "名称"]


def test_mark_seen_only_for_the_owner(make_user):
    olga, ivy = make_user("olga"), make_user("ivy")
    job = svc.export_run(job_id=ask(olga).pk)
    with pytest.raises(NotFoundError):
        svc.export_mark_seen(actor=ivy, job=job)
    svc.export_mark_seen(actor=olga, job=job)
    assert ExportJob.objects.get(pk=job.pk).seen_at is not None


def test_cleanup_deletes_expired_files_and_jobs(make_user):
    olga = make_user("olga")
    old = svc.export_run(job_id=ask(olga).pk)
    fresh = svc.export_run(job_id=ask(olga).pk)
    never_ran = ask(olga)
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    ExportJob.objects.filter(pk=never_ran.pk).update(created_at=timezone.now() - timedelta(days=8))
    stray = export_storage().save(f"{olga.pk}/stray.csv", ContentFile(b"x"))
    later = timezone.now() + timedelta(minutes=11)  # the stray file is old enough to be no job's
    assert svc.export_cleanup(now=later) == (2, 2)
    assert list(ExportJob.objects.all()) == [fresh]
    assert not export_storage().exists(old.file_name) and not export_storage().exists(stray)
    assert export_storage().exists(fresh.file_name)


def test_cleanup_command(make_user, capsys):
    job = svc.export_run(job_id=ask(make_user("olga")).pk)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    call_command("exports_cleanup")
    assert "Deleted 1 expired export jobs and 1 files." in capsys.readouterr().out
    assert not ExportJob.objects.exists()

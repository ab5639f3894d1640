"""Background exports: ask for one, run it (the task calls export_run), mark it seen, clean up old files.

See docs/subsystems/exports.md. The rows come from an exporter that an app registered
(guanxi.core.exports); this module never knows which app it is.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanxi.core.exceptions import GuanxiError, NotFoundError, PermissionDeniedError
from guanxi.core.export_formats import WRITERS
from guanxi.core.exports import export_storage, get_exporter
from guanxi.core.models import ExportJob
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.exports import ExportFormat, ExportStatus
from guanxi.core.services.audit import audit_record

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1000  # rows between two progress updates (one UPDATE each)
# A running job whose progress has not moved for this long is taken as dead (its worker was killed):
# running the task again (a retry, or a second enqueue) starts it over.
STALE_AFTER = timedelta(minutes=10)


def export_keep() -> timedelta:
    return timedelta(days=settings.EXPORTS_KEEP_DAYS)


def export_request(
    *, actor, what: str, fmt: str, params: dict | None = None, language: str = ""
) -> ExportJob:
    """Queue an export of `what` (a registered exporter) as `fmt`, for `actor`; the file is written later.

    Unknown exporter or format: NotFoundError. No right to export it: PermissionDeniedError. Bad
    parameters: ValidationError (from the exporter's clean). The task is enqueued once the job is saved.
    """
    exporter = get_exporter(what)
    if exporter is None or fmt not in ExportFormat.values:
        raise NotFoundError()
    if not exporter.allowed(actor):
        raise PermissionDeniedError()
    params = dict(params or {})
    if exporter.clean:
        params = exporter.clean(params)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=actor, what=what, parameters=params, format=fmt, language=language
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=job,
            subject=actor,
            changes={"what": [None, exporter.title_for(params)], "format": [None, fmt]},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from guanxi.core.tasks import export_run_task

    export_run_task.enqueue(job_id=job_id)


def _claim(job_id: int) -> ExportJob | None:
    """Take the job for this run: queued, or running with no progress for STALE_AFTER. None otherwise.

    One conditional UPDATE, so two workers given the same job cannot both run it.
    """
    now = timezone.now()
    taken = (
        ExportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, updated_at__lt=now - STALE_AFTER)
        )
        .update(status=ExportStatus.RUNNING, started_at=now, updated_at=now, progress_done=0)
    )
    return ExportJob.objects.select_related("user").get(pk=job_id) if taken else None


def _progress(job: ExportJob, done: int, total: int | None = None) -> None:
    fields = {"progress_done": done, "updated_at": timezone.now()}
    if total is not None:
        fields["progress_total"] = total
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(**fields)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc.message) if isinstance(exc, GuanxiError) else str(exc)


def export_run(*, job_id: int) -> ExportJob | None:
    """Write the job's file. Idempotent: a job that is done, failed or running elsewhere is left alone.

    The rows are read as the user who asked (only what they may see now), in the language of their
    request, and written row by row to a temporary file, then saved to the exports storage.
    """
    job = _claim(job_id)
    if job is None:
        return ExportJob.objects.filter(pk=job_id).first()
    saved = ""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            exporter = get_exporter(job.what)
            if exporter is None:
                raise GuanxiError(_("This kind of export is no longer available."))
            if not job.user.is_active or not exporter.allowed(job.user):
                raise PermissionDeniedError()
            data = exporter.rows(actor=job.user, params=job.parameters)
            _progress(job, 0, data.total)
            with tempfile.TemporaryFile() as tmp:
                rows = WRITERS[job.format](
                    tmp,
                    data,
                    title=exporter.title_for(job.parameters),
                    progress=lambda n: _progress(job, n),
                    every=PROGRESS_EVERY,
                )
                size = tmp.tell()
                tmp.seek(0)
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
                saved = export_storage().save(f"{job.user_id}/{job.pk}-{stamp}.{job.format}", File(tmp))
            now = timezone.now()
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.DONE,
                progress_done=rows,
                progress_total=rows,
                row_count=rows,
                file_name=saved,
                file_size=size,
                error_message="",
                updated_at=now,
                finished_at=now,
                expires_at=now + export_keep(),
            )
        except (GuanxiError, ValidationError) as exc:
            _fail(job, _message(exc), saved)
        except Exception:
            _fail(
                job,
                _("The export failed. Try again, or ask an administrator to look at the server log."),
                saved,
            )
            logger.exception("Export job %s failed", job.pk)
            raise
    job.refresh_from_db()
    return job


def _fail(job: ExportJob, message: str, saved: str) -> None:
    if saved:
        export_storage().delete(saved)
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED,
        error_message=message,
        file_name="",
        updated_at=now,
        finished_at=now,
        expires_at=now + export_keep(),
    )


def export_mark_seen(*, actor, job: ExportJob) -> None:
    """The user saw the finished job (its page, its download or the notice's dismiss): no more notice."""
    if job.user_id != actor.pk:
        raise NotFoundError()
    if job.seen_at is None and job.finished:
        job.seen_at = timezone.now()
        ExportJob.objects.filter(pk=job.pk, seen_at=None).update(seen_at=job.seen_at)


def export_cleanup(*, now=None) -> tuple[int, int]:
    """Delete expired jobs and their files, jobs that never ran within the keep time, and stray files.

    Returns (jobs deleted, files deleted). Run by `guanxi manage exports_cleanup` (a scheduled job).
    """
    now = now or timezone.now()
    storage = export_storage()
    old = ExportJob.objects.filter(
        Q(expires_at__lte=now) | Q(expires_at=None, created_at__lte=now - export_keep())
    )
    files = jobs = 0
    for pk, file_name in list(old.values_list("pk", "file_name")):
        if file_name and storage.exists(file_name):
            storage.delete(file_name)
            files += 1
        jobs += ExportJob.objects.filter(pk=pk).delete()[0]
    files += _delete_stray_files(storage, now)
    return jobs, files


def _delete_stray_files(storage: Storage, now) -> int:
    """Files no job points to (a worker killed between writing the file and saving the job)."""
    known = set(ExportJob.objects.exclude(file_name="").values_list("file_name", flat=True))
    deleted = 0
    try:
        folders, _files = storage.listdir("")
    except (FileNotFoundError, NotImplementedError):
        return 0
    for folder in folders:
        for name in storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            if path in known:
                continue
            try:
                modified = storage.get_modified_time(path)
            except NotImplementedError:
                continue
            if modified <= now - STALE_AFTER:
                storage.delete(path)
                deleted += 1
    return deleted

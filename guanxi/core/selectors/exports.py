"""Reads of export jobs: a user sees and downloads only their own (404 for anyone else's)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files import File
from django.db.models import Q, QuerySet
from django.utils import timezone

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.exports import export_storage, get_exporter
from guanxi.core.models import ExportJob
from guanxi.core.models.exports import ExportStatus

NOTICE_WINDOW = timedelta(days=1)  # a finished export older than this no longer shows in the top bar


def export_list(*, actor) -> QuerySet[ExportJob]:
    """The actor's exports, newest first (one query; nothing related is shown)."""
    return ExportJob.objects.filter(user=actor).order_by("-created_at", "-id")


def export_get(*, actor, pk) -> ExportJob:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    job = ExportJob.objects.filter(pk=pk, user=actor).first() if actor.is_authenticated else None
    if job is None:
        raise NotFoundError()
    return job


def export_notices(*, actor) -> list[ExportJob]:
    """What the top bar tells the actor about: exports still running, and finished ones not yet seen."""
    since = timezone.now() - NOTICE_WINDOW
    return list(
        ExportJob.objects.filter(user=actor, created_at__gte=since)
        .filter(Q(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]) | Q(seen_at=None))
        .order_by("-created_at", "-id")[:3]
    )


def export_file(*, actor, pk) -> tuple[ExportJob, File]:
    """The actor's finished, unexpired export and its open file. NotFoundError for anything else."""
    job = export_get(actor=actor, pk=pk)
    if job.status != ExportStatus.DONE or job.expired or not job.file_name:
        raise NotFoundError()
    exporter = get_exporter(job.what)
    if exporter is None or not exporter.allowed(actor):
        raise PermissionDeniedError()  # the right to export was taken away since
    try:
        return job, export_storage().open(job.file_name, "rb")
    except FileNotFoundError as exc:
        raise NotFoundError() from exc

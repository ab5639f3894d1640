from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportJob(models.Model):
    """A file a user asked for, written in the background (guanxi.core.tasks) and kept until it expires.

    `what` names a registered exporter (guanxi.core.exports) and `parameters` its filters; the rows are
    read when the job runs, as the user who asked, so they are only what that user may see then.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    what = models.CharField(_("export"), max_length=60)
    parameters = models.JSONField(default=dict, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    language = models.CharField(max_length=15, blank=True)  # headers and labels are written in it
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=255, blank=True)  # name in the exports storage
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # also the running job's heartbeat
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)  # the user saw it finished: no more notice

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="export_user_created_idx"),
            models.Index(fields=["expires_at"], name="export_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_format_display()})"

    @property
    def title(self) -> str:
        """What was exported, in the current language ("Customers")."""
        from guanxi.core.exports import get_exporter

        exporter = get_exporter(self.what)
        return exporter.title_for(self.parameters) if exporter else self.what

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.progress_done * 100 // self.progress_total)

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

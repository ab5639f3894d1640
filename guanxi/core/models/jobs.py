"""Periodic job runs and worker heartbeats (docs/subsystems/jobs.md)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A run with no outcome after this long is taken as interrupted (its worker was stopped while it ran).
STALE_AFTER = timedelta(hours=1)


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Run now")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class PeriodicRun(models.Model):
    """One run of a registered periodic job (guanxi.core.periodic), by its schedule or by "run now".

    A scheduled run is inserted before its task is enqueued, and (name, scheduled_for) is unique among
    scheduled runs: when two workers find the same job due at the same time, the second insert fails and
    that worker enqueues nothing. Likewise a job has at most one "run now" waiting or running. The task then claims the row (queued -> running) before it runs the job,
    so a task delivered twice still runs the job once.
    """

    name = models.CharField(_("job"), max_length=100)
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices, default=RunTrigger.SCHEDULE)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.CharField(max_length=100, blank=True)  # the scheduler (or the web request) that queued it
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=200, blank=True)  # what the task returned, shortened
    error = models.TextField(blank=True)  # the exception, when it failed

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "scheduled_for"],
                condition=Q(trigger="schedule"),
                name="periodic_run_once_per_time",
            ),
            models.UniqueConstraint(  # "run now" twice at once: one run
                fields=["name"],
                condition=Q(trigger="manual", status__in=["queued", "running"]),
                name="periodic_run_one_pending_manual",
            ),
        ]
        indexes = [models.Index(fields=["name", "-created_at"], name="periodic_run_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.scheduled_for:%Y-%m-%d %H:%M:%S}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)

    @property
    def pending(self) -> bool:
        """Waiting or running, and not yet taken as interrupted (see STALE_AFTER)."""
        return not self.finished and self.created_at >= timezone.now() - STALE_AFTER

    @property
    def title(self) -> str:
        """The job's title, translated; its name when it is no longer registered."""
        from guanxi.core.periodic import get_periodic_job

        job = get_periodic_job(self.name)
        return str(job.title) if job else self.name

    @property
    def error_summary(self) -> str:
        """The error's last line (a traceback's names the exception), shortened."""
        lines = [line for line in self.error.strip().splitlines() if line.strip()]
        return lines[-1][:160] if lines else ""

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class WorkerHeartbeat(models.Model):
    """One `guanxi worker` process: what it runs and when it was last seen alive (every 30 seconds)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    runs_tasks = models.BooleanField(default=True)
    runs_scheduler = models.BooleanField(default=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.hostname} ({self.pid})"

"""What `guanxi check` says about the workers and the periodic jobs (plain text, the server's time zone)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from guanxi.core.selectors.jobs import WORKER_ALIVE, job_status, worker_status


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "never"


def worker_lines(now: datetime | None = None) -> tuple[bool, list[str]]:
    """(a worker has run recently, the lines to print). No worker is a warning, not a failure."""
    now = now or timezone.now()
    health = worker_status(now=now)
    minutes = int(WORKER_ALIVE.total_seconds() // 60)
    if not health.ok:
        return False, [
            f"Worker: WARNING, no worker has run in the last {minutes} minutes (last seen: "
            f"{_when(health.last_seen)}). Start `guanxi worker`: background tasks and scheduled jobs wait for it."
        ]
    seen = max(w.last_seen_at for w in health.alive)
    parts = [p for p, on in (("tasks", health.runs_tasks), ("scheduler", health.runs_scheduler)) if on]
    lines = [
        f"Worker: OK ({len(health.alive)} running: {' and '.join(parts)}; "
        f"last seen {int((now - seen).total_seconds())} s ago)"
    ]
    if not health.runs_scheduler:
        lines.append("Worker: WARNING, no running worker runs the scheduler: periodic jobs are not queued.")
    if not health.runs_tasks:
        lines.append("Worker: WARNING, no running worker runs tasks: queued tasks wait.")
    return True, lines


def job_lines(now: datetime | None = None) -> list[str]:
    rows = job_status(now=now)
    lines = [f"Scheduled jobs: {len(rows)}"]
    for row in rows:
        last = row.last_run
        outcome = f"{_when(last.finished_at or last.created_at)} {last.status}" if last else "never"
        lines.append(
            f"  {row.job.name:<30} {row.job.schedule:<14} last: {outcome:<30} next: {_when(row.next_run)}"
        )
    return lines

"""`guanxi worker`: the django-tasks database worker and the periodic-job scheduler, in one process.

The scheduler is APScheduler's BackgroundScheduler (a thread beside the task worker's loop): one cron
trigger per registered periodic job (guanxi.core.periodic), plus the heartbeat every HEARTBEAT seconds.
When a trigger fires, guanxi.core.services.jobs.periodic_job_fire claims that scheduled time in the
database, so any number of workers may run the scheduler: each time is run once. See docs/subsystems/jobs.md.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from guanxi.core.periodic import get_periodic_job, periodic_jobs
from guanxi.core.services.jobs import FIRE_WINDOW, periodic_job_fire, worker_heartbeat, worker_stopped

logger = logging.getLogger(__name__)
HEARTBEAT = 30  # seconds between two heartbeats (selectors.jobs.WORKER_ALIVE allows a few missed ones)


def new_worker_id() -> str:
    """Unique across the pool (django-tasks-db's limit is 64 characters): host, process, a random part."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def _in_thread(func, *args, **kwargs):
    """A job of the scheduler's thread pool: its own database connection, dropped when stale or broken."""
    close_old_connections()
    try:
        return func(*args, **kwargs)
    finally:
        close_old_connections()


class PeriodicScheduler:
    """The scheduler part of a worker: heartbeat always; the periodic jobs when `run_jobs`."""

    def __init__(self, *, worker_id: str, run_jobs: bool = True, runs_tasks: bool = True) -> None:
        self.worker_id = worker_id
        self.run_jobs = run_jobs
        self.runs_tasks = runs_tasks
        self.scheduler = BackgroundScheduler(
            timezone=str(timezone.get_default_timezone()),
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={
                "coalesce": True,  # a worker that was paused runs a missed time once, not once per time
                "max_instances": 1,
                "misfire_grace_time": int(FIRE_WINDOW.total_seconds()),
            },
        )

    def beat(self) -> None:
        _in_thread(
            worker_heartbeat,
            worker_id=self.worker_id,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            runs_tasks=self.runs_tasks,
            runs_scheduler=self.run_jobs,
        )

    def fire(self, name: str) -> None:
        job = get_periodic_job(name)
        if job is None:
            return
        run = _in_thread(periodic_job_fire, job=job, worker=self.worker_id)
        if run is not None:
            logger.info("Queued %s for %s", name, run.scheduled_for)

    def start(self) -> list[str]:
        """Write the first heartbeat, start the thread; returns the names of the jobs it schedules."""
        self.beat()
        self.scheduler.add_job(
            self.beat,
            IntervalTrigger(seconds=HEARTBEAT),
            id="guanxi.heartbeat",
            next_run_time=timezone.now() + timedelta(seconds=HEARTBEAT),
        )
        names = []
        if self.run_jobs:
            for job in periodic_jobs():
                self.scheduler.add_job(self.fire, job.trigger(), args=[job.name], id=job.name, name=job.name)
                names.append(job.name)
        self.scheduler.start()
        return names

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        _in_thread(worker_stopped, worker_id=self.worker_id)


def run_worker(
    *, run_tasks: bool = True, run_scheduler: bool = True, queue_name: str = "default", stdout=None
) -> None:
    """Run until SIGINT/SIGTERM: the task worker (django-tasks-db's db_worker) in this thread, the
    scheduler in the background. With run_tasks False, only the scheduler (and the heartbeat)."""
    from django.core.management import call_command

    worker_id = new_worker_id()
    scheduler = PeriodicScheduler(worker_id=worker_id, run_jobs=run_scheduler, runs_tasks=run_tasks)
    names = scheduler.start()
    if stdout is not None:
        parts = [f"tasks (queues: {queue_name})"] if run_tasks else []
        if run_scheduler:
            parts.append(f"{len(names)} periodic jobs")
        stdout.write(f"Worker {worker_id}: {' and '.join(parts) or 'heartbeat only'} (Ctrl+C stops)\n")
        stdout.flush()
    try:
        if run_tasks:
            # db_worker handles SIGINT/SIGTERM itself: it finishes the task it runs, then returns (or exits).
            call_command("db_worker", worker_id=worker_id, queue_name=queue_name, reload=False)
        else:
            _wait_for_a_signal()
    finally:
        scheduler.shutdown()


def _wait_for_a_signal() -> None:
    stop = threading.Event()

    def handler(signum, frame):
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    while not stop.wait(1):
        pass

"""Exactly once with two schedulers: threads, processes, and two real `guanxi worker`s, on this database
(the suite runs on SQLite and on PostgreSQL)."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from guanxi.core.models import PeriodicRun, WorkerHeartbeat
from guanxi.core.services.jobs import periodic_job_fire
from guanxi.core.tests.jobs_support import at, calls, database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[4]
TIMES = 20


def test_two_scheduler_threads_claim_each_time_once(tick_job):
    """Both fire for the same 20 scheduled times, released together for each: 20 runs, each job once."""
    barrier = threading.Barrier(2)
    claimed = {"a": 0, "b": 0}
    errors = []

    def scheduler(name):
        try:
            for i in range(TIMES):
                barrier.wait(timeout=30)
                now = at("2026-03-01 08:00:00.050") + timedelta(minutes=5 * i)
                claimed[name] += periodic_job_fire(job=tick_job, now=now, worker=name) is not None
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert claimed["a"] + claimed["b"] == TIMES
    assert len(calls) == TIMES  # the job ran once per time (the immediate backend runs it on commit)
    runs = PeriodicRun.objects.filter(name="tests.tick")
    assert runs.count() == TIMES == runs.values("scheduled_for").distinct().count()
    assert set(runs.values_list("status", flat=True)) == {"succeeded"}


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(
        DATABASE_URL=database_url(),
        GUANXI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="guanxi.core.tests.jobs_app.settings",
        **extra,
    )
    return env


def test_two_scheduler_processes_enqueue_each_time_once(tmp_path):
    start = time.time() + 3  # both processes loaded and waiting, then released at the same moment
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "guanxi.core.tests.jobs_app.fire", str(start), name, str(TIMES)],
            cwd=ROOT,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("p1", "p2")
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sum(int(out.strip()) for out, _err in outputs) == TIMES
    runs = PeriodicRun.objects.filter(name="jobs_app.tick")
    assert runs.count() == TIMES == runs.values("scheduled_for").distinct().count()
    # One task queued per scheduled time (the database backend: no worker runs them here).
    assert DBTaskResult.objects.filter(task_path="guanxi.core.tasks.periodic_run_task").count() == TIMES


def test_two_workers_run_an_every_second_job_once_per_second(tmp_path):
    """Two `guanxi worker` processes (tasks and scheduler each) for a few seconds on one database."""
    ticks = tmp_path / "ticks.txt"
    env = _env(tmp_path, GUANXI_TEST_TICK_FILE=str(ticks))
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "guanxi.cli", "worker", "--queue-name", "*"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.time() + 60
        while time.time() < deadline and PeriodicRun.objects.filter(status="succeeded").count() < 5:
            time.sleep(0.1)  # the runs come once a second: stop waiting as soon as the fifth is done
        time.sleep(1)  # a second more, for a time run twice to show
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        outputs = [w.communicate(timeout=60)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    runs = PeriodicRun.objects.filter(name="jobs_app.tick")
    done = runs.filter(status="succeeded")
    assert done.count() >= 5, outputs
    assert runs.count() == runs.values("scheduled_for").distinct().count()
    # Each time ran once: a tick per succeeded run, plus at most one per run that the stop caught while running
    # (on a busy machine the stop may come before or after its tick is written).
    lines = ticks.read_text().splitlines()
    assert done.count() <= len(lines) <= done.count() + runs.filter(status="running").count(), outputs
    # Both workers said they were alive, and that they stopped.
    beats = WorkerHeartbeat.objects.all()
    assert beats.count() == 2 and all(b.stopped_at and b.runs_tasks and b.runs_scheduler for b in beats)

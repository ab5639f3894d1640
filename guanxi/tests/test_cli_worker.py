"""`guanxi worker` and what `guanxi check` says about workers and periodic jobs."""

import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from guanxi.core.jobs_report import job_lines, worker_lines
from guanxi.core.models import PeriodicRun, WorkerHeartbeat
from guanxi.core.services.jobs import worker_heartbeat
from guanxi.tests.test_cli import ROOT, _run


@pytest.mark.django_db
def test_check_lines_with_and_without_a_worker():
    alive, lines = worker_lines()
    assert not alive and lines == [
        "Worker: WARNING, no worker has run in the last 3 minutes (last seen: never). Start `guanxi worker`: "
        "background tasks and scheduled jobs wait for it."
    ]
    worker_heartbeat(worker_id="w1", hostname="app1", pid=1, runs_tasks=True, runs_scheduler=False)
    alive, lines = worker_lines()
    assert alive and lines[0].startswith("Worker: OK (1 running: tasks; last seen ")
    assert lines[1] == "Worker: WARNING, no running worker runs the scheduler: periodic jobs are not queued."
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(minutes=4))
    alive, lines = worker_lines()
    assert not alive and "(last seen: " in lines[0] and "never" not in lines[0]


@pytest.mark.django_db
def test_check_lists_the_jobs_with_last_and_next_run():
    PeriodicRun.objects.create(name="core.exports_cleanup", scheduled_for=timezone.now(), status="failed")
    lines = job_lines()
    assert lines[0].startswith("Scheduled jobs: ")
    cleanup = next(line for line in lines if "core.exports_cleanup" in line)
    assert "20 * * * *" in cleanup and " failed" in cleanup and "next: 20" in cleanup
    purge = next(line for line in lines if "core.purge_idempotency_keys" in line)
    assert "last: never" in purge


@pytest.mark.once
def test_guanxi_worker_beats_and_check_sees_it(tmp_path, migrate_by_copy):
    """The real command, embedded mode: `guanxi check` warns with no worker, then sees the running one."""
    migrate_by_copy(tmp_path)  # `guanxi migrate`, run once per session (conftest.py), not 10-20 s per test
    before = _run(["check"], {}, tmp_path)
    assert before.returncode == 0, before.stdout + before.stderr  # no worker: a warning, not a failure
    assert "Worker: WARNING, no worker has run in the last 3 minutes (last seen: never)" in before.stdout
    assert "core.exports_cleanup" in before.stdout and "last: never" in before.stdout

    worker = subprocess.Popen(
        [sys.executable, "-m", "guanxi.cli", "worker"],
        cwd=ROOT,
        env=_env_of_run(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        database = sqlite3.connect(tmp_path / "guanxi.sqlite3")
        for _ in range(360):  # the first heartbeat is written as the worker starts (90 s on a busy machine)
            if database.execute("SELECT count(*) FROM core_workerheartbeat").fetchone()[0]:
                break
            time.sleep(0.25)
        database.close()
        during = _run(["check"], {}, tmp_path)
        assert "Worker: OK (1 running: tasks and scheduler; last seen" in during.stdout, during.stdout
    finally:
        worker.send_signal(signal.SIGTERM)
        out = worker.communicate(timeout=60)[0]
    assert worker.returncode == 0, out
    assert re.search(r"tasks \(queues: default\) and [1-9]\d* periodic jobs", out), out
    after = _run(["check"], {}, tmp_path)  # stopped: no longer counted
    assert "Worker: WARNING, no worker has run in the last 3 minutes (last seen: 20" in after.stdout


@pytest.mark.once
def test_worker_flags_are_exclusive(tmp_path):
    r = _run(["worker", "--no-scheduler", "--scheduler-only"], {}, tmp_path)
    assert r.returncode == 2 and "not allowed with argument" in r.stderr


def _env_of_run(tmp_path) -> dict:
    """The environment test_cli._run gives its subprocesses (embedded mode, production settings)."""
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "GUANXI_HTTPS"}
    }
    env.update({"GUANXI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.production"})
    return env

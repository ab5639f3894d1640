"""Periodic jobs that exist only in the tests, and fixtures that register them (and forget them after)."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime

import pytest
from django_tasks import task

from guanxi.core.periodic import register_periodic, unregister_periodic

calls: list[str] = []  # one item per execution of tick_task in this process
_lock = threading.Lock()


def record_call(label: str) -> None:
    """Count an execution here, and in the file GUANXI_TEST_TICK_FILE names (one line each) if set:
    executions in other processes (workers started by a test) add up there."""
    with _lock:
        calls.append(label)
    path = os.environ.get("GUANXI_TEST_TICK_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as f:  # one short write: appends do not interleave
            f.write(f"{os.getpid()} {label}\n")


@task()
def tick_task() -> str:
    record_call("tick")
    return "tick"


@task()
def failing_task() -> None:
    raise ValueError("the mail server said no")


def at(text: str) -> datetime:
    """An aware time from "2026-03-01 08:00:00" read as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def tick_job():
    calls.clear()
    job = register_periodic(tick_task, "*/5 * * * *", name="tests.tick", title="Tick")
    yield job
    unregister_periodic("tests.tick")
    calls.clear()


@pytest.fixture
def failing_job():
    job = register_periodic(failing_task, "0 6 * * *", name="tests.failing", title="Fails")
    yield job
    unregister_periodic("tests.failing")


def database_url() -> str:
    """The URL of the test database, for the processes a test starts (guanxi worker, other schedulers)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"

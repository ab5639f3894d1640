"""Two writers at the same moment, on PostgreSQL: what the concurrency tests of every app share."""

from __future__ import annotations

import threading
import time

from django.db import connection, connections, transaction


def waiting_for_a_lock() -> bool:
    """A session of this test database waits for a lock (pg_locks is the whole server's: other databases'
    tests may be waiting too)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def race(first, second, *, overlap: bool = True) -> list:
    """Run `first` and `second` in two threads; returns their results (or exceptions). With `overlap`, `first`
    keeps its transaction open until `second` waits for one of its locks (asserted); without, `second` starts
    after `first` has committed."""
    started, release = threading.Event(), threading.Event()
    results: list = [None, None]

    def run_first():
        try:
            with transaction.atomic():
                results[0] = first()
                started.set()
                release.wait(timeout=30)
        except Exception as exc:
            results[0] = exc
        finally:
            started.set()
            connections.close_all()

    def run_second():
        try:
            started.wait(timeout=30)
            results[1] = second()
        except Exception as exc:
            results[1] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    threads[0].start()
    if not overlap:
        release.set()
        threads[0].join(timeout=30)
    threads[1].start()
    waited = True
    if overlap:
        started.wait(timeout=30)
        deadline = time.monotonic() + 20
        while not waiting_for_a_lock() and threads[1].is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        waited = waiting_for_a_lock()
        release.set()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert waited, "the second one never waited for the first one's lock"
    return results

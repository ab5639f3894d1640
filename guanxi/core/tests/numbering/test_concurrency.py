"""Concurrent writers get distinct, consecutive numbers: 20 threads each create 50 numbered documents.

Each thread has its own database connection and creates each "document" (an audit entry carrying its
number) in its own transaction, as a later app's create service does. On PostgreSQL the counter row's lock
makes the writers wait for each other; on SQLite the database's write lock does (a file in WAL mode with a
busy timeout: config/settings). Some transactions are rolled back after taking a number: the numbers that
were committed must still be 1..N with no hole and no repeat.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from guanxi.core.models import AuditEntry
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.core.tests.factories import make_company
from guanxi.core.tests.numbering.doc_types import ORDER, WIDGET

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, PER_THREAD = 20, 50
ON = dt.date(2026, 11, 3)


class Rollback(Exception):
    pass


def _writers(company, doc_type, *, fail_every: int = 0) -> list[str]:
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            start.wait()
            made = attempts = 0
            while made < PER_THREAD:
                attempts += 1
                try:
                    with transaction.atomic():
                        number = number_next(doc_type=doc_type, company=company, on=ON)
                        audit_record(
                            actor=None,
                            action="create",
                            target=company,
                            changes={"number": [None, number], "thread": [None, t]},
                        )
                        if fail_every and attempts % fail_every == 0:
                            raise Rollback  # the document could not be saved: its number is given back
                    made += 1
                except Rollback:
                    pass
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert not errors, errors[:3]
    assert not any(th.is_alive() for th in threads)
    return [e.changes["number"][1] for e in AuditEntry.objects.filter(changes__has_key="number")]


def test_twenty_writers_get_a_thousand_consecutive_numbers(admin_user):
    company = make_company(admin_user, name_en="Concurrent Co")
    numbers = _writers(company, WIDGET)
    assert len(numbers) == THREADS * PER_THREAD
    assert len(set(numbers)) == len(numbers), "a number was issued twice"
    assert sorted(numbers) == [f"WG-2026-{i:05d}" for i in range(1, THREADS * PER_THREAD + 1)]


def test_rolled_back_documents_leave_no_hole_under_concurrency(admin_user):
    company = make_company(admin_user, name_en="Concurrent Co")
    numbers = _writers(company, ORDER, fail_every=7)
    assert sorted(numbers) == [f"PO202611-{i:04d}" for i in range(1, THREADS * PER_THREAD + 1)]

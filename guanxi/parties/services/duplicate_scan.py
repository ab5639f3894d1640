"""The duplicate scan: look at every party for pairs that seem to be one company or person, and keep them as
DuplicateSuggestion rows for the duplicates list (guanxi.parties.selectors.duplicate_pairs). Runs nightly
(guanxi.parties.tasks) and when someone who may merge asks for it from the list; a run replaces the previous
one's rows in one transaction, so the list never shows half a scan. Two runs at once wait for each other."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.parties.models import (
    DUPLICATE_REASONS,
    DuplicateDismissal,
    DuplicateScan,
    DuplicateSuggestion,
    Party,
)
from guanxi.parties.selectors.duplicate_pairs import pairs_found
from guanxi.parties.services.merge import may_merge

BATCH = 2000
_LOCK_KEY = 0x6775_6478  # "gudx": the PostgreSQL advisory lock that serializes two scans
PENDING_FOR = timedelta(hours=1)  # a requested scan not finished by then is taken as lost (worker stopped)


def duplicates_refresh(*, scan: DuplicateScan | None = None) -> int:
    """Find the pairs among active parties (neither archived nor merged) and store them, leaving out the pairs
    someone dismissed. Returns how many suggestions there are now."""
    scan = scan or DuplicateScan.objects.create()
    found = pairs_found(Party.objects.filter(archived_at=None, merged_into=None))
    order = list(DUPLICATE_REASONS)
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        dismissed = set(DuplicateDismissal.objects.values_list("first_id", "second_id"))
        rows = [
            DuplicateSuggestion(
                first_id=a,
                second_id=b,
                reasons=reasons,
                strength=len(reasons),
                rank=order.index(reasons[0]),
                found_at=now,
            )
            for (a, b), reasons in found.items()
            if (a, b) not in dismissed
        ]
        DuplicateSuggestion.objects.all().delete()
        DuplicateSuggestion.objects.bulk_create(rows, batch_size=BATCH)
        DuplicateScan.objects.filter(pk=scan.pk).update(finished_at=timezone.now(), found=len(rows))
    return len(rows)


def duplicates_scan_request(*, actor) -> DuplicateScan:
    """Someone who may merge asks for a new look now: one scan is queued (after commit) for a worker. While one
    is waiting or running, that one is returned: a double click queues one scan."""
    if not may_merge(actor):
        raise PermissionDeniedError()
    pending = DuplicateScan.objects.filter(
        finished_at=None, requested_at__gte=timezone.now() - PENDING_FOR
    ).first()
    if pending is not None:
        return pending
    scan = DuplicateScan.objects.create(requested_by=actor)

    def enqueue() -> None:
        from guanxi.parties.tasks import duplicates_scan_task

        duplicates_scan_task.enqueue(scan.pk)

    transaction.on_commit(enqueue)
    return scan

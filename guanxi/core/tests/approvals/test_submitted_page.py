""" "Submitted by me": the actor's own requests and those they submitted for someone else, merged a page at a
time from two indexes, give the same rows in the same order as one OR query."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.models import ApprovalRequest
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors.approvals import submitted_page
from guanxi.core.tests.approvals.support import level, rule, submit, widget

pytestmark = pytest.mark.django_db


def test_the_merged_pages_are_the_pages_of_the_or_query(world):
    rule(world.admin, "Managers", levels=[level("team_manager")])
    start = timezone.now() - dt.timedelta(days=1)
    for i in range(23):
        owner, submitter = [(world.anna, world.anna), (world.ben, world.anna), (world.anna, world.ben)][i % 3]
        req = submit(submitter, widget(owner, name=f"W{i}", team=world.north))
        # some at the same instant: the id breaks the tie
        ApprovalRequest.objects.filter(pk=req.pk).update(submitted_at=start + dt.timedelta(minutes=i // 2))
    for who in (world.anna, world.ben):
        either = ApprovalRequest.objects.filter(Q(requester_id=who.pk) | Q(submitted_by_id=who.pk))
        cursor_a = cursor_b = None
        seen = 0
        while True:
            merged = submitted_page(actor=who, cursor=cursor_a, limit=5)
            plain = keyset_page(either, ordering=["-submitted_at", "-id"], cursor=cursor_b, limit=5)
            assert [row.request.pk for row in merged.items] == [r.pk for r in plain.items]
            seen += len(plain.items)
            if not plain.next_cursor:
                assert merged.next_cursor is None
                break
            cursor_a, cursor_b = merged.next_cursor, plain.next_cursor
        assert seen == either.count() > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_requests_submitted_for_others_are_read_from_their_index(world):
    """At 50k requests the OR of requester and submitter read and sorted every one (210 ms p95,
    docs/benchmarks.md); each part of the merge now walks its own index and stops after a page."""
    rule(world.admin, "Managers", levels=[level("team_manager")])
    submit(world.anna, widget(world.ben, name="For Ben", team=world.north))
    with CaptureQueriesContext(connection) as queries:
        submitted_page(actor=world.anna, limit=5)
    sql = next(
        q["sql"] for q in queries.captured_queries if "UNION" in q["sql"] and "approvalrequest" in q["sql"]
    )
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "approval_submitter_idx" in plan and "approval_requester_idx" in plan, plan

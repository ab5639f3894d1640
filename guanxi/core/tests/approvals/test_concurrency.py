"""Deciding at the same moment yields one decision. Several approvers of an any-one-of level, and one
approver in several tabs, approve together in threads (each with its own connection and transaction, as under
gunicorn): one wins, every other one is told "already decided by …" — the request row is locked while a
decision is made (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialize writers)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from guanxi.core.models import AuditEntry, TeamMembership
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.services.approvals import AlreadyDecidedError, approval_approve, approval_reject
from guanxi.core.tests.approvals.support import level, rule, status_of, submit, widget

pytestmark = pytest.mark.django_db(transaction=True)


def _together(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _one_decision(results, req, w, expected_status):
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1, results
    assert all(isinstance(e, AlreadyDecidedError) for e in lost), lost
    assert all("Already decided by" in str(e.message) for e in lost)
    req.refresh_from_db()
    assert req.status == expected_status and status_of(w) == expected_status
    decisions = AuditEntry.objects.filter(
        target_type="core.approvalrequest", action__in=["approve", "reject"]
    )
    assert decisions.count() == 1
    assert req.steps.filter(status__in=["approved", "rejected"]).count() == 1


def test_four_approvers_of_an_any_one_of_level_at_once(world, make_user):
    managers = [world.mia] + [
        make_user(f"m{i}", roles=[SALES_MANAGER], manager_of=[world.north]) for i in range(3)
    ]
    rule(world.admin, "Any manager", levels=[level("team_manager", "any")])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    calls = [
        (lambda m=m, i=i: (approval_approve if i % 2 else approval_reject)(actor=m, request=req, comment="x"))
        for i, m in enumerate(managers)
    ]
    results = _together(calls)
    won = next(r for r in results if not isinstance(r, Exception))
    _one_decision(results, req, w, won.status)


def test_one_approver_in_three_tabs(world):
    rule(world.admin, "Manager", levels=[level("team_manager")])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    results = _together([lambda: approval_approve(actor=world.mia, request=req) for _ in range(3)])
    _one_decision(results, req, w, "approved")
    assert TeamMembership.objects.filter(team=world.north, is_manager=True).count() == 1

"""Delegation while away: in force between its dates (both included), the delegate sees the delegator's
approvals and decides on their behalf; out of its dates, not; expiry by date is a service the scheduler runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import ApprovalDelegation
from guanxi.core.selectors.approvals import inbox_count, inbox_page, today
from guanxi.core.selectors.users import history_for
from guanxi.core.services.approval_delegations import (
    approval_delegation_create,
    approval_delegation_end,
    approval_delegations_expire,
)
from guanxi.core.services.approvals import approval_approve
from guanxi.core.tests.approvals.support import level, rule, status_of, submit, widget

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def pending(world):
    rule(world.admin, "Managers", levels=[level("team_manager")])
    w = widget(world.anna, team=world.north)
    return w, submit(world.anna, w)


def _delegate(world, start, end, delegate=None):
    return approval_delegation_create(
        actor=world.mia, delegate=delegate or world.ben, starts_on=start, ends_on=end, note="Holiday"
    )


def test_the_delegate_sees_and_decides_on_behalf_while_in_force(world, pending):
    w, req = pending
    assert inbox_count(actor=world.ben) == 0
    _delegate(world, today(), today() + DAY)
    assert inbox_count(actor=world.ben) == 1 and inbox_count(actor=world.mia) == 1  # both may decide
    row = inbox_page(actor=world.ben).items[0]
    assert (
        row.on_behalf_of == world.mia and row.title == f"Widget {w.name}" and row.url == f"/widgets/{w.pk}/"
    )
    approval_approve(actor=world.ben, request=req, comment="For Mia")
    step = req.steps.get(approver=world.mia)
    assert (step.status, step.decided_by, step.on_behalf) == ("approved", world.ben, True)
    assert status_of(w) == "approved"
    entry = history_for(subject_type="core.approvalrequest", subject_id=req.pk).first()
    assert entry.actor == world.ben and entry.changes["on_behalf_of"] == [None, "mia"]


@pytest.mark.parametrize(("start", "end"), [(1, 3), (-3, -1)])
def test_out_of_its_dates_a_delegation_gives_nothing(world, pending, start, end):
    ApprovalDelegation.objects.create(  # a past one cannot be created through the service any more
        delegator=world.mia, delegate=world.ben, starts_on=today() + start * DAY, ends_on=today() + end * DAY
    )
    _w, req = pending
    assert inbox_count(actor=world.ben) == 0
    with pytest.raises(PermissionDeniedError):
        approval_approve(actor=world.ben, request=req)


def test_an_ended_delegation_gives_nothing(world, pending):
    d = _delegate(world, today(), today() + 5 * DAY)
    approval_delegation_end(actor=world.mia, delegation=d)
    assert inbox_count(actor=world.ben) == 0


def test_bad_delegations_are_refused(world):
    cases = [
        ({"delegate": world.mia}, "delegate"),  # oneself
        ({"ends_on": today() - DAY, "starts_on": today() - 2 * DAY}, "ends_on"),  # over already
        ({"starts_on": today() + 2 * DAY, "ends_on": today() + DAY}, "ends_on"),  # backwards
        ({"ends_on": today() + 400 * DAY}, "ends_on"),  # over a year
        ({"starts_on": "tomorrow"}, "starts_on"),
        ({"delegate": None}, "delegate"),
    ]
    for change, key in cases:
        args = {"delegate": world.ben, "starts_on": today(), "ends_on": today() + DAY, **change}
        with pytest.raises(ValidationError) as caught:
            approval_delegation_create(actor=world.mia, **args)
        assert key in caught.value.message_dict, change
    world.ben.is_active = False
    world.ben.save()
    with pytest.raises(ValidationError):
        approval_delegation_create(actor=world.mia, delegate=world.ben, starts_on=today(), ends_on=today())


def test_overlapping_delegations_are_refused(world):
    _delegate(world, today(), today() + 5 * DAY)
    with pytest.raises(ValidationError) as caught:
        _delegate(world, today() + 3 * DAY, today() + 9 * DAY, delegate=world.sam)
    assert "overlap" in caught.value.message_dict["starts_on"][0]
    _delegate(world, today() + 6 * DAY, today() + 9 * DAY, delegate=world.sam)  # after it: fine


def test_only_the_delegator_or_an_administrator_manages_a_delegation(world):
    with pytest.raises(PermissionDeniedError):
        approval_delegation_create(
            actor=world.ben, delegator=world.mia, delegate=world.ben, starts_on=today(), ends_on=today()
        )
    d = approval_delegation_create(
        actor=world.admin, delegator=world.mia, delegate=world.ben, starts_on=today(), ends_on=today()
    )
    with pytest.raises(PermissionDeniedError):
        approval_delegation_end(actor=world.ben, delegation=d)
    approval_delegation_end(actor=world.admin, delegation=d)


def test_expiry_by_date_is_idempotent(world):
    d = _delegate(world, today(), today() + DAY)
    assert approval_delegations_expire(dt.datetime.now(dt.UTC)) == 0  # still in force
    later = dt.datetime.now(dt.UTC) + 3 * DAY
    assert approval_delegations_expire(later) == 1
    assert approval_delegations_expire(later) == 0  # a second run does nothing
    d.refresh_from_db()
    assert d.status == "expired" and d.ended_at is not None


def test_the_task_runs_the_service(world):
    from guanxi.core.tasks import approval_delegations_expire_task

    ApprovalDelegation.objects.create(
        delegator=world.mia, delegate=world.ben, starts_on=today() - 3 * DAY, ends_on=today() - DAY
    )
    assert approval_delegations_expire_task.call() == {"expired": 1}

"""Deciding: levels in order, any-one-of and all-of, rejection with a comment, the app's hooks inside the
decision, segregation of duties, one decision only, and the audit trail on the request and the document."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import ApprovalRequest
from guanxi.core.selectors.approvals import inbox_count
from guanxi.core.selectors.users import history_for
from guanxi.core.services.approvals import (
    AlreadyDecidedError,
    approval_approve,
    approval_reject,
    approval_withdraw,
)
from guanxi.core.tests.approvals.support import WIDGET, level, role_id, rule, status_of, submit, widget

pytestmark = pytest.mark.django_db


def _req(w):
    return ApprovalRequest.objects.get(document_type=WIDGET, object_id=str(w.pk), status="pending")


def test_levels_in_order_any_and_all(world):
    rule(
        world.admin,
        "R",
        levels=[level("team_manager", "any"), level("role", "all", role_id=role_id("administrator"))],
    )
    from guanxi.core.models import TeamMembership

    TeamMembership.objects.create(team=world.north, user=world.max, is_manager=True)  # a second manager
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    assert inbox_count(actor=world.mia) == 1 and inbox_count(actor=world.max) == 1
    assert inbox_count(actor=world.admin) == 0  # level 2 waits for level 1
    req = approval_approve(actor=world.max, request=req)
    assert req.current_level == 2 and req.status == "pending"
    assert inbox_count(actor=world.mia) == 0  # any one of them was enough
    assert req.steps.get(approver=world.mia, stage__position=1).status == "not_needed"
    assert inbox_count(actor=world.admin) == 1
    approval_approve(actor=world.admin, request=req, comment="Fine")
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by == world.admin and status_of(w) == "approved"


def test_all_of_needs_every_approver(world, make_user):
    from guanxi.core.models import TeamMembership

    TeamMembership.objects.create(team=world.north, user=world.max, is_manager=True)
    rule(world.admin, "Both managers", levels=[level("team_manager", "all")])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    req = approval_approve(actor=world.mia, request=req)
    assert req.status == "pending" and status_of(w) == "submitted"
    req = approval_approve(actor=world.max, request=req)
    assert req.status == "approved" and status_of(w) == "approved"


def test_reject_needs_a_comment_and_ends_the_request(world):
    rule(world.admin, "R", levels=[level("team_manager"), level("user", user_id=world.admin.pk)])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    with pytest.raises(ValidationError) as caught:
        approval_reject(actor=world.mia, request=req, comment="  ")
    assert "comment" in caught.value.message_dict
    req = approval_reject(actor=world.mia, request=req, comment="Too expensive")
    assert req.status == "rejected" and status_of(w) == "rejected"
    assert set(req.steps.values_list("status", flat=True)) == {"rejected", "not_needed"}
    assert inbox_count(actor=world.admin) == 0


def test_deciding_twice_is_told_who_decided(world):
    from guanxi.core.models import TeamMembership

    TeamMembership.objects.create(team=world.north, user=world.max, is_manager=True)
    rule(world.admin, "Any manager", levels=[level("team_manager", "any")])
    req = submit(world.anna, widget(world.anna, team=world.north))
    approval_approve(actor=world.mia, request=req)
    with pytest.raises(AlreadyDecidedError) as caught:  # the other approver of an any-one-of level
        approval_approve(actor=world.max, request=req)
    assert "Already decided by mia" in str(caught.value.message) and caught.value.status == 409
    with pytest.raises(AlreadyDecidedError):  # the same approver in a second tab
        approval_reject(actor=world.mia, request=req, comment="Oops")
    assert req.steps.filter(status="approved").count() == 1


def test_second_tab_on_a_level_that_goes_on(world):
    rule(world.admin, "R", levels=[level("team_manager"), level("user", user_id=world.admin.pk)])
    req = submit(world.anna, widget(world.anna, team=world.north))
    approval_approve(actor=world.mia, request=req)
    with pytest.raises(AlreadyDecidedError) as caught:
        approval_approve(actor=world.mia, request=req)
    assert "mia" in str(caught.value.message)


def test_the_requester_and_the_last_changer_are_refused(world, make_user):
    from guanxi.core.selectors.approvals import today
    from guanxi.core.services.approval_delegations import approval_delegation_create
    from guanxi.tests.plugin_app.services import widget_change_amount

    rule(world.admin, "R", levels=[level("team_manager")])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    with pytest.raises(PermissionDeniedError) as caught:
        approval_approve(actor=world.anna, request=req)
    assert "segregation of duties" in str(caught.value.message)
    # Even as the manager's delegate, the requester may not approve her own widget.
    approval_delegation_create(actor=world.mia, delegate=world.anna, starts_on=today(), ends_on=today())
    with pytest.raises(PermissionDeniedError):
        approval_approve(actor=world.anna, request=req)
    # Whoever last changed the values under approval neither.
    w2 = widget(world.ben, team=world.north)
    widget_change_amount(actor=world.anna, widget=w2, amount=Decimal("5"))
    req2 = submit(world.ben, w2)
    assert req2.last_changed_by == world.anna
    with pytest.raises(PermissionDeniedError) as caught:
        approval_approve(actor=world.anna, request=req2)  # as Mia's delegate
    assert "last changed" in str(caught.value.message)


def test_someone_not_on_the_path_may_not_decide(world):
    rule(world.admin, "R", levels=[level("team_manager")])
    req = submit(world.anna, widget(world.anna, team=world.north))
    with pytest.raises(PermissionDeniedError):
        approval_approve(actor=world.ben, request=req)  # sees the widget, is no approver
    with pytest.raises(NotFoundError):
        approval_approve(actor=world.sam, request=req)  # may not see the widget at all


def test_a_document_changed_after_submission_must_be_submitted_again(world):
    from guanxi.tests.plugin_app.services import widget_change_amount

    rule(world.admin, "R", levels=[level("team_manager")])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    widget_change_amount(actor=world.anna, widget=w, amount=Decimal("9999"))
    with pytest.raises(ConflictError) as caught:
        approval_approve(actor=world.mia, request=req)
    assert "Amount: 100.00 → 9999.00" in str(caught.value.message)


def test_every_decision_is_audited_on_the_request_and_the_document(world):
    rule(world.admin, "R", levels=[level("team_manager"), level("user", user_id=world.admin.pk)])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    approval_approve(actor=world.mia, request=req, comment="ok")
    approval_reject(actor=world.admin, request=req, comment="no budget")
    on_request = history_for(subject_type="core.approvalrequest", subject_id=req.pk)
    assert [e.action for e in on_request] == ["reject", "approve", "submit"]
    on_widget = history_for(subject_type=WIDGET, subject_id=w.pk).filter(target_type="core.approvalrequest")
    assert [(e.action, e.actor.username) for e in on_widget] == [
        ("reject", "admin"),
        ("approve", "mia"),
        ("submit", "anna"),
    ]
    reject = on_widget[0]
    assert reject.changes["comment"] == [None, "no budget"] and reject.changes["result"] == [None, "rejected"]


def test_the_requester_withdraws(world):
    rule(world.admin, "R", levels=[level("team_manager")])
    w = widget(world.anna, team=world.north)
    req = submit(world.anna, w)
    with pytest.raises(PermissionDeniedError):
        approval_withdraw(actor=world.mia, request=req)
    req = approval_withdraw(actor=world.anna, request=req)
    assert req.status == "cancelled" and status_of(w) == "draft" and inbox_count(actor=world.mia) == 0
    with pytest.raises(AlreadyDecidedError):
        approval_approve(actor=world.mia, request=req)


def test_every_event_goes_through_the_notification_hook(world, monkeypatch):
    from guanxi.core.services import approval_common

    sent = []
    monkeypatch.setattr(
        approval_common,
        "_notify",
        lambda event, to, req: sent.append((event, sorted(u.username for u in to))),
    )
    rule(world.admin, "R", levels=[level("team_manager"), level("user", user_id=world.admin.pk)])
    req = submit(world.anna, widget(world.anna, team=world.north))
    approval_approve(actor=world.mia, request=req)
    approval_reject(actor=world.admin, request=req, comment="No")
    assert sent == [
        ("approval_waiting", ["mia"]),
        ("approval_waiting", ["admin"]),
        ("approval_decided", ["anna"]),
    ]

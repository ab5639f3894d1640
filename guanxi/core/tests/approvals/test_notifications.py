"""Approvals tell people through the notifications block: the approvers when a level waits for them, the
requester when it is decided (in each one's language)."""

from __future__ import annotations

import pytest

from guanxi.core.models import Notification
from guanxi.core.services.approval_decisions import approval_approve
from guanxi.core.tests.approvals.support import level, rule, submit, widget

pytestmark = pytest.mark.django_db


def _told(user):
    return list(Notification.objects.filter(recipient=user).values_list("event", "title", "url"))


def test_the_approver_is_told_and_then_the_requester(world):
    rule(world.admin, "Managers", levels=[level("team_manager")])
    world.mia.language = "zh-hans"
    world.mia.save(update_fields=["language"])
    req = submit(world.anna, widget(world.anna, team=world.north, name="Gizmo"))
    assert _told(world.mia) == [("approval.waiting", "Widget Gizmo 等待您审批", f"/approvals/{req.pk}/")]
    approval_approve(actor=world.mia, request=req)
    assert _told(world.anna) == [("approval.decided", "Widget Gizmo was approved", f"/approvals/{req.pk}/")]

"""Activities tell people through the notifications block: the assignee when someone else assigns an
activity, and when it is due soon (once)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from guanxi.activities.tasks import send_due_reminders
from guanxi.activities.tests.factories import make_activity
from guanxi.core.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)  # the assignment is told after commit


def _told(user):
    return list(Notification.objects.filter(recipient=user).values_list("event", "title"))


def test_the_assignee_is_told_and_reminded_once(world):
    activity = make_activity(
        world.manager,
        world.huawei,
        subject="拜访华为",
        assignee=world.rep,
        due_at=timezone.now() + dt.timedelta(minutes=20),
        remind_before=30,
    )
    assert _told(world.rep) == [("activity.assigned", "拜访华为 was assigned to you")]
    send_due_reminders()
    send_due_reminders()
    assert sorted(_told(world.rep)) == [
        ("activity.assigned", "拜访华为 was assigned to you"),
        ("activity.due_soon", "拜访华为 is due soon"),
    ]
    assert activity.pk


def test_who_assigns_to_themselves_is_not_told(world):
    make_activity(world.rep, world.huawei, assignee=world.rep)
    assert _told(world.rep) == []

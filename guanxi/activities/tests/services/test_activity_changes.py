"""Editing, completing, cancelling and reopening: locking, state rules, who may, what is recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.activities.services.activities import (
    activity_cancel,
    activity_complete,
    activity_reopen,
    activity_update,
)
from guanxi.activities.tests.factories import make_activity
from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entries(a):
    return AuditEntry.objects.filter(target_type="activities.activity", target_id=str(a.pk)).order_by("id")


def test_an_edit_needs_the_version_it_was_made_on(world):
    a = make_activity(world.rep, world.huawei, subject="Call")
    with pytest.raises(ValidationError) as exc:
        activity_update(actor=world.rep, activity=a, version=None, data={"subject": "x"})
    assert "version" in exc.value.message_dict
    a = activity_update(actor=world.rep, activity=a, version=1, data={"subject": "Call back"})
    assert a.version == 2 and a.subject == "Call back"
    with pytest.raises(ConflictError):
        activity_update(actor=world.rep, activity=a, version=1, data={"subject": "Lost edit"})
    a.refresh_from_db()
    assert a.subject == "Call back"
    assert _entries(a).last().changes == {"subject": ["Call", "Call back"]}


def test_saving_without_a_change_writes_nothing(world):
    a = make_activity(world.rep, world.huawei, subject="Call", participants=[world.mate.pk])
    same = activity_update(
        actor=world.rep, activity=a, version=1, data={"subject": "Call", "participants": [world.mate.pk]}
    )
    assert same.version == 1 and _entries(a).count() == 1


def test_a_new_time_means_a_new_reminder(world):
    a = make_activity(world.rep, world.huawei, remind_before=15)
    type(a).objects.filter(pk=a.pk).update(reminded_at=timezone.now())
    later = a.due_at + dt.timedelta(days=1)
    a = activity_update(actor=world.rep, activity=a, version=1, data={"due_at": later})
    assert a.remind_at == later - dt.timedelta(minutes=15) and a.reminded_at is None
    a = activity_update(actor=world.rep, activity=a, version=2, data={"remind_before": None})
    assert a.remind_at is None


def test_switching_to_all_day_keeps_the_day(world):
    a = make_activity(
        world.rep, world.huawei, due_at=dt.datetime(2030, 5, 6, 15, 30, tzinfo=dt.UTC)
    )  # 23:30 in Shanghai
    a = activity_update(actor=world.rep, activity=a, version=1, data={"all_day": True})
    assert a.all_day and a.due_date == dt.date(2030, 5, 6)
    with pytest.raises(ValidationError) as exc:
        activity_update(
            actor=world.rep, activity=a, version=2, data={"all_day": False, "due_date": a.due_date}
        )
    assert "due_at" in exc.value.message_dict


def test_the_state_changes_only_through_its_operations(world):
    a = make_activity(world.rep, world.huawei)
    with pytest.raises(ValidationError) as exc:
        activity_update(actor=world.rep, activity=a, version=1, data={"status": "done"})
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        activity_update(actor=world.rep, activity=a, version=1, data={"outcome": "early"})
    assert "outcome" in exc.value.message_dict


def test_complete_records_the_outcome_once(world):
    a = make_activity(world.rep, world.huawei)
    done = activity_complete(actor=world.rep, activity=a, outcome="客户同意试用", version=1)
    assert done.status == "done" and done.outcome == "客户同意试用" and done.closed_by == world.rep
    assert done.version == 2
    assert _entries(a).last().changes["status"] == ["open", "done"]
    with pytest.raises(ConflictError) as exc:  # a second tab
        activity_complete(actor=world.rep, activity=a, outcome="again")
    assert "done already" in str(exc.value.message)
    # The outcome of a closed activity may be corrected.
    fixed = activity_update(actor=world.rep, activity=done, version=2, data={"outcome": "客户同意试用两周"})
    assert fixed.outcome == "客户同意试用两周"


def test_a_stale_version_stops_a_completion(world):
    a = make_activity(world.rep, world.huawei)
    activity_update(actor=world.rep, activity=a, version=1, data={"subject": "Moved"})
    with pytest.raises(ConflictError):
        activity_complete(actor=world.rep, activity=a, version=1)


def test_cancel_and_reopen(world):
    a = make_activity(world.rep, world.huawei)
    a = activity_cancel(actor=world.rep, activity=a)
    assert a.status == "cancelled" and a.closed_at
    with pytest.raises(ConflictError):
        activity_complete(actor=world.rep, activity=a)
    a = activity_reopen(actor=world.rep, activity=a)
    assert a.status == "open" and a.closed_at is None and a.closed_by is None
    with pytest.raises(ConflictError):
        activity_reopen(actor=world.rep, activity=a)


def test_who_may_change_an_activity(world):
    a = make_activity(world.rep, world.huawei)
    with pytest.raises(NotFoundError):  # another team: cannot even see it
        activity_complete(actor=world.rep_west, activity=a)
    with pytest.raises(PermissionDeniedError):  # sees the record, may not change it or the activity
        activity_complete(actor=world.marketing, activity=a)
    with pytest.raises(PermissionDeniedError):
        activity_complete(actor=world.executive, activity=a)
    # A teammate may change the team's customer, so its activities too; the manager as well.
    activity_update(actor=world.mate, activity=a, version=1, data={"priority": "high"})
    activity_complete(actor=world.manager, activity=a, version=2)


def test_the_assignee_may_complete_it_without_changing_the_record(world):
    a = make_activity(world.admin, world.huawei, assignee=world.marketing)
    done = activity_complete(actor=world.marketing, activity=a, outcome="Sent the brochure")
    assert done.status == "done"


def test_reassigning_checks_the_new_assignee(world):
    a = make_activity(world.rep, world.huawei)
    with pytest.raises(ValidationError):
        activity_update(actor=world.rep, activity=a, version=1, data={"assignee": world.rep_west.pk})
    a = activity_update(actor=world.rep, activity=a, version=1, data={"assignee": None})
    assert a.assignee is None

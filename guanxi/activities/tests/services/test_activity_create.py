"""Scheduling and logging activities: who may, what is checked, what is recorded."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.activities import hooks
from guanxi.activities.models import Activity
from guanxi.activities.services.activities import activity_create
from guanxi.activities.tests.factories import make_activity
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.selectors.users import history_for
from guanxi.tests.plugin_app.services import widget_create

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_rep_schedules_a_call_on_a_customer_of_theirs(world):
    due = dt.datetime(2030, 5, 6, 10, 30, tzinfo=SHANGHAI)
    a = make_activity(
        world.rep,
        world.huawei,
        subject="回访采购总监",
        due_at=due,
        duration_minutes=30,
        remind_before=15,
        contacts=[world.zhang.pk],
        participants=[world.mate.pk],
    )
    a.refresh_from_db()
    assert a.status == "open" and a.assignee == world.rep and a.created_by == world.rep
    assert (a.record_type, a.record_id) == ("parties.party", world.huawei.pk)
    assert a.due_at == due and a.due_date == dt.date(2030, 5, 6) and not a.all_day
    assert a.remind_at == due - dt.timedelta(minutes=15) and a.reminded_at is None
    assert list(a.contacts.all()) == [world.zhang] and list(a.participants.all()) == [world.mate]
    # Audited on the activity, and on the party's history too.
    entry = AuditEntry.objects.get(target_type="activities.activity", target_id=str(a.pk))
    assert entry.action == "create" and entry.changes["subject"] == [None, "回访采购总监"]
    assert entry.changes["contacts"] == [None, ["张伟"]]
    assert entry in history_for(subject_type="parties.party", subject_id=world.huawei.pk)


def test_an_all_day_activity_is_due_on_its_day_and_reminds_from_nine(world):
    a = make_activity(
        world.rep, world.huawei, due_at=None, all_day=True, due_date=dt.date(2030, 1, 2), remind_before=60
    )
    assert a.all_day and a.due_date == dt.date(2030, 1, 2)
    assert a.due_at == dt.datetime(2030, 1, 2, tzinfo=SHANGHAI)
    assert a.remind_at == dt.datetime(2030, 1, 2, 8, 0, tzinfo=SHANGHAI)


def test_a_naive_time_is_read_in_the_current_time_zone(world):
    a = make_activity(world.rep, world.huawei, due_at=dt.datetime(2030, 3, 1, 9, 0))
    assert a.due_at == dt.datetime(2030, 3, 1, 1, 0, tzinfo=dt.UTC)


def test_logging_what_happened_closes_it_with_its_outcome(world):
    a = make_activity(
        world.rep, world.huawei, kind="meeting", status="done", outcome="同意下周报价", due_at=timezone.now()
    )
    assert a.status == "done" and a.closed_at and a.closed_by == world.rep
    assert a.outcome == "同意下周报价" and a.remind_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"kind": "visit"}, "kind"),
        ({"due_at": None}, "due_at"),
        ({"due_at": dt.datetime(1, 1, 1, tzinfo=dt.UTC)}, "due_at"),
        ({"all_day": True, "due_at": None}, "due_date"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"remind_before": 7 * 24 * 60 + 1}, "remind_before"),
        ({"remind_before": -5}, "remind_before"),
        ({"priority": "urgent"}, "priority"),
        ({"location": "a\x00b"}, "location"),
        ({"outcome": "too early"}, "outcome"),
        ({"status": "cancelled"}, "status"),
        ({"participants": ["x"]}, "participants"),
        ({"participants": [999999]}, "participants"),
        ({"owner": 1}, "owner"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(world, data, field):
    with pytest.raises(ValidationError) as exc:
        make_activity(world.rep, world.huawei, **data)
    assert field in exc.value.message_dict
    assert not Activity.objects.exists()


def test_every_problem_is_reported_at_once(world):
    with pytest.raises(ValidationError) as exc:
        make_activity(world.rep, world.huawei, subject="", kind="x", duration_minutes=0)
    assert {"subject", "kind", "duration_minutes"} <= set(exc.value.message_dict)


def test_the_assignee_must_be_someone_who_may_see_the_record(world):
    with pytest.raises(ValidationError) as exc:
        make_activity(world.rep, world.huawei, assignee=world.rep_west)
    assert "cannot see this record" in exc.value.message_dict["assignee"][0]
    with pytest.raises(ValidationError):
        make_activity(world.rep, world.huawei, assignee=world.buyer)  # no customers at all
    a = make_activity(world.rep, world.huawei, assignee=world.mate)  # same team: sees East's customers
    assert a.assignee == world.mate


def test_contacts_come_from_the_record(world):
    with pytest.raises(ValidationError) as exc:
        make_activity(world.rep, world.huawei, contacts=[world.west_co.pk])
    assert "contacts" in exc.value.message_dict


def test_who_may_add_activities(world):
    with pytest.raises(NotFoundError):  # a customer of another team: not even visible
        make_activity(world.rep, world.west_co)
    with pytest.raises(PermissionDeniedError) as exc:  # sees every customer, changes none
        make_activity(world.marketing, world.huawei)
    assert "not add activities" in str(exc.value.message)
    with pytest.raises(PermissionDeniedError):  # read-only role: no activity.add
        make_activity(world.executive, world.huawei)
    assert make_activity(world.manager, world.huawei).assignee == world.manager  # the team's customer


def test_a_record_type_without_the_feature_is_refused(world):
    from guanxi.core.models import Team

    with pytest.raises(ValidationError) as exc:
        activity_create(actor=world.admin, record=Team.objects.first(), data={"subject": "x"})
    assert "record" in exc.value.message_dict


def test_activities_attach_to_any_registered_document_type(world):
    widget = widget_create(actor=world.rep, name="Gadget", customer=world.huawei)
    a = make_activity(world.rep, widget, subject="Demo the gadget", contacts=[])
    assert (a.record_type, a.record_id) == ("plugin_app.widget", widget.pk)
    assert (
        history_for(subject_type="plugin_app.widget", subject_id=widget.pk)
        .filter(target_type="activities.activity")
        .exists()
    )
    with pytest.raises(ValidationError):  # the widget's type offers no contacts
        make_activity(world.rep, widget, contacts=[world.zhang.pk])


def test_the_assignee_hears_of_it_after_commit(world, django_capture_on_commit_callbacks):
    heard = []
    kept = dict(hooks._ASSIGNED)  # the app's own subscribers (the notification) stay registered
    hooks.on_assigned(lambda activity, actor: heard.append((activity.subject, actor.username)))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_activity(world.rep, world.huawei, subject="For my mate", assignee=world.mate)
            make_activity(world.rep, world.huawei, subject="For me")
        assert heard == [("For my mate", "rep")]
    finally:
        hooks._ASSIGNED.clear()
        hooks._ASSIGNED.update(kept)

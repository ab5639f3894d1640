"""Which activities a user sees, and how My activities buckets them (overdue / today / upcoming / done)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from guanxi.activities.models import Activity
from guanxi.activities.selectors import activities as sel
from guanxi.activities.services.activities import activity_cancel, activity_complete
from guanxi.activities.tests.factories import make_activity
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.tests.plugin_app.services import widget_create

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2030, 6, 12, 15, 0, tzinfo=SH)  # a Wednesday afternoon in Shanghai


def _subjects(qs) -> list[str]:
    return list(qs.values_list("subject", flat=True))


def _list(actor, **filters):
    qs, ordering = sel.activity_list(actor=actor, filters=sel.ActivityFilters(**filters), now=NOW)
    return _subjects(qs.order_by(*ordering))


@pytest.fixture
def day(world):
    """One representative's day, seen at NOW."""
    at = lambda h, m=0, days=0: NOW.replace(hour=h, minute=m) + dt.timedelta(days=days)  # noqa: E731
    make_activity(world.rep, world.huawei, subject="late call", due_at=at(9))
    make_activity(
        world.rep, world.huawei, subject="yesterday all day", all_day=True, due_date=dt.date(2030, 6, 11)
    )
    make_activity(
        world.rep, world.huawei, subject="today all day", all_day=True, due_date=dt.date(2030, 6, 12)
    )
    make_activity(world.rep, world.huawei, subject="evening meeting", kind="meeting", due_at=at(19))
    make_activity(world.rep, world.huawei, subject="tomorrow task", kind="task", due_at=at(0, 30, days=1))
    make_activity(world.rep, world.huawei, subject="next week", due_at=at(10, days=7))
    done = make_activity(world.rep, world.huawei, subject="done call", due_at=at(8))
    activity_complete(actor=world.rep, activity=done)
    gone = make_activity(world.rep, world.huawei, subject="cancelled", due_at=at(8, 30))
    activity_cancel(actor=world.rep, activity=gone)
    make_activity(world.rep, world.huawei, subject="mate's", assignee=world.mate, due_at=at(11))
    return world


def test_buckets(day):
    rep = day.rep
    assert _list(rep, when="overdue") == ["yesterday all day", "late call"]
    assert _list(rep, when="today") == ["yesterday all day", "today all day", "late call", "evening meeting"]
    assert _list(rep, when="upcoming") == ["tomorrow task", "next week"]
    assert set(_list(rep, when="done")) == {"done call", "cancelled"}
    assert _list(rep, overdue=True) == ["yesterday all day", "late call"]


def test_is_overdue_agrees_with_the_buckets(day):
    overdue = {a.subject for a in Activity.objects.all() if sel.is_overdue(a, NOW)}
    assert overdue == {"late call", "yesterday all day", "mate's"}


def test_filters_by_kind_and_status(day):
    assert _list(day.rep, kinds=["meeting", "task"]) == ["evening meeting", "tomorrow task"]
    assert _list(day.rep, statuses=["cancelled"]) == ["cancelled"]


def test_whose_activities_a_user_may_list(day):
    w = day
    assert _list(w.mate) == ["mate's"]  # "me" by default
    assert _list(w.mate, assignee="any") == ["mate's"]  # own scope: nobody else's
    assert _list(w.mate, assignee=str(w.rep.pk)) == []
    assert len(_list(w.manager, assignee="any")) == 9  # team scope: the team's
    assert len(_list(w.manager, assignee=str(w.rep.pk))) == 8
    assert _list(w.rep_west, assignee="any") == []
    assert len(_list(w.executive, assignee="any")) == 9  # all
    with pytest.raises(PermissionDeniedError):
        _list(w.buyer.__class__.objects.create(username="no-roles"), assignee="any")


def test_on_a_record_everyone_who_sees_it_sees_all_its_activities(day):
    w = day
    # Marketing sees every customer: all of Huawei's activities, though none is theirs.
    assert len(_list(w.marketing, assignee="any", record_type="parties.party", record_id=w.huawei.pk)) == 9
    with pytest.raises(NotFoundError):  # West does not see East's customer
        _list(w.rep_west, assignee="any", record_type="parties.party", record_id=w.huawei.pk)


def test_one_activity_is_visible_by_its_record_or_its_assignee(day):
    w = day
    a = Activity.objects.get(subject="mate's")
    assert sel.activity_get(actor=w.marketing, pk=a.pk).record == w.huawei
    with pytest.raises(NotFoundError):
        sel.activity_get(actor=w.rep_west, pk=a.pk)
    with pytest.raises(NotFoundError):
        sel.activity_get(actor=w.rep, pk=10**12)


def test_unknown_filter_values_are_refused(world):
    from django.core.exceptions import ValidationError

    for bad in (
        {"when": "someday"},
        {"kinds": ["visit"]},
        {"record_type": "core.team"},
        {"assignee": "boss"},
    ):
        with pytest.raises(ValidationError):
            _list(world.rep, **bad)


def test_the_record_type_filter_and_a_plugin_record(world):
    widget = widget_create(actor=world.rep, name="Gadget")
    make_activity(world.rep, widget, subject="widget demo", due_at=NOW)
    make_activity(world.rep, world.huawei, subject="party call", due_at=NOW)
    assert _list(world.rep, record_type="plugin_app.widget") == ["widget demo"]
    assert _list(world.rep, record_type="plugin_app.widget", record_id=widget.pk) == ["widget demo"]


def test_assignable_users_and_assignee_choices(world):
    users = sel.assignable_users(world.huawei)
    assert {u.username for u in users} >= {"admin", "rep", "mate", "boss", "mkt", "exec"}
    assert not {"rep_west", "buyer"} & {u.username for u in users}
    assert sel.assignee_choices(world.rep) is None
    assert {u.username for u in sel.assignee_choices(world.manager)} == {"rep", "mate", "boss"}

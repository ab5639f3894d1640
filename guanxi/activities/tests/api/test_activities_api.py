"""/api/v1/activities: the same rules as the pages, problem+json errors, locking, and a list whose cost does
not grow with its rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.activities.tests.factories import make_activity
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.tests.plugin_app.services import widget_create

pytestmark = pytest.mark.django_db


def _body(world, **data):
    return {
        "record_type": "parties.party",
        "record_id": world.huawei.pk,
        "kind": "meeting",
        "subject": "拜访华为",
        "due_at": "2030-05-06T14:30:00+08:00",
        "duration_minutes": 60,
        "contact_ids": [world.zhang.pk],
        "remind_before_minutes": 30,
        **data,
    }


def test_create_get_update_complete(api_as, world):
    api = api_as(world.rep)
    a = ok(api.post("/activities", _body(world)), 201)
    assert a["status"] == "open" and a["assignee"]["username"] == "rep" and a["version"] == 1
    assert a["record"] == {
        "type": "parties.party",
        "id": world.huawei.pk,
        "label": "Party",
        "title": "华为技术有限公司",
        "url": f"/parties/{world.huawei.pk}/",
    }
    assert a["contacts"] == [{"id": world.zhang.pk, "name": "张伟"}]
    assert a["due_at"].startswith("2030-05-06T") and a["due_date"] == "2030-05-06"
    assert a["remind_at"] is not None and a["overdue"] is False
    assert ok(api.get(f"/activities/{a['id']}"))["subject"] == "拜访华为"
    changed = ok(
        api.patch(f"/activities/{a['id']}", {"version": 1, "subject": "改到周二", "priority": "high"})
    )
    assert changed["version"] == 2 and changed["priority"] == "high"
    problem(api.patch(f"/activities/{a['id']}", {"version": 1, "subject": "stale"}), 409)
    done = ok(api.post(f"/activities/{a['id']}/complete", {"outcome": "同意报价", "version": 2}))
    assert done["status"] == "done" and done["outcome"] == "同意报价" and done["closed_at"]
    again = problem(api.post(f"/activities/{a['id']}/complete", {}), 409)
    assert "done already" in again["title"]
    assert ok(api.post(f"/activities/{a['id']}/reopen", {}))["status"] == "open"
    assert ok(api.post(f"/activities/{a['id']}/cancel", {"version": 4}))["status"] == "cancelled"


def test_an_all_day_activity(api_as, world):
    a = ok(
        api_as(world.rep).post("/activities", _body(world, due_at=None, all_day=True, due_date="2030-01-02")),
        201,
    )
    assert a["all_day"] is True and a["due_date"] == "2030-01-02"


def test_log_a_done_call(api_as, world):
    body = _body(world, kind="call", status="done", outcome="已沟通", due_at=timezone.now().isoformat())
    a = ok(api_as(world.rep).post("/activities", body), 201)
    assert a["status"] == "done" and a["outcome"] == "已沟通"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"kind": "visit"}, "kind"),
        ({"due_at": "next tuesday"}, "due_at"),
        ({"due_at": "0001-01-01T00:00:00+14:00"}, "due_at"),
        ({"due_at": None}, "due_at"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"remind_before_minutes": 100000}, "remind_before_minutes"),
        ({"contact_ids": [1] * 51}, "contact_ids"),
        ({"owner_id": 1}, "owner_id"),
        ({"record_type": "core.team"}, "record_type"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api_as, world, change, field):
    data = problem(api_as(world.rep).post("/activities", _body(world, **change)), 422)
    assert field in fields(data)


def test_service_errors_name_the_api_field_as_the_service_does(api_as, world):
    data = problem(api_as(world.rep).post("/activities", _body(world, assignee_id=world.rep_west.pk)), 422)
    assert "assignee" in fields(data)


def test_records_and_activities_one_may_not_see_are_404(api_as, world):
    a = make_activity(world.rep, world.huawei)
    west = api_as(world.rep_west)
    problem(west.get(f"/activities/{a.pk}"), 404)
    problem(west.post(f"/activities/{a.pk}/complete", {}), 404)
    problem(west.post("/activities", _body(world)), 404)
    problem(west.post("/activities", _body(world, record_id=10**9)), 404)
    problem(west.get("/activities", {"record_type": "parties.party", "record_id": world.huawei.pk}), 404)
    problem(api_as(world.marketing).post("/activities", _body(world)), 403)  # sees it, may not change it
    problem(api_as(world.rep, scope="read").post("/activities", _body(world)), 403)


def test_list_filters(api_as, world):
    now = timezone.now()
    make_activity(world.rep, world.huawei, subject="late", due_at=now - dt.timedelta(hours=1))
    make_activity(
        world.rep, world.huawei, subject="meeting", kind="meeting", due_at=now + dt.timedelta(hours=1)
    )
    make_activity(
        world.rep, world.huawei, subject="mate's", assignee=world.mate, due_at=now + dt.timedelta(hours=2)
    )
    widget = widget_create(actor=world.rep, name="Gadget")
    make_activity(world.rep, widget, subject="widget", due_at=now + dt.timedelta(hours=3))
    api = api_as(world.rep)

    def subjects(**params):
        return [a["subject"] for a in ok(api.get("/activities", params))["items"]]

    assert subjects() == ["late", "meeting", "widget"]  # own scope: what is assigned to the rep
    assert subjects(mine=True, overdue=True) == ["late"]
    assert subjects(kind=["meeting"]) == ["meeting"]
    assert subjects(record_type="plugin_app.widget") == ["widget"]
    assert subjects(record_type="parties.party", record_id=world.huawei.pk) == ["late", "meeting", "mate's"]
    assert subjects(status=["done"]) == []
    boss = api_as(world.manager)
    assert len(ok(boss.get("/activities"))["items"]) == 4  # the team's
    assert [a["subject"] for a in ok(boss.get("/activities", {"assignee": world.mate.pk}))["items"]] == [
        "mate's"
    ]
    problem(api.get("/activities", {"record_id": world.huawei.pk}), 422)
    problem(api.get("/activities", {"record_type": "core.team"}), 422)
    problem(api.get("/activities", {"when": "today"}), 422)  # not a parameter of the API


def test_list_pages_with_a_cursor(api_as, world):
    for i in range(5):
        make_activity(
            world.rep, world.huawei, subject=f"A{i}", due_at=timezone.now() + dt.timedelta(hours=i + 1)
        )
    api = api_as(world.rep)
    first = ok(api.get("/activities", {"limit": 2}))
    second = ok(api.get("/activities", {"limit": 2, "cursor": first["next_cursor"]}))
    assert [a["subject"] for a in first["items"] + second["items"]] == ["A0", "A1", "A2", "A3"]
    problem(api.get("/activities", {"cursor": "garbage"}), 422)


def test_list_queries_do_not_grow_with_rows(api_as, world, django_assert_max_num_queries):
    widget = widget_create(actor=world.rep, name="Gadget")

    def add(start, n):
        for i in range(start, start + n):
            make_activity(
                world.rep,
                world.huawei if i % 2 else widget,
                subject=f"A{i}",
                participants=[world.mate.pk],
                contacts=[world.zhang.pk] if i % 2 else [],
            )

    add(0, 3)
    api = api_as(world.rep)
    ok(api.get("/activities"))  # the token's last-used time is stamped once a minute: not in the count
    with CaptureQueriesContext(connection) as small:
        assert len(ok(api.get("/activities"))["items"]) == 3
    add(3, 27)
    # token, roles, teams, the page, participants, contacts, one per record type (2)
    with django_assert_max_num_queries(max(len(small.captured_queries), 8)):
        assert len(ok(api.get("/activities"))["items"]) == 30
    assert len(small.captured_queries) <= 8


def test_errors_in_chinese(api_as, world):
    data = problem(
        api_as(world.rep).post(
            "/activities", _body(world, subject=""), headers={"Accept-Language": "zh-hans"}
        ),
        422,
    )
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["title"])

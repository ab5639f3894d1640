"""/api/v1/notifications, /notification-preferences and /messenger-webhooks: the same rules as the pages,
problem+json for every refusal, bounded queries on the list, secrets never in an answer."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.models import MessengerWebhook, Notification, Team
from guanxi.core.tests.api.helpers import ApiClient, fields, ok, problem
from guanxi.core.tests.notifications_support import PING, QUIET, ping, test_events  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_events")]

URL = "https://oapi.dingtalk.com/robot/send?access_token=verysecrettoken42"
SECRET = "SEC0123456789abcdefSECRET"


@pytest.fixture
def ann(make_user):
    return make_user("ann")


def test_list_unread_count_mark_read_and_all(ann, api_as, make_user):
    api = api_as(ann)
    wang = make_user("wang")
    first = ping([ann], title="First", body="Body", actor=wang, url="/parties/1/")[0]
    ping([ann], title="Second")
    ping([make_user("bob")], title="Bob's")
    data = ok(api.get("/notifications"))
    assert [n["title"] for n in data["items"]] == ["Second", "First"] and data["next_cursor"] is None
    item = data["items"][1]
    assert item["actor"] == {"id": wang.pk, "username": "wang", "name": "wang"}
    assert (item["event"], item["event_label"], item["url"], item["unread"]) == (
        PING,
        "Notifications",
        "/parties/1/",
        True,
    )
    assert ok(api.get("/notifications/unread-count")) == {"unread": 2, "truncated": False}
    read = ok(api.post(f"/notifications/{first.pk}/read"))
    assert read["unread"] is False and read["read_at"]
    assert [n["title"] for n in ok(api.get("/notifications", {"state": "unread"}))["items"]] == ["Second"]
    assert ok(api.get(f"/notifications/{first.pk}"))["title"] == "First"
    assert ok(api.post("/notifications/read-all")) == {"marked": 1}
    assert ok(api.get("/notifications/unread-count"))["unread"] == 0


def test_someone_elses_notification_is_a_404_problem(ann, api_as, make_user):
    theirs = ping([make_user("bob")])[0]
    api = api_as(ann)
    problem(api.get(f"/notifications/{theirs.pk}"), 404)
    problem(api.post(f"/notifications/{theirs.pk}/read"), 404)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_read_only_token_reads_but_does_not_mark(ann, api_as):
    n = ping([ann])[0]
    api = api_as(ann, scope="read")
    ok(api.get("/notifications"))
    problem(api.post(f"/notifications/{n.pk}/read"), 403)
    problem(api.post("/notifications/read-all"), 403)


def test_pages_by_cursor_in_a_bounded_number_of_queries(ann, api_as, make_user):
    api = api_as(ann)
    actors = [make_user(f"a{i}") for i in range(3)]
    for i in range(3):
        ping([ann], title=f"N{i:02d}", actor=actors[i])
    api.get("/notifications")  # warm-up: the token's last use is written once a minute
    with CaptureQueriesContext(connection) as few:
        ok(api.get("/notifications", {"limit": 30}))
    for i in range(3, 30):
        ping([ann], title=f"N{i:02d}", actor=actors[i % 3])
    with CaptureQueriesContext(connection) as many:
        page = ok(api.get("/notifications", {"limit": 30}))
    assert len(page["items"]) == 30
    assert len(few.captured_queries) == len(many.captured_queries) <= 3  # token (+ user), the page
    first = ok(api.get("/notifications", {"limit": 10}))
    second = ok(api.get("/notifications", {"limit": 10, "cursor": first["next_cursor"]}))
    assert second["items"][0]["title"] == "N19"
    data = problem(api.get("/notifications", {"cursor": "garbage"}), 422)
    assert fields(data) == {"cursor"}
    problem(api.get("/notifications", {"state": "new"}), 422)


def test_preferences_get_and_update(ann, api_as):
    api = api_as(ann)
    rows = {r["event"]: r for r in ok(api.get("/notification-preferences"))}
    assert rows[PING] == {
        "event": PING,
        "label": "Notifications",
        "help": "A test event",
        "in_app": True,
        "email": True,
        "default_in_app": True,
        "default_email": True,
    }
    assert (rows[QUIET]["in_app"], rows[QUIET]["email"]) == (True, False)
    body = {"preferences": [{"event": PING, "email": False}, {"event": QUIET, "email": True, "in_app": None}]}
    rows = {r["event"]: r for r in ok(api.patch("/notification-preferences", body))}
    assert (rows[PING]["in_app"], rows[PING]["email"]) == (True, False)
    assert (rows[QUIET]["in_app"], rows[QUIET]["email"]) == (True, True)
    data = problem(
        api.patch("/notification-preferences", {"preferences": [{"event": "no.such", "email": True}]}), 422
    )
    assert fields(data) == {"event"}
    data = problem(
        api.patch("/notification-preferences", {"preferences": [{"event": PING, "sms": True}]}), 422
    )
    assert fields(data) == {"preferences.0.sms"}


def test_webhooks_for_administrators_with_secrets_never_shown(api, admin_user, make_user):
    east = Team.objects.create(name="East")
    body = {
        "team_id": east.pk,
        "name": "East group",
        "kind": "dingtalk",
        "url": URL,
        "secret": SECRET,
        "events": [PING],
    }
    hook = ok(api.post("/messenger-webhooks", body), 201)
    text = json.dumps(hook)
    assert "verysecrettoken42" not in text and SECRET not in text
    assert (hook["url_hint"], hook["has_secret"], hook["secret_hint"], hook["language"]) == (
        "https://oapi.dingtalk.com/…en42",
        True,
        "…CRET",
        "en",
    )
    assert hook["deliveries"] == [] and hook["team_name"] == "East"
    assert [h["id"] for h in ok(api.get("/messenger-webhooks", {"team": east.pk}))] == [hook["id"]]
    assert ok(api.get("/messenger-webhooks", {"team": east.pk + 1})) == []
    changed = ok(
        api.patch(f"/messenger-webhooks/{hook['id']}", {"version": 1, "name": "Renamed", "secret": ""})
    )
    assert (changed["name"], changed["has_secret"], changed["version"]) == ("Renamed", False, 2)
    assert MessengerWebhook.objects.get().url == URL  # kept
    problem(api.patch(f"/messenger-webhooks/{hook['id']}", {"version": 1, "name": "Late"}), 409)
    data = problem(
        api.post("/messenger-webhooks", {**body, "url": "http://example.com/x", "events": ["x.y"]}), 422
    )
    assert fields(data) == {"url", "events"}
    data = problem(api.post("/messenger-webhooks", {**body, "team_id": east.pk + 100}), 422)
    assert fields(data) == {"team_id"}
    problem(api.post("/messenger-webhooks", {**body, "kind": "slack"}), 422)
    ok(api.delete(f"/messenger-webhooks/{hook['id']}"), 204)
    problem(api.get(f"/messenger-webhooks/{hook['id']}"), 404)


def test_webhooks_are_refused_to_others(api_as, make_user, admin_user):
    east = Team.objects.create(name="East")
    rep = api_as(make_user("rep", teams=[east]))
    problem(rep.get("/messenger-webhooks"), 403)
    body = {"team_id": east.pk, "name": "G", "kind": "wecom", "url": URL, "events": [PING]}
    problem(rep.post("/messenger-webhooks", body), 403)
    problem(rep.post("/messenger-webhooks", {**body, "team_id": 10**6}), 403)  # no hint whether it exists
    assert not MessengerWebhook.objects.exists()


def test_no_credentials_no_notifications():
    problem(ApiClient().get("/notifications"), 401)
    problem(ApiClient().get("/notification-preferences"), 401)

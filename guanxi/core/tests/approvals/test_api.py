"""The approvals API: the same rules as the pages (404 for a document one may not see, 409 for a second
decision, 422 with field errors), problem+json throughout."""

from __future__ import annotations

import datetime as dt

import pytest

from guanxi.core.models import ApprovalProblem, TeamMembership
from guanxi.core.selectors.approvals import today
from guanxi.core.tests.api.helpers import ApiClient, fields, ok, problem
from guanxi.core.tests.approvals.support import WIDGET, level, rule, submit, widget

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world):
    TeamMembership.objects.create(team=world.north, user=world.max, is_manager=True)
    rule(world.admin, "Managers", levels=[level("team_manager", "any")])
    w = widget(world.anna, team=world.north, amount="12000")
    return w, submit(world.anna, w)


def test_inbox_then_approve_with_the_path(world, pending):
    w, req = pending
    mia = ApiClient(world.mia)
    inbox = ok(mia.get("/approvals/inbox"))
    assert inbox["count"] == 1 and inbox["next_cursor"] is None
    item = inbox["items"][0]
    assert (item["id"], item["title"], item["url"]) == (req.pk, f"Widget {w.name}", f"/widgets/{w.pk}/")
    assert {"field": "amount", "label": "Amount", "value": "12000.00", "shown": "12000.00"} in item["values"]
    detail = ok(mia.get(f"/approvals/{req.pk}"))
    assert detail["can_decide"] and detail["levels"][0]["approver_label"] == "Manager of North"
    done = ok(mia.post(f"/approvals/{req.pk}/approve", {"comment": "ok"}))
    assert done["status"] == "approved" and not done["can_decide"]
    step = next(s for s in done["levels"][0]["steps"] if s["approver"]["username"] == "mia")
    assert step["status"] == "approved" and step["comment"] == "ok"
    assert ok(mia.get("/approvals/inbox"))["count"] == 0


def test_a_second_decision_is_a_409_naming_who_decided(world, pending):
    _w, req = pending
    ok(ApiClient(world.mia).post(f"/approvals/{req.pk}/approve", {}))
    data = problem(ApiClient(world.max).post(f"/approvals/{req.pk}/reject", {"comment": "late"}), 409)
    assert "Already decided by mia" in data["title"]


def test_reject_needs_a_comment(world, pending):
    _w, req = pending
    data = problem(ApiClient(world.mia).post(f"/approvals/{req.pk}/reject", {"comment": " "}), 422)
    assert fields(data) == {"comment"}
    data = problem(ApiClient(world.mia).post(f"/approvals/{req.pk}/reject", {}), 422)
    assert fields(data) == {"comment"}


def test_who_may_not_see_the_document_gets_404(world, pending):
    _w, req = pending
    for user in (world.sam, world.eve):  # another team's rep; an executive who sees no widgets
        api = ApiClient(user)
        problem(api.get(f"/approvals/{req.pk}"), 404)
        problem(api.post(f"/approvals/{req.pk}/approve", {}), 404)
    problem(ApiClient(world.mia).get("/approvals/987654"), 404)


def test_segregation_and_strangers_are_403(world, pending):
    _w, req = pending
    data = problem(ApiClient(world.anna).post(f"/approvals/{req.pk}/approve", {}), 403)
    assert "segregation of duties" in data["title"]
    problem(ApiClient(world.ben).post(f"/approvals/{req.pk}/approve", {}), 403)
    assert ok(ApiClient(world.anna).get(f"/approvals/{req.pk}"))["can_decide"] is False


def test_read_tokens_may_read_but_not_decide(world, pending):
    _w, req = pending
    api = ApiClient(world.mia, scope="read")
    ok(api.get("/approvals/inbox"))
    problem(api.post(f"/approvals/{req.pk}/approve", {}), 403)


def test_rules_crud_for_administrators_only(world):
    api = ApiClient(world.admin)
    types = ok(api.get("/approval-types"))
    widget_type = next(t for t in types if t["document_type"] == WIDGET)
    assert [f["name"] for f in widget_type["fields"]] == ["amount", "discount_percent", "category"]
    body = {
        "document_type": WIDGET,
        "name": "Big",
        "conditions": [{"field": "amount", "op": "gt", "value": 10000}],
        "levels": [{"kind": "team_manager", "mode": "all"}, {"kind": "user", "user_id": world.admin.pk}],
    }
    created = ok(api.post("/approval-rules", body), 201)
    assert (
        created["conditions"][0]["value"] == "10000"
        and created["conditions"][0]["text"] == "Amount is over 10000"
    )
    second = ok(
        api.post(
            "/approval-rules", {**body, "name": "Rest", "conditions": [], "levels": [], "no_approval": True}
        ),
        201,
    )
    moved = ok(api.patch(f"/approval-rules/{second['id']}", {"version": second["version"], "position": 1}))
    assert moved["position"] == 1
    assert [r["name"] for r in ok(api.get("/approval-rules", {"document_type": WIDGET}))] == ["Rest", "Big"]
    changed = ok(api.patch(f"/approval-rules/{created['id']}", {"version": 1, "name": "Very big"}))
    assert changed["name"] == "Very big" and changed["levels"] == created["levels"]
    problem(api.patch(f"/approval-rules/{created['id']}", {"version": 1, "name": "Stale"}), 409)
    ok(api.delete(f"/approval-rules/{created['id']}"), 204)
    rep = ApiClient(world.anna)
    problem(rep.get("/approval-rules"), 403)
    problem(rep.post("/approval-rules", body), 403)
    problem(rep.get("/approval-types"), 403)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"document_type": "parties.party"}, "document_type"),
        ({"conditions": [{"field": "colour", "op": "gt", "value": 1}]}, "conditions[0]"),
        ({"conditions": [{"field": "amount", "op": "in", "value": 1}]}, "conditions[0]"),
        ({"conditions": [{"field": "amount", "op": "gt", "value": "lots"}]}, "conditions[0]"),
        ({"conditions": [{"field": "category", "op": "in", "value": ["purple"]}]}, "conditions[0]"),
        ({"levels": []}, "levels"),
        ({"levels": [{"kind": "role"}]}, "levels[0]"),
        ({"levels": [{"kind": "user", "user_id": 987654}]}, "levels[0]"),
        ({"no_approval": True}, "levels"),
    ],
)
def test_bad_rules_are_refused_by_field(world, change, field):
    body = {"document_type": WIDGET, "name": "R", "levels": [{"kind": "team_manager"}], **change}
    data = problem(ApiClient(world.admin).post("/approval-rules", body), 422)
    assert field in fields(data)


def test_no_matching_rule_through_an_api_is_a_422_and_a_problem_for_administrators(
    world, django_capture_on_commit_callbacks
):
    """An app's submit endpoint lets the error through; core's problem handler records it for administrators."""
    from ninja import NinjaAPI
    from ninja.testing import TestClient

    from guanxi.core.api import errors
    from guanxi.tests.plugin_app.services import widget_submit

    app = NinjaAPI(urls_namespace="approvals-test")
    errors.install(app)
    w = widget(world.anna)

    @app.post("/widgets/{pk}/submit")
    def submit_widget(request, pk: int):
        widget_submit(actor=request.user, widget=w)

    with django_capture_on_commit_callbacks(execute=True):
        resp = TestClient(app).post(f"/widgets/{w.pk}/submit", user=world.anna)
    assert resp.status_code == 422 and "No approval rule applies" in resp.json()["title"]
    problem_row = ApprovalProblem.objects.get()
    assert (problem_row.kind, problem_row.submitted_by) == ("no_rule", world.anna)


def test_delegations(world, pending):
    _w, req = pending
    mia, ben = ApiClient(world.mia), ApiClient(world.ben)
    start, end = today().isoformat(), (today() + dt.timedelta(days=2)).isoformat()
    made = ok(
        mia.post("/delegations", {"delegate_id": world.ben.pk, "starts_on": start, "ends_on": end}), 201
    )
    assert made["in_force"] and made["delegate"]["username"] == "ben"
    assert [d["id"] for d in ok(ben.get("/delegations", {"role": "received"}))["items"]] == [made["id"]]
    item = ok(ben.get("/approvals/inbox"))["items"][0]
    assert item["on_behalf_of"]["username"] == "mia"
    decided = ok(ben.post(f"/approvals/{req.pk}/approve", {"on_behalf_of": world.mia.pk}))
    step = next(s for s in decided["levels"][0]["steps"] if s["approver"]["username"] == "mia")
    assert step["on_behalf"] and step["decided_by"]["username"] == "ben"
    problem(ben.post(f"/delegations/{made['id']}/end", {}), 403)  # only the delegator ends it
    ended = ok(mia.post(f"/delegations/{made['id']}/end", {}))
    assert ended["status"] == "ended" and not ended["in_force"]
    problem(mia.post(f"/delegations/{made['id']}/end", {}), 409)
    problem(ApiClient(world.sam).post(f"/delegations/{made['id']}/end", {}), 404)
    bad = problem(
        mia.post("/delegations", {"delegate_id": world.mia.pk, "starts_on": start, "ends_on": start}), 422
    )
    assert fields(bad) == {"delegate"}
    bad = problem(
        mia.post("/delegations", {"delegate_id": 987654, "starts_on": start, "ends_on": start}), 422
    )
    assert fields(bad) == {"delegate"}


def test_the_inbox_endpoint_costs_the_same_for_3_rows_as_for_a_full_page(world, pending):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mia = ApiClient(world.mia)
    for i in range(2):
        submit(world.anna, widget(world.anna, name=f"W{i}", team=world.north))
    mia.get("/approvals/inbox")  # warm-up: the token's last use is written once a minute
    with CaptureQueriesContext(connection) as few:
        assert len(ok(mia.get("/approvals/inbox"))["items"]) == 3
    for i in range(2, 30):
        submit(world.anna, widget(world.anna, name=f"W{i}", team=world.north))
    with CaptureQueriesContext(connection) as many:
        page = ok(mia.get("/approvals/inbox", {"limit": 25}))
    assert len(page["items"]) == 25 and page["count"] == 31 and page["next_cursor"]
    assert len(many) == len(few) <= 8, [q["sql"][:80] for q in many.captured_queries]
    rest = ok(mia.get("/approvals/inbox", {"cursor": page["next_cursor"]}))
    assert len(rest["items"]) == 6

"""The approvals pages: the inbox (with the menu's count, a fixed number of queries per page), a request and
its decision, the Approval tab on the document's page, Settings → Approval rules and My delegation."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guanxi.core.models import ApprovalProblem, ApprovalRequest, ApprovalRule, TeamMembership
from guanxi.core.selectors.approvals import today
from guanxi.core.tests.approvals.support import WIDGET, level, rule, status_of, submit, widget

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def manager_rule(world):
    return rule(world.admin, "Managers", levels=[level("team_manager")])


def _rows(html: str) -> int:
    return html.count('class="card approval-row"')


def test_inbox_lists_documents_with_title_link_and_the_menu_count(world, manager_rule):
    w = widget(world.anna, team=world.north, amount="12000")
    req = submit(world.anna, w)
    mia = client_for(world.mia)
    html = mia.get("/approvals/").content.decode()
    assert f'href="/widgets/{w.pk}/">Widget Gizmo</a>' in html and f"/approvals/{req.pk}/" in html
    nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S).group(0)
    assert 'data-nav-badge="/nav/badge/approvals/"' in nav  # the count comes after the page
    badge = mia.get("/nav/badge/approvals/").content.decode()
    assert badge == '<span class="count" data-nav-count="approvals">1</span>'
    ben = client_for(world.ben)
    assert "Nothing is waiting for your approval." in ben.get("/approvals/").content.decode()
    assert ben.get("/nav/badge/approvals/").content == b""
    assert ben.get("/nav/badge/nothing/").status_code == 404


def test_inbox_costs_the_same_for_3_rows_as_for_a_full_page(world, manager_rule):
    client = client_for(world.mia)

    def grow(n):
        for i in range(n):
            submit(world.anna, widget(world.anna, name=f"W{i}", team=world.north))

    grow(3)
    client.get("/approvals/")  # warm-up
    with CaptureQueriesContext(connection) as few:
        assert _rows(client.get("/approvals/").content.decode()) == 3
    grow(27)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/approvals/").content.decode()
    assert _rows(html) == 25 and "cursor=" in html
    assert len(many) == len(few) <= 12, [q["sql"][:90] for q in many.captured_queries]
    nxt = re.search(r'href="\?show=waiting&amp;cursor=([^"]+)"', html).group(1)
    assert _rows(client.get(f"/approvals/?show=waiting&cursor={nxt}").content.decode()) == 5
    assert client.get("/approvals/?cursor=garbage").status_code == 302  # a stale link starts again


def test_submitted_by_me(world, manager_rule):
    submit(world.anna, widget(world.anna, team=world.north))
    html = client_for(world.anna).get("/approvals/?show=submitted").content.decode()
    assert _rows(html) == 1 and "Waiting for approval" in html


def test_approve_from_the_inbox_and_reject_from_the_request_page(world, manager_rule):
    w1, w2 = (
        widget(world.anna, name="One", team=world.north),
        widget(world.anna, name="Two", team=world.north),
    )
    r1, r2 = submit(world.anna, w1), submit(world.anna, w2)
    mia = client_for(world.mia)
    resp = mia.post(f"/approvals/{r1.pk}/decide/", {"decision": "approve", "next": "/approvals/"})
    assert resp.status_code == 302 and resp["Location"] == "/approvals/" and status_of(w1) == "approved"
    page = mia.get(f"/approvals/{r2.pk}/").content.decode()
    assert 'id="decide"' in page and "Approval path" in page
    resp = mia.post(f"/approvals/{r2.pk}/decide/", {"decision": "reject", "comment": ""})
    assert resp.status_code == 422 and "Say why you reject it" in resp.content.decode()
    mia.post(f"/approvals/{r2.pk}/decide/", {"decision": "reject", "comment": "Too dear"})
    assert status_of(w2) == "rejected"
    again = mia.post(f"/approvals/{r2.pk}/decide/", {"decision": "approve"}, follow=True).content.decode()
    assert "Already decided by mia" in again
    path = mia.get(f"/approvals/{r2.pk}/").content.decode()
    assert "Too dear" in path and 'id="decide"' not in path


def test_the_requester_sees_why_she_may_not_decide(world, manager_rule):
    req = submit(world.anna, widget(world.anna, team=world.north))
    html = client_for(world.anna).get(f"/approvals/{req.pk}/").content.decode()
    assert 'id="decide"' not in html and "Withdraw" in html
    resp = client_for(world.anna).post(f"/approvals/{req.pk}/decide/", {"decision": "approve"}, follow=True)
    assert (
        "This request is not waiting for your approval." in resp.content.decode()
        or "segregation" in resp.content.decode()
    )


def test_who_may_not_see_the_document_gets_404(world, manager_rule):
    req = submit(world.anna, widget(world.anna, team=world.north))
    for user in (world.sam, world.eve):
        c = client_for(user)
        assert c.get(f"/approvals/{req.pk}/").status_code == 404
        assert c.post(f"/approvals/{req.pk}/decide/", {"decision": "approve"}).status_code == 404


def test_the_documents_page_shows_the_approval_path_and_the_decision(world, manager_rule):
    w = widget(world.anna, team=world.north)
    assert (
        "Not submitted for approval yet."
        in client_for(world.anna).get(f"/widgets/{w.pk}/?tab=approval").content.decode()
    )
    resp = client_for(world.anna).post(f"/widgets/{w.pk}/submit/", follow=True)
    assert "Submitted." in resp.content.decode()
    html = client_for(world.mia).get(f"/widgets/{w.pk}/?tab=approval").content.decode()
    assert 'class="approval-path"' in html and "Manager of North" in html and 'id="decide"' in html
    assert f'name="next" value="/widgets/{w.pk}/?tab=approval"' in html
    req = ApprovalRequest.objects.get()
    next_url = f"/widgets/{w.pk}/?tab=approval"
    resp = client_for(world.mia).post(
        f"/approvals/{req.pk}/decide/", {"decision": "approve", "comment": "Looks right", "next": next_url}
    )
    assert resp["Location"] == next_url
    html = client_for(world.anna).get(f"/widgets/{w.pk}/?tab=approval").content.decode()
    assert "Looks right" in html and "status-approved" in html


def test_a_submission_no_rule_covers_is_shown_to_submitter_and_administrator(
    world, django_capture_on_commit_callbacks
):
    w = widget(world.anna)
    with django_capture_on_commit_callbacks(execute=True):  # (the test runs inside a transaction)
        resp = client_for(world.anna).post(f"/widgets/{w.pk}/submit/", follow=True)
    assert "No approval rule applies to this document" in resp.content.decode()
    problem = ApprovalProblem.objects.get()
    html = client_for(world.admin).get("/settings/approval-rules/").content.decode()
    assert 'id="approval-problems"' in html and "Widget Gizmo" in html and "no rule applied" in html
    assert "No active rule: no document of this type can be submitted for approval." in html
    client_for(world.admin).post(f"/settings/approval-rules/problems/{problem.pk}/dismiss/")
    assert (
        'id="approval-problems"'
        not in client_for(world.admin).get("/settings/approval-rules/").content.decode()
    )


def test_rules_pages_are_for_administrators(world, manager_rule):
    rep = client_for(world.anna)
    assert rep.get("/settings/approval-rules/").status_code == 403
    assert rep.get(f"/settings/approval-rules/new/{WIDGET}/").status_code == 403
    assert rep.get(f"/settings/approval-rules/{manager_rule.pk}/").status_code == 403
    assert rep.post(f"/settings/approval-rules/{manager_rule.pk}/delete/").status_code == 403
    assert ApprovalRule.objects.filter(pk=manager_rule.pk).exists()
    assert client_for(world.admin).get("/settings/approval-rules/new/parties.party/").status_code == 404


def test_an_administrator_makes_and_changes_a_rule(world):
    admin = client_for(world.admin)
    url = f"/settings/approval-rules/new/{WIDGET}/"
    form = admin.get(url).content.decode()
    assert 'name="cond_amount_op"' in form and 'name="level_0_approver"' in form
    data = {
        "name": "Big ones",
        "is_active": "on",
        "cond_amount_op": "gt",
        "cond_amount_value": "lots",  # bad
        "cond_category_op": "in",
        "cond_category_value": ["custom", "hazardous"],
        "level_0_approver": "team_manager",
        "level_0_mode": "all",
        "level_1_approver": f"user:{world.admin.pk}",
        "level_1_mode": "any",
    }
    resp = admin.post(url, data)
    page = resp.content.decode()
    assert resp.status_code == 422 and "Enter a number" in page
    assert 'value="Big ones"' in page and 'value="lots"' in page  # nothing typed is lost
    resp = admin.post(url, {**data, "cond_amount_value": "10,000"})
    assert resp.status_code == 302
    made = ApprovalRule.objects.get(document_type="plugin_app.widget")  # apps ship presets of their own
    assert made.conditions == [
        {"field": "amount", "op": "gt", "value": "10000"},
        {"field": "category", "op": "in", "value": ["custom", "hazardous"]},
    ]
    assert [(lv.kind, lv.mode) for lv in made.levels.all()] == [("team_manager", "all"), ("user", "any")]
    listing = admin.get("/settings/approval-rules/").content.decode()
    assert "Amount is over 10000" in listing and "Category is one of Custom, Hazardous" in listing
    assert "Documents that match none of these rules cannot be submitted." in listing
    edit = admin.get(f"/settings/approval-rules/{made.pk}/").content.decode()
    assert 'value="10000"' in edit and '<option value="team_manager" selected>' in edit
    stale = admin.post(
        f"/settings/approval-rules/{made.pk}/", {**data, "cond_amount_value": "1", "version": "0"}
    )
    assert stale.status_code == 422 and "Someone else changed this rule" in stale.content.decode()
    admin.post(f"/settings/approval-rules/{made.pk}/", {**data, "cond_amount_value": "1", "version": "1"})
    made.refresh_from_db()
    assert made.conditions[0]["value"] == "1" and made.version == 2


def test_rules_move_up_and_down(world):
    a = rule(world.admin, "A", levels=[level("team_manager")])
    b = rule(world.admin, "B", levels=[level("team_manager")])
    client_for(world.admin).post(f"/settings/approval-rules/{b.pk}/move/", {"direction": "up"})
    assert list(
        ApprovalRule.objects.filter(document_type="plugin_app.widget")
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["B", "A"]
    client_for(world.admin).post(f"/settings/approval-rules/{b.pk}/move/", {"direction": "down"})
    assert list(
        ApprovalRule.objects.filter(document_type="plugin_app.widget")
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["A", "B"]
    assert a.pk


def test_my_delegation_page(world, manager_rule):
    mia = client_for(world.mia)
    html = mia.get("/settings/delegation/").content.decode()
    assert "You have not delegated your approvals." in html
    bad = mia.post(
        "/settings/delegation/", {"delegate": world.ben.pk, "starts_on": today(), "ends_on": "2000-01-01"}
    )
    assert bad.status_code == 422 and "The end date is before the start date." in bad.content.decode()
    ok = mia.post(
        "/settings/delegation/",
        {"delegate": world.ben.pk, "starts_on": today(), "ends_on": today(), "note": "Trip"},
    )
    assert ok.status_code == 302
    html = mia.get("/settings/delegation/").content.decode()
    assert "In force" in html and "ben" in html
    received = client_for(world.ben).get("/settings/delegation/").content.decode()
    assert "mia" in received and "Trip" in received
    submit(world.anna, widget(world.anna, team=world.north))
    inbox = client_for(world.ben).get("/approvals/").content.decode()
    assert "for mia (delegated)" in inbox
    from guanxi.core.models import ApprovalDelegation

    d = ApprovalDelegation.objects.get()
    assert client_for(world.ben).post(f"/settings/delegation/{d.pk}/end/").status_code == 404
    mia.post(f"/settings/delegation/{d.pk}/end/")
    d.refresh_from_db()
    assert d.status == "ended"
    assert TeamMembership.objects.exists()


def test_the_path_tag_renders_the_path_anywhere(world, manager_rule, rf):
    from django.template import Context, Template

    w = widget(world.anna, team=world.north)
    submit(world.anna, w)
    request = rf.get("/somewhere/?x=1")
    request.user = world.mia
    html = Template("{% load approvals %}{% approval_path obj %}").render(
        Context({"obj": w, "request": request})
    )
    assert 'class="approval-path"' in html and 'id="decide"' in html
    assert 'name="next" value="/somewhere/?x=1"' in html

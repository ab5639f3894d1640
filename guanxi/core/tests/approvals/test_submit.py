"""Submitting: the first matching rule (by order) applies, thresholds and categories decide which, its
approvers are resolved per level (role, named user, the team's manager), and a document no rule covers is an
error for the submitter and a problem for the administrators — never a silent pass."""

from __future__ import annotations

import pytest

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import ApprovalProblem, ApprovalRequest
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.services.approvals import ApprovalSetupError
from guanxi.core.tests.approvals.support import level, role_id, rule, status_of, submit, widget

pytestmark = pytest.mark.django_db


def _approvers(req, position=1):
    return {s.approver.username: s.status for s in req.steps.filter(stage__position=position)}


def test_thresholds_and_rule_order_pick_the_rule(world):
    big = rule(
        world.admin,
        "Big",
        conditions=[{"field": "amount", "op": "gt", "value": "10000"}],
        levels=[level("user", user_id=world.mia.pk), level("user", user_id=world.admin.pk)],
    )
    rule(
        world.admin,
        "Hazardous",
        conditions=[{"field": "category", "op": "in", "value": ["hazardous"]}],
        levels=[level("user", user_id=world.admin.pk)],
    )
    rule(world.admin, "Small", levels=[level("team_manager")])
    cases = [
        ("10000.01", "standard", "Big"),
        ("10000", "hazardous", "Hazardous"),
        ("10000", "standard", "Small"),
        ("20000", "hazardous", "Big"),
    ]  # the first match wins
    for amount, category, expected in cases:
        req = submit(world.anna, widget(world.anna, amount=amount, category=category, team=world.north))
        assert req.rule_name == expected, (amount, category)
    assert big.position == 1


def test_moving_a_rule_changes_which_applies(world):
    from guanxi.core.services.approval_rules import approval_rule_move

    rule(world.admin, "Everything", levels=[level("team_manager")])
    big = rule(
        world.admin,
        "Big",
        conditions=[{"field": "amount", "op": "gte", "value": "5000"}],
        levels=[level("user", user_id=world.admin.pk)],
    )
    assert submit(world.anna, widget(world.anna, amount="6000", team=world.north)).rule_name == "Everything"
    approval_rule_move(actor=world.admin, rule=big, position=1)
    assert submit(world.anna, widget(world.anna, amount="6000", team=world.north)).rule_name == "Big"


def test_discount_over_n_percent_and_conditions_are_anded(world):
    rule(
        world.admin,
        "Deep discount on custom",
        conditions=[
            {"field": "discount_percent", "op": "gt", "value": "15"},
            {"field": "category", "op": "in", "value": ["custom"]},
        ],
        levels=[level("user", user_id=world.admin.pk)],
    )
    rule(world.admin, "Rest", no_approval=True)
    assert (
        submit(world.anna, widget(world.anna, discount="15.5", category="custom")).rule_name
        == "Deep discount on custom"
    )
    assert submit(world.anna, widget(world.anna, discount="15", category="custom")).rule_name == "Rest"
    assert submit(world.anna, widget(world.anna, discount="30", category="standard")).rule_name == "Rest"


def test_a_rule_that_says_no_approval_approves_at_once(world):
    rule(world.admin, "Small ones", no_approval=True)
    w = widget(world.anna)
    req = submit(world.anna, w)
    assert req.status == "approved" and status_of(w) == "approved"
    assert not req.steps.exists()


def test_no_matching_rule_is_an_error_and_a_problem_for_administrators(
    world, django_capture_on_commit_callbacks
):
    rule(
        world.admin,
        "Big",
        conditions=[{"field": "amount", "op": "gt", "value": "10000"}],
        levels=[level("user", user_id=world.admin.pk)],
    )
    w = widget(world.anna, amount="50")
    with pytest.raises(ApprovalSetupError) as caught:
        submit(world.anna, w)
    assert "No approval rule applies" in str(caught.value.message)
    assert not ApprovalRequest.objects.exists() and status_of(w) == "draft"  # nothing was submitted
    with django_capture_on_commit_callbacks(execute=True):  # (the test runs inside a transaction)
        caught.value.after_rollback()
    problem = ApprovalProblem.objects.get()
    assert (problem.kind, problem.object_id, problem.submitted_by) == ("no_rule", str(w.pk), world.anna)
    assert problem.values["amount"] == "50.00"


def test_inactive_rules_are_skipped(world):
    rule(world.admin, "Off", levels=[level("user", user_id=world.admin.pk)], is_active=False)
    with pytest.raises(ApprovalSetupError):
        submit(world.anna, widget(world.anna))


def test_approvers_by_role_named_user_and_team_manager(world, make_user):
    make_user("mgr2", roles=[SALES_MANAGER], manager_of=[world.north])
    rule(
        world.admin,
        "Three levels",
        levels=[
            level("team_manager", "all"),
            level("role", role_id=role_id(SALES_MANAGER)),
            level("user", user_id=world.admin.pk),
        ],
    )
    req = submit(world.anna, widget(world.anna, team=world.north))
    assert _approvers(req, 1) == {"mia": "pending", "mgr2": "pending"}  # North's managers, not South's
    # The sales managers who may see the widget; Max (South) may not, so he is skipped with the reason.
    assert _approvers(req, 2) == {"mia": "waiting", "mgr2": "waiting", "max": "skipped"}
    assert req.steps.get(approver=world.max).skip_reason == "no_access"
    assert _approvers(req, 3) == {"admin": "waiting"}
    assert (req.current_level, req.level_count) == (1, 3)


def test_a_team_manager_level_without_a_team_fails_clearly(world):
    rule(world.admin, "Manager", levels=[level("team_manager")])
    with pytest.raises(ApprovalSetupError) as caught:
        submit(world.anna, widget(world.anna, team=None))
    assert "Level 1 (Team manager) has nobody to approve it" in str(caught.value.message)


def test_segregation_skips_the_requester_and_the_last_changer(
    world, make_user, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from guanxi.core.models import Team
    from guanxi.tests.plugin_app.services import widget_change_amount

    rule(world.admin, "Managers", levels=[level("team_manager")])
    east = Team.objects.create(name="East")
    boss = make_user("boss", roles=["sales_manager", "sales_rep"], manager_of=[east])
    w = widget(boss, team=east)  # the team's only manager is the requester
    with pytest.raises(ApprovalSetupError) as caught:
        submit(boss, w)
    assert "nobody else to approve it: boss (requested it)" in str(caught.value.message)
    with django_capture_on_commit_callbacks(execute=True):
        caught.value.after_rollback()
    assert ApprovalProblem.objects.get().kind == "no_approver"

    helper = make_user("helper", roles=["sales_manager", "sales_rep"], manager_of=[world.north])
    w2 = widget(world.anna, team=world.north)
    widget_change_amount(actor=helper, widget=w2, amount=Decimal("999"))  # the helper changed the amount
    req = submit(world.anna, w2)
    assert _approvers(req) == {"mia": "pending", "helper": "skipped"}
    assert req.steps.get(approver=helper).skip_reason == "last_changer" and req.last_changed_by == helper


def test_submitting_twice_is_refused_unless_the_values_changed(world):
    from decimal import Decimal

    from guanxi.tests.plugin_app.services import widget_change_amount

    rule(world.admin, "Managers", levels=[level("team_manager")])
    w = widget(world.anna, team=world.north)
    first = submit(world.anna, w)
    with pytest.raises(ConflictError):
        submit(world.anna, w)
    widget_change_amount(actor=world.anna, widget=w, amount=Decimal("150"))
    second = submit(world.anna, w)
    first.refresh_from_db()
    assert first.status == "cancelled" and second.status == "pending"
    assert not first.steps.filter(status="pending").exists()


def test_only_who_may_change_the_document_submits_it(world):
    rule(world.admin, "Managers", levels=[level("team_manager")])
    w = widget(world.anna, team=world.north)
    from guanxi.core.exceptions import NotFoundError
    from guanxi.core.services.approvals import approval_submit

    with pytest.raises(NotFoundError):
        approval_submit(actor=world.sam, obj=w)  # may not even see it
    with pytest.raises(PermissionDeniedError):
        approval_submit(actor=world.mia, obj=w)  # sees it (team scope) but may not change it

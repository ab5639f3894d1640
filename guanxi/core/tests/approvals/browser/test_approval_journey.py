"""The approvals journey in a real browser: an administrator sets up a rule, user A submits a widget, user B
(A's team manager) sees it counted in the menu and approves it from the inbox — in English at desktop width
and in Chinese on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core.models import ApprovalRequest, ApprovalRule, Team
from guanxi.core.roles import SALES_MANAGER, SALES_REP
from guanxi.core.tests.approvals.support import widget
from guanxi.core.tests.browser.support import CASES, as_user, follow, shot
from guanxi.tests.plugin_app.models import Widget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "rules": "Approval rules",
        "new": "New rule",
        "save": "Save rule",
        "saved": "Amount is over 1000",
        "approvals": "Approvals",
        "approve": "Approve",
        "open": "Open and decide",
        "empty": "Nothing is waiting for your approval.",
        "approved": "Approved",
        "tab": "Approval",
        "manager": "Manager of North",
    },
    "zh-hans": {
        "rules": "审批规则",
        "new": "新建规则",
        "save": "保存规则",
        "saved": "Amount超过 1000",
        "approvals": "审批",
        "approve": "同意",
        "open": "查看并审批",
        "empty": "没有等待您审批的单据。",
        "approved": "已通过",
        "tab": "审批",
        "manager": "North 的负责人",
    },
}


def _menu(page, width):
    if width < 700:
        page.locator("[data-menu-toggle]").click()
    return page.locator("#sidenav")


@CASES
def test_set_up_a_rule_submit_and_approve_from_the_inbox(
    page, live_server, admin_user, make_user, lang, viewport
):
    t = TEXT[lang]
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.set_default_timeout(10_000)
    north = Team.objects.create(name="North")
    anna = make_user("anna", roles=[SALES_REP], teams=[north])
    mia = make_user("mia", roles=[SALES_MANAGER], manager_of=[north])
    mia.first_name, mia.last_name = ("Mia", "Li") if lang == "en" else ("敏", "李")
    mia.save()
    w = widget(anna, name="Gearbox", amount="2500", team=north)

    # 1. The administrator: the page warns that nothing can be submitted yet; a rule fixes that.
    as_user(page, live_server, admin_user, lang)
    page.goto(f"{live_server.url}/settings/approval-rules/")
    expect(page.locator("h1")).to_have_text(t["rules"])
    widgets = page.locator('.rule-type[data-document="plugin_app.widget"]')
    expect(widgets.locator(".msg.warning")).to_be_visible()
    follow(page, widgets.get_by_role("link", name=t["new"]))
    page.fill("#id_name", "Big widgets" if lang == "en" else "大额小部件")
    page.select_option("#id_cond_amount_op", "gt")
    page.fill("#id_cond_amount_value", "1000")
    page.select_option("#id_level_0_approver", "team_manager")
    shot(page, f"approval-rule-form-{lang}-{width}")
    follow(page, page.get_by_role("button", name=t["save"]))
    expect(widgets.locator("table.rules")).to_contain_text(t["saved"])
    shot(page, f"approval-rules-{lang}-{width}")
    assert ApprovalRule.objects.get(document_type="plugin_app.widget").conditions == [
        {"field": "amount", "op": "gt", "value": "1000"}
    ]

    # 2. User A submits her widget; its page shows the path.
    as_user(page, live_server, anna, lang)
    page.goto(f"{live_server.url}/widgets/{w.pk}/")
    follow(page, page.locator("#widget-submit"))
    expect(page.locator("#widget-status")).to_have_text("Submitted")
    expect(page.locator(".approval-path")).to_contain_text(t["manager"])
    shot(page, f"approval-widget-submitted-{lang}-{width}")

    # 3. User B sees the count in the menu, opens the inbox and approves.
    as_user(page, live_server, mia, lang)
    page.goto(f"{live_server.url}/settings/delegation/")
    shot(page, f"approval-delegation-{lang}-{width}")
    nav = _menu(page, width)
    expect(nav.locator('[data-nav-count="approvals"]')).to_have_text("1")
    shot(page, f"approval-menu-count-{lang}-{width}")
    follow(page, nav.get_by_role("link", name=t["approvals"]).first)
    row = page.locator(".approval-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Widget Gearbox")
    expect(row).to_contain_text("2500.00")
    shot(page, f"approval-inbox-{lang}-{width}")
    follow(page, row.get_by_role("link", name=t["open"]))
    expect(page.locator("#decide")).to_be_visible()
    shot(page, f"approval-request-{lang}-{width}")
    page.go_back()
    follow(page, row.get_by_role("button", name=t["approve"]))
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(".approval-list")).to_contain_text(t["empty"])
    shot(page, f"approval-inbox-done-{lang}-{width}")
    assert Widget.objects.get(pk=w.pk).status == "approved"
    assert ApprovalRequest.objects.get().status == "approved"

    # The document's page shows who approved, and when.
    as_user(page, live_server, anna, lang)
    page.goto(f"{live_server.url}/widgets/{w.pk}/?tab=approval")
    expect(page.locator(".approval-tab .status-approved").first).to_have_text(t["approved"])
    expect(page.locator(".approval-path .step-approved")).to_contain_text(str(mia))
    shot(page, f"approval-path-{lang}-{width}")


DELEGATED = {
    "en": {
        "reject": "Reject",
        "behalf": "on behalf of",
        "rejected": "Rejected",
        "why": "Say why you reject it",
    },
    "zh-hans": {"reject": "驳回", "behalf": "代", "rejected": "已驳回", "why": "请说明驳回原因"},
}


@CASES
def test_a_delegate_rejects_on_behalf_with_a_comment(
    page, live_server, admin_user, make_user, lang, viewport
):
    """Mia is away and delegated to Ben: he sees her approval, must give a reason to reject, and the path says
    he decided on her behalf."""
    from guanxi.core.selectors.approvals import today
    from guanxi.core.services.approval_delegations import approval_delegation_create
    from guanxi.core.tests.approvals.support import level, rule, submit

    t = DELEGATED[lang]
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.set_default_timeout(10_000)
    north = Team.objects.create(name="North")
    anna = make_user("anna", roles=[SALES_REP], teams=[north])
    ben = make_user("ben", roles=[SALES_REP], teams=[north])
    mia = make_user("mia", roles=[SALES_MANAGER], manager_of=[north])
    rule(admin_user, "Managers", levels=[level("team_manager"), level("user", user_id=admin_user.pk)])
    w = widget(anna, name="Flywheel", amount="800", team=north)
    req = submit(anna, w)
    approval_delegation_create(actor=mia, delegate=ben, starts_on=today(), ends_on=today(), note="Trip")

    as_user(page, live_server, ben, lang)
    page.goto(f"{live_server.url}/approvals/")
    expect(page.locator(".approval-row .behalf")).to_contain_text("mia")
    follow(page, page.locator(".approval-row a.button"))
    follow(page, page.get_by_role("button", name=t["reject"]))
    expect(page.locator("#decide .error")).to_contain_text(t["why"])  # nothing decided without a reason
    page.fill("#decide textarea", "Price too low" if lang == "en" else "价格太低")
    follow(page, page.get_by_role("button", name=t["reject"]))
    expect(page.locator("#request-status")).to_have_text(t["rejected"])
    expect(page.locator(".approval-path .behalf")).to_contain_text(t["behalf"])
    expect(page.locator(".approval-path .comment")).to_be_visible()
    shot(page, f"approval-rejected-on-behalf-{lang}-{width}")
    req.refresh_from_db()
    assert req.status == "rejected" and Widget.objects.get(pk=w.pk).status == "rejected"

"""A supplier moved through its lifecycle in a real browser. The Buyer who holds a candidate supplier opens its
"Supplier status" tab, qualifies it (first without a reason: refused on its field, nothing changed; then with
one: qualified at once, back on the tab with the step listed), then asks to approve it and lands on the step's
page: waiting for approval, and no decision form for the proposer. The Procurement Manager opens the request
from Approvals and approves it; the step reads "Applied" and the tab shows the supplier approved.
The Procurement Manager then blocks it, at once, and the Buyer is told. A Sales Rep of the team opens the same
party (a customer too) and sees no "Supplier status" tab. In English at 1280 px and in 简体中文 at 390 px
(nothing wider than the screen, no CSP violation, none of the feature's English left on a Chinese page).
Screenshots: /tmp/shots/lifecycle-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import ApprovalRule, Notification, Team
from guanxi.core.tests.browser.support import CASES, Journey, follow, tr
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import SupplierStatusChange
from guanxi.suppliers.services.lifecycle import lifecycle_rule_ensure
from guanxi.suppliers.tests.qualification_support import base_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPPLIER = "苏州精密五金有限公司"
QUALIFY = "营业执照、ISO 9001 证书齐全，样品检验合格"
APPROVE = "审厂合格，首批试产良率 99.2%"
BLOCK = "连续两批来料不良，质量事故待整改"
# What the journey shows of the feature: on a Chinese page none of it may be left in English.
SHOWN = [
    "Supplier status",
    "needs approval",
    "The status changes only by",
    "No lifecycle step yet",
    "Qualify",
    "Make preferred",
    "Put on hold",
    "Phase out",
    "Unblock",
    "Candidate",
    "Qualified",
    "Approved",
    "Blocked",
    "is now",
    "Reason",
    "Step",
    "State",
    "Proposed by",
    "When",
    "Cancel",
    "This field is required",
    "This step waits for someone",
    "The step waits for approval",
    "Submit for approval",
    "Status change of",
    "Waiting for approval",
    "Applied",
    "Withdraw",
    "Approval",
    "Open and decide",
    "New status",
    "Status before",
    "Supplier status change",
]


@CASES
def test_a_buyer_qualifies_a_supplier_a_procurement_manager_approves_then_blocks_it(
    page, live_server, make_user, admin_user, lang, viewport
):
    def S(text: str) -> str:  # a supplier status: translated in its own context
        return tr(lang, text, "supplier status")

    url = live_server.url
    east = Team.objects.create(name="East")
    buyer = make_user("emily", roles=[R.BUYER], teams=[east], language=lang)
    manager = make_user("liu", roles=[R.PROCUREMENT_MANAGER], language=lang)
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language=lang)
    lifecycle_rule_ensure()  # after make_user: the rule names the Procurement Manager role, synced there
    rule = ApprovalRule.objects.get(document_type="suppliers.supplierstatuschange").name
    supplier = make_org(admin_user, SUPPLIER, customer=True, supplier=True, owner=buyer)
    base_documents(buyer, supplier)  # approving needs them
    assert supplier.supplier_status == "candidate"
    party_url = f"{url}{supplier.get_absolute_url()}"
    tab_url = f"{party_url}?tab=supplier_status"

    # The rule's name is data, bilingual on purpose ("供应商状态变更 / Supplier status changes").
    j = Journey(page, live_server, lang, viewport, prefix="lifecycle", shown=SHOWN, ignore=[rule])
    T, check = j.T, j.check
    panel = page.locator("#tabpanel")
    status = panel.locator("#supplier-status")
    actions = panel.locator("#lifecycle-actions")
    steps = panel.locator("table.status-changes tbody tr")

    def action(key: str):
        return actions.locator(f'a[href="/suppliers/{supplier.pk}/status/{key}/"]')

    def step_text(before: str, after: str) -> str:
        return f"{S(before)} → {S(after)}"

    # 1. The Buyer: the supplier's status tab, a candidate with no step yet; qualify it.
    j.as_user(buyer)
    page.goto(party_url)
    tab = page.get_by_role("tab", name=T("Supplier status"))
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(status).to_have_text(S("Candidate"))
    expect(actions.locator("a")).to_have_text([T("Qualify"), T("Block"), T("Phase out")])
    expect(action("block")).to_have_class("button small danger")
    expect(steps).to_have_count(1)
    expect(steps).to_have_text(T("No lifecycle step yet: a new supplier starts as a candidate."))
    check("tab-candidate")
    follow(page, action("qualify"))
    assert page.url == f"{url}/suppliers/{supplier.pk}/status/qualify/"
    expect(page.locator("h1")).to_have_text(f"{T('Qualify')}: {SUPPLIER}")
    expect(page.locator("#status-step")).to_have_text(step_text("Candidate", "Qualified"))
    expect(page.locator("p.msg.info")).to_have_count(0)  # qualifying needs no approval
    form = page.locator("#status-change-form")

    # The reason left empty: refused on its field, nothing changed.
    follow(page, form.get_by_role("button", name=T("Qualify"), exact=True))
    reason = form.locator(".field.has-error")
    expect(reason).to_have_count(1)
    expect(reason.locator("#id_reason")).to_be_visible()
    expect(reason.locator("p.error")).to_have_text(T("This field is required."))
    assert not SupplierStatusChange.objects.exists()
    check("qualify-error")

    # With a reason: applied at once, back on the tab.
    form.locator("#id_reason").fill(QUALIFY)
    follow(page, form.get_by_role("button", name=T("Qualify"), exact=True))
    assert page.url == tab_url
    expect(page.locator(".msg.success")).to_have_text(
        T("%(name)s is now %(status)s.") % {"name": SUPPLIER, "status": S("Qualified")}
    )
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(status).to_have_text(S("Qualified"))
    expect(steps).to_have_count(1)
    expect(steps.locator("td").first).to_have_text(step_text("Candidate", "Qualified"))
    expect(steps).to_contain_text(QUALIFY)
    expect(steps.locator(".status")).to_have_text(T("Applied"))
    expect(action("approve")).to_have_text(f"{T('Approve')} · {T('needs approval')}")
    assert Party.objects.get(pk=supplier.pk).supplier_status == "qualified"
    check("tab-qualified")

    # 2. Approve: waits for someone else; the step's page, no decision form for the proposer.
    follow(page, action("approve"))
    expect(page.locator("h1")).to_have_text(f"{T('Approve')}: {SUPPLIER}")
    expect(page.locator("#status-step")).to_have_text(step_text("Qualified", "Approved"))
    expect(page.locator("p.msg.info")).to_have_text(
        T("This step waits for someone else's approval: the status changes once it is approved.")
    )
    form.locator("#id_reason").fill(APPROVE)
    check("approve-form")
    follow(page, form.get_by_role("button", name=T("Submit for approval")))
    change = SupplierStatusChange.objects.get(action="approve")
    assert page.url == f"{url}/suppliers/status-changes/{change.pk}/"
    assert (change.state, change.to_status) == ("pending", "approved")
    assert Party.objects.get(pk=supplier.pk).supplier_status == "qualified"
    expect(page.locator(".msg.success")).to_have_text(
        T("The step waits for approval: the status changes once someone else approves it.")
    )
    expect(page.locator("h1")).to_have_text(T("Status change of %(name)s") % {"name": SUPPLIER})
    state = page.locator("#change-state")
    expect(state).to_have_text(T("Waiting for approval"))
    expect(state).to_have_class("status status-pending")
    props = page.locator("dl.props").first
    expect(props).to_contain_text(APPROVE)
    expect(props).to_contain_text(step_text("Qualified", "Approved"))
    expect(page.get_by_role("button", name=T("Withdraw"))).to_be_visible()
    expect(page.locator("#decide")).to_have_count(0)  # the proposer does not approve their own step
    check("step-pending")

    # 3. The Procurement Manager: Approvals, open the request, approve it.
    j.approve_from_inbox(manager, SUPPLIER, T("Supplier status change"))
    assert SupplierStatusChange.objects.get(pk=change.pk).state == "applied"

    # 4. The step is applied; the tab shows the supplier approved.
    follow(page, page.locator(".pagehead h1 a"))
    assert page.url == f"{url}/suppliers/status-changes/{change.pk}/"
    expect(state).to_have_text(T("Applied"))
    expect(state).to_have_class("status status-approved")
    expect(page.get_by_role("button", name=T("Withdraw"))).to_have_count(0)
    check("step-applied")
    follow(page, page.locator("dl.props").first.get_by_role("link", name=SUPPLIER))
    assert page.url == tab_url
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(status).to_have_text(S("Approved"))
    expect(steps).to_have_count(2)
    newest = steps.first
    expect(newest.locator("td").first).to_have_text(step_text("Qualified", "Approved"))
    expect(newest).to_contain_text(APPROVE)
    expect(newest.locator(".status")).to_have_text(T("Applied"))
    expect(newest.locator(".status")).to_have_class("status status-approved")
    assert Party.objects.get(pk=supplier.pk).supplier_status == "approved"
    check("tab-approved")

    # 5. The Procurement Manager blocks it: at once, and the Buyer who holds it is told.
    expect(action("block")).to_have_text(T("Block"))
    follow(page, action("block"))
    expect(page.locator("#status-step")).to_have_text(step_text("Approved", "Blocked"))
    expect(page.locator("p.msg.info")).to_have_count(0)
    block = form.get_by_role("button", name=T("Block"), exact=True)
    expect(block).to_have_class("danger")
    form.locator("#id_reason").fill(BLOCK)
    follow(page, block)
    assert page.url == tab_url
    expect(page.locator(".msg.success")).to_have_text(
        T("%(name)s is now %(status)s.") % {"name": SUPPLIER, "status": S("Blocked")}
    )
    expect(status).to_have_text(S("Blocked"))
    expect(steps).to_have_count(3)
    expect(steps.first.locator("td").first).to_have_text(step_text("Approved", "Blocked"))
    expect(steps.first).to_contain_text(BLOCK)
    expect(actions.locator("a")).to_have_text([f"{T('Unblock')} · {T('needs approval')}", T("Phase out")])
    assert Party.objects.get(pk=supplier.pk).supplier_status == "blocked"
    assert Notification.objects.filter(recipient=buyer, event="supplier.status_changed").count() == 1
    check("tab-blocked")

    # 6. A Sales Rep of the team opens the same party (a customer too): no Supplier status tab.
    j.as_user(rep)
    page.goto(party_url)
    expect(page.locator("h1")).to_contain_text(SUPPLIER)
    expect(page.get_by_role("tab").first).to_be_visible()
    expect(page.get_by_role("tab", name=T("Supplier status"))).to_have_count(0)
    expect(page.locator("#supplier-status")).to_have_count(0)
    check("rep")
    response = page.goto(f"{url}/suppliers/{supplier.pk}/status/phase_out/")
    assert response.status == 404
    j.finish()

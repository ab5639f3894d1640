"""A supplier's new bank account, proposed by a Buyer and approved by a Procurement Manager, in a real browser.
The Buyer opens the supplier's "Bank accounts" tab (empty), proposes a new account, forgets the reason (refused
on its field, the typed number kept), gives one, and lands on the change's page: waiting for approval, the
number without its spaces, and no decision form for the proposer. The Procurement Manager opens the request
from Approvals and approves it; the change reads "Applied" and the account is on the tab as the
primary one. A Sales Rep of the team opens the same party and sees no "Bank accounts" tab. In English at
1280 px and in 简体中文 at 390 px (nothing wider than the screen, no CSP violation, none of the feature's
English left on a Chinese page). Screenshots: /tmp/shots/bank-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import ApprovalRule, Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.services.bank_accounts import bank_rule_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPPLIER = "深圳华强电子有限公司"
BANK = "中国工商银行深圳福田支行"
SWIFT = "ICBKCNBJSZN"
TYPED = "6222 0200 1234 5678 901"
NUMBER = "6222020012345678901"
REASON = "供应商盖章函件，已电话回访财务核实"
# What the journey shows of the feature: on a Chinese page none of it may be left in English.
SHOWN = [
    "Bank accounts",
    "The accounts we pay",
    "No bank account yet",
    "No change proposed yet",
    "Propose a new account",
    "Propose a new bank account",
    "Nothing changes until",
    "Account holder",
    "Account number",
    "Make it the primary",
    "Why the details change",
    "Submit for approval",
    "This field is required",
    "Your change waits",
    "Bank account change",
    "Waiting for approval",
    "Applied",
    "New account",
    "Proposed by",
    "Before",
    "After",
    "Withdraw",
    "Approval",
    "Open and decide",
    "Approve",
    "Primary",
    "Proposed changes",
]


@CASES
def test_a_buyer_proposes_a_bank_account_and_a_procurement_manager_approves_it(
    page, live_server, make_user, admin_user, lang, viewport
):
    url = live_server.url
    east = Team.objects.create(name="East")
    buyer = make_user("emily", roles=[R.BUYER], teams=[east], language=lang)
    manager = make_user("liu", roles=[R.PROCUREMENT_MANAGER], language=lang)
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language=lang)
    bank_rule_ensure()  # after make_user: the rule names the Procurement Manager role, synced there
    rule = ApprovalRule.objects.get(document_type="suppliers.bankaccountchange").name
    supplier = make_org(admin_user, SUPPLIER, customer=True, supplier=True, owner=buyer)
    party_url = f"{url}{supplier.get_absolute_url()}"

    # The rule's name is data, bilingual on purpose ("供应商银行账户变更 / Bank account changes").
    j = Journey(page, live_server, lang, viewport, prefix="bank", shown=SHOWN, ignore=[rule])
    T, check = j.T, j.check
    panel = page.locator("#tabpanel")
    accounts = panel.locator("table.bank-accounts tbody tr")
    changes = panel.locator("table.bank-changes tbody tr")

    # 1. The Buyer: the supplier's Bank accounts tab is empty; propose a new account.
    j.as_user(buyer)
    page.goto(party_url)
    page.get_by_role("tab", name=T("Bank accounts")).click()
    expect(page.get_by_role("tab", name=T("Bank accounts"))).to_have_attribute("aria-selected", "true")
    expect(accounts).to_have_count(1)
    expect(accounts).to_have_text(T("No bank account yet."))
    expect(changes).to_have_text(T("No change proposed yet."))
    check("tab-empty")
    follow(page, panel.get_by_role("link", name=T("Propose a new account")))
    assert page.url == f"{url}/suppliers/{supplier.pk}/bank-accounts/propose/?kind=add"
    expect(page.locator("h1")).to_have_text(T("Propose a new bank account"))
    expect(page.locator("p.msg.info")).to_have_text(
        T("Nothing changes until someone else approves this: you cannot approve your own change.")
    )
    form = page.locator("#bank-change-form")
    expect(form.locator("#id_currency")).to_have_value("CNY")
    form.locator("#id_bank_name").fill(BANK)
    form.locator("#id_account_name").fill(SUPPLIER)
    form.locator("#id_account_number").fill(TYPED)
    form.locator("#id_swift").fill(SWIFT)
    form.locator("#id_make_primary").check()
    check("form")

    # The reason left empty: refused on its field, what was typed is kept, nothing proposed.
    follow(page, form.get_by_role("button", name=T("Submit for approval")))
    reason = form.locator(".field.has-error")
    expect(reason).to_have_count(1)
    expect(reason.locator("#id_reason")).to_be_visible()
    expect(reason.locator("p.error")).to_have_text(T("This field is required."))
    expect(form.locator("#id_account_number")).to_have_value(TYPED)
    expect(form.locator("#id_bank_name")).to_have_value(BANK)
    expect(form.locator("#id_make_primary")).to_be_checked()
    assert not BankAccountChange.objects.exists()
    check("form-error")

    # With a reason: the change's page, waiting for approval; the number without its spaces.
    form.locator("#id_reason").fill(REASON)
    follow(page, form.get_by_role("button", name=T("Submit for approval")))
    change = BankAccountChange.objects.get()
    assert page.url == f"{url}/suppliers/bank-changes/{change.pk}/"
    assert (change.state, change.account_number, change.make_primary) == ("pending", NUMBER, True)
    assert not BankAccount.objects.exists()
    expect(page.locator(".msg.success")).to_have_text(
        T("Your change waits for approval: the bank details change once someone else approves it.")
    )
    expect(page.locator("h1")).to_have_text(T("Bank account change of %(name)s") % {"name": SUPPLIER})
    state = page.locator("#change-state")
    expect(state).to_have_text(T("Waiting for approval"))
    expect(state).to_have_class("status status-pending")  # core's approval colours: yellow
    expect(page.locator("dl.props")).to_contain_text(REASON)
    compare = page.locator("table.bank-compare")
    expect(compare.locator("td.mono")).to_have_text(["—", NUMBER])
    expect(compare).to_contain_text(SWIFT)
    expect(compare).not_to_contain_text(TYPED)
    expect(page.get_by_role("button", name=T("Withdraw"))).to_be_visible()
    expect(page.locator("#decide")).to_have_count(0)  # the proposer does not approve their own change
    check("change-pending")

    # 2. The Procurement Manager: Approvals, open the request, approve it.
    j.approve_from_inbox(manager, SUPPLIER, T("New account"))
    assert BankAccountChange.objects.get().state == "applied"

    # 3. The change is applied; the account is on the tab, the primary one.
    follow(page, page.locator(".pagehead h1 a"))
    assert page.url == f"{url}/suppliers/bank-changes/{change.pk}/"
    expect(state).to_have_text(T("Applied"))
    expect(state).to_have_class("status status-approved")  # green
    expect(page.get_by_role("button", name=T("Withdraw"))).to_have_count(0)
    check("change-applied")
    follow(page, page.locator("dl.props").get_by_role("link", name=SUPPLIER))
    expect(page.get_by_role("tab", name=T("Bank accounts"))).to_have_attribute("aria-selected", "true")
    expect(accounts).to_have_count(1)
    expect(accounts.locator("td.mono")).to_have_text(NUMBER)
    expect(accounts.locator(".chip")).to_have_text(T("Primary"))
    expect(accounts).to_contain_text(BANK)
    expect(accounts).to_contain_text(SWIFT)
    expect(changes).to_have_count(1)
    expect(changes.locator(".status")).to_have_text(T("Applied"))
    expect(changes.locator(".status")).to_have_class("status status-approved")
    account = BankAccount.objects.get()
    assert (account.party_id, account.account_number, account.is_primary) == (supplier.pk, NUMBER, True)
    check("tab-applied")

    # 4. A Sales Rep of the team opens the same party (a customer too): no Bank accounts tab.
    j.as_user(rep)
    page.goto(party_url)
    expect(page.locator("h1")).to_contain_text(SUPPLIER)
    expect(page.get_by_role("tab").first).to_be_visible()
    expect(page.get_by_role("tab", name=T("Bank accounts"))).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(NUMBER)
    check("rep")
    j.finish()

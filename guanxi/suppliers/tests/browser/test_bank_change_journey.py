"""A supplier's new bank account, proposed by a Buyer and approved by a Procurement Manager, in a real browser.
The Buyer opens the supplier's "Bank accounts" tab (empty), proposes a new account, forgets the reason (refused
on its field, the typed number kept), gives one, and lands on the change's page: waiting for approval, the
number without its spaces, and no decision form for the proposer. The Procurement Manager opens the request
from Approvals and approves it; the change reads "Applied" and the account is on the tab as the
primary one. A Sales Rep of the team opens the same party and sees no "Bank accounts" tab. In English and
简体中文 at 1280 px, and in 简体中文 at 390 px (nothing wider than the screen, no CSP violation, none of the
feature's English left on a Chinese page). Screenshots: /tmp/bank_shots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import ApprovalRule, Team
from guanxi.core.tests.browser.support import follow, login_as
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.services.bank_accounts import bank_rule_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/bank_shots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
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
CASES = pytest.mark.parametrize(
    ("lang", "viewport"),
    [
        pytest.param("en", DESKTOP, id="en-desktop"),
        pytest.param("zh-hans", DESKTOP, id="zh-desktop"),
        pytest.param("zh-hans", PHONE, id="zh-phone"),
    ],
)


class Untranslated(AssertionError):
    """English text of the feature on a page shown in Chinese."""


def tr(lang: str, text: str) -> str:
    with translation.override(lang):
        return gettext(text)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, caret="initial")


def _as(page, live_server, user, lang) -> None:
    login_as(page, live_server, user)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])


@CASES
def test_a_buyer_proposes_a_bank_account_and_a_procurement_manager_approves_it(
    page, live_server, make_user, admin_user, lang, viewport
):
    T = lambda text: tr(lang, text)  # noqa: E731
    tag = f"{lang}-{viewport['width']}"
    url = live_server.url
    east = Team.objects.create(name="East")
    buyer = make_user("emily", roles=[R.BUYER], teams=[east], language=lang)
    manager = make_user("liu", roles=[R.PROCUREMENT_MANAGER], language=lang)
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language=lang)
    bank_rule_ensure()  # after make_user: the rule names the Procurement Manager role, synced there
    rule = ApprovalRule.objects.get(document_type="suppliers.bankaccountchange").name
    supplier = make_org(admin_user, SUPPLIER, customer=True, supplier=True, owner=buyer)
    party_url = f"{url}{supplier.get_absolute_url()}"
    english_seen: set[str] = set()

    page.set_viewport_size(viewport)
    page.set_default_timeout(15_000)
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text[:100]) if "Content Security Policy" in m.text else None)
    panel = page.locator("#tabpanel")
    accounts = panel.locator("table.bank-accounts tbody tr")
    changes = panel.locator("table.bank-changes tbody tr")

    def check(name: str) -> None:
        """Fits the screen; a screenshot; the feature's English on a Chinese page is noted."""
        shot(page, f"bank-{name}-{tag}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{page.url} is {width}px wide on a {viewport['width']}px screen"
        if lang != "en":
            # The rule's name is data, bilingual on purpose ("供应商银行账户变更 / Bank account changes").
            text = page.locator("main").inner_text().replace(rule, "")
            english_seen.update(s for s in SHOWN if s in text)

    def open_menu_link(name: str) -> None:
        page.goto(f"{url}/")
        if viewport is PHONE:
            page.locator("[data-menu-toggle]").click()
        follow(page, page.locator("#sidenav").get_by_role("link", name=name).first)

    # 1. The Buyer: the supplier's Bank accounts tab is empty; propose a new account.
    _as(page, live_server, buyer, lang)
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
    _as(page, live_server, manager, lang)
    open_menu_link(T("Approvals"))
    row = page.locator(".approval-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(SUPPLIER)
    expect(row).to_contain_text(T("New account"))
    check("inbox")
    follow(page, row.get_by_role("link", name=T("Open and decide")))
    decide = page.locator("#decide")
    expect(decide).to_be_visible()
    check("request")
    follow(page, decide.get_by_role("button", name=T("Approve"), exact=True))
    expect(page.locator(".msg.success")).to_contain_text(SUPPLIER)
    expect(page.locator("#decide")).to_have_count(0)
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
    _as(page, live_server, rep, lang)
    page.goto(party_url)
    expect(page.locator("h1")).to_contain_text(SUPPLIER)
    expect(page.get_by_role("tab").first).to_be_visible()
    expect(page.get_by_role("tab", name=T("Bank accounts"))).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(NUMBER)
    check("rep")
    assert not csp, csp
    if english_seen:
        raise Untranslated(f"English on the Chinese pages: {sorted(english_seen)}")

"""Customer levels (客户等级) and the pools' rules per level, in a real browser. The East team's pool is made through
the service; the Sales Manager opens Settings → Pools → the pool, ticks "Never returned" for A, types 90 days
without a follow-up for B and saves; reopens it and finds both kept; types 0 for D and is refused with the
values kept. A Sales Rep opens one of their customers, finds "No level yet." on the Customer level card, picks
"A · key account" and saves: the message and the level on the card; the database has the level and the rules.
In English at 1280 px and in 简体中文 at 390 px (nothing wider than the screen, no CSP violation, none of the
feature's English left on a Chinese page). Screenshots: /tmp/shots/crm-level-*.

The level rules' inputs are found by their aria-label ("<level>: <column>"), so the labels are checked in the
page's language too. The pool form may carry more fields than this journey touches (they are left as they
come)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import AuditEntry, Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.crm.models import CustomerAccount, Pool
from guanxi.crm.services import pools as svc
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEVELS = {"a": "A · key account", "b": "B · important", "c": "C · regular", "d": "D · small"}
NEVER = "Never returned"
FOLLOW_UP = "Days without a follow-up"
# What the journey shows of the feature: on a Chinese page none of it may be left in English.
SHOWN = [
    "Rules per customer level",
    "Instead of the rules above",
    NEVER,
    FOLLOW_UP,
    "Days without an opportunity",
    "Days without winning",
    "key account",
    "important",
    "regular",
    "small",
    "Enter whole numbers",
    "Pool saved",
    "Customer level",
    "No level yet.",
    "Set the level",
    "saved",
]


def _rules(pool: Pool) -> set[tuple]:
    return {
        (r.level, r.never, r.no_activity_days, r.no_opportunity_days, r.not_won_days)
        for r in pool.level_rules.all()
    }


@CASES
def test_a_manager_sets_rules_per_level_and_a_rep_gives_a_customer_a_level(
    page, live_server, make_user, admin_user, lang, viewport
):
    east = Team.objects.create(name="East")
    manager = make_user("boss", roles=[R.SALES_MANAGER], manager_of=[east], language=lang)
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language=lang)
    customer = make_org(admin_user, "华为技术有限公司", owner=rep)
    pool = svc.pool_save(
        actor=manager,
        pool=None,
        data={"name_en": "East pool", "name_zh": "华东公海", "teams": [east.pk], "no_activity_days": 45},
    )
    pool_name = "East pool" if lang == "en" else "华东公海"
    url = live_server.url

    j = Journey(page, live_server, lang, viewport, prefix="crm-level", shown=SHOWN)
    T, check = j.T, j.check
    rules_box = page.locator("#level-rules")

    def field(level: str, column: str):
        """A level rule's input, by its aria-label in the page's language."""
        return rules_box.get_by_label(f"{T(LEVELS[level])}: {T(column)}", exact=True)

    def open_pool() -> None:
        """Settings → Pools → the East pool."""
        page.goto(f"{url}/sales/settings/pools/")
        follow(page, page.locator("table.pools").get_by_role("link", name=pool_name, exact=True))
        assert page.url == f"{url}/sales/settings/pools/{pool.pk}/"
        expect(rules_box.locator("legend")).to_have_text(T("Rules per customer level"))
        expect(rules_box.locator("tbody tr")).to_have_count(4)
        # The whole table in view: a column behind a sideways scroll in its box is one nobody sees.
        needed, shown = rules_box.locator(".tablewrap").evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert needed <= shown, f"the level rules need {needed}px and get {shown}px (scrolls sideways)"

    # 1. The manager: A never returned, B back after 90 days without a follow-up; saved.
    j.as_user(manager)
    open_pool()
    expect(rules_box.locator("tbody th")).to_have_text([T(label) for label in LEVELS.values()])
    for level in LEVELS:
        expect(field(level, NEVER)).not_to_be_checked()
        expect(field(level, FOLLOW_UP)).to_have_value("")
    field("a", NEVER).check()
    field("b", FOLLOW_UP).fill("90")
    check("pool-form")
    follow(page, page.locator("#pool-form").get_by_role("button", name=T("Save"), exact=True))
    assert page.url == f"{url}/sales/settings/pools/"
    expect(page.locator(".msg.success")).to_have_text(T("Pool saved."))
    assert _rules(pool) == {("a", True, None, None, None), ("b", False, 90, None, None)}
    check("pool-saved")

    # 2. Reopened: what was saved is shown again.
    open_pool()
    expect(field("a", NEVER)).to_be_checked()
    expect(field("b", FOLLOW_UP)).to_have_value("90")
    for level in ("b", "c", "d"):
        expect(field(level, NEVER)).not_to_be_checked()
    for level in ("a", "c", "d"):
        expect(field(level, FOLLOW_UP)).to_have_value("")
    expect(page.locator("#id_name_en")).to_have_value("East pool")
    check("pool-reopened")

    # 3. 0 days for D: refused with the message; the form comes back with everything typed; nothing saved.
    field("d", FOLLOW_UP).fill("0")
    follow(page, page.locator("#pool-form").get_by_role("button", name=T("Save"), exact=True))
    assert page.url == f"{url}/sales/settings/pools/{pool.pk}/"
    expect(page.locator(".msg.success")).to_have_count(0)
    expect(rules_box.locator(".error")).to_have_text(T("Enter whole numbers of days from 1 to 3650."))
    expect(field("d", FOLLOW_UP)).to_have_value("0")
    expect(field("a", NEVER)).to_be_checked()
    expect(field("b", FOLLOW_UP)).to_have_value("90")
    expect(page.locator("#id_name_en")).to_have_value("East pool")
    expect(page.locator("#id_no_activity_days")).to_have_value("45")
    assert _rules(pool) == {("a", True, None, None, None), ("b", False, 90, None, None)}
    check("pool-refused")

    # 4. The rep, on their customer: no level yet; A · key account picked and saved.
    j.as_user(rep)
    page.goto(f"{url}{customer.get_absolute_url()}")
    card = page.locator("#card-customer-level")
    expect(card.locator("h2")).to_have_text(T("Customer level"))
    expect(card.locator("#customer-level")).to_have_text(T("No level yet."))
    expect(card.locator("#id_customer_level option")).to_have_text(
        [T("None"), *(T(label) for label in LEVELS.values())]
    )
    check("card-empty")
    card.get_by_label(T("Set the level")).select_option(label=T(LEVELS["a"]))
    follow(page, card.get_by_role("button", name=T("Save"), exact=True))
    assert page.url == f"{url}{customer.get_absolute_url()}"
    expect(page.locator(".msg.success")).to_have_text(
        T("Customer level saved: %(level)s.") % {"level": T(LEVELS["a"])}
    )
    expect(card.locator("#customer-level")).to_have_text(T(LEVELS["a"]))
    expect(card.locator("#id_customer_level")).to_have_value("a")
    check("card-saved")

    # 5. The database: the level (audited on the customer) and the pool's rules as saved in step 1.
    assert CustomerAccount.objects.get(party=customer).level == "a"
    entry = AuditEntry.objects.filter(target_type="parties.party", target_id=str(customer.pk)).latest("id")
    assert entry.actor_id == rep.pk
    # Not pinned to a text: the service writes the level's label in the language of whoever set it ("A · 重点客户"
    # from a Chinese page) rather than the code "a" a History tab could show in its reader's language.
    assert list(entry.changes) == ["customer_level"]
    assert entry.changes["customer_level"][0] is None and entry.changes["customer_level"][1]
    pool.refresh_from_db()
    assert _rules(pool) == {("a", True, None, None, None), ("b", False, 90, None, None)}
    assert (pool.name_en, pool.no_activity_days, list(pool.teams.all())) == ("East pool", 45, [east])
    j.finish()

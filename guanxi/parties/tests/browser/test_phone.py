"""A phone (390 × 844) walk through the main pages, in English and Chinese, for a Sales Representative
and an administrator: the menu button opens the navigation, nothing is wider than the screen, and the
Content-Security-Policy is never violated."""

import re

import pytest
from playwright.sync_api import expect

from guanxi.core.roles import SALES_REP
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.browser.support import (
    LANGUAGES,
    PHONE,
    fits,
    follow,
    login_as,
    set_language,
    shot,
    tr,
    watch_csp,
)
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.set_default_timeout(10_000)
    page.csp_violations = watch_csp(page)
    return page


def open_menu(page) -> None:
    nav = page.locator("#sidenav")
    expect(nav).to_be_hidden()
    button = page.locator("[data-menu-toggle]")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(nav).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")


@pytest.fixture
def data(admin_user, make_user, team):
    rep = make_user("wang", roles=[SALES_REP], teams=[team])
    vip = tag_create(actor=admin_user, name="重点客户", color="#b91c1c")
    orgs = [
        make_org(
            admin_user,
            f"深圳市腾讯计算机系统有限公司 {i}",
            owner=rep,
            phones=["0755 8601 3388"],
            address={
                "country": "CN",
                "province": "广东省",
                "city": "深圳市",
                "street": "南山区科技园中一路 1 号",
            },
        )
        for i in range(3)
    ]
    make_org(admin_user, "Guangzhou Very Long Name International Trading Company Limited", owner=rep)
    make_org(admin_user, "Wuhan Steel Supplies", customer=False, supplier=True)
    make_person(admin_user, "林静", organization=orgs[0], owner=rep, emails=["lin.jing@tencent.example.cn"])
    parties_bulk_tag(actor=admin_user, ids=[o.pk for o in orgs], tag=vip)
    return {"rep": rep, "orgs": orgs}


@LANGUAGES
def test_sales_rep_on_a_phone(phone, live_server, data, lang):
    page = phone
    set_language(page, live_server, lang)
    login_as(page, live_server, data["rep"])
    page.goto(f"{live_server.url}/")
    fits(page, PHONE)

    # The menu: the customer side only (a Sales Representative reaches no supplier), settings for all.
    open_menu(page)
    nav = page.locator("#sidenav")
    expect(nav).to_contain_text("CRM")
    expect(nav).not_to_contain_text("SRM")
    expect(nav.get_by_role("link", name=tr(lang, "Suppliers"))).to_have_count(0)
    expect(nav.get_by_role("link", name=tr(lang, "API tokens"))).to_be_visible()
    shot(page, f"phone-{lang}-rep-menu")
    follow(page, nav.get_by_role("link", name=tr(lang, "Customers")))
    expect(page.locator("#sidenav")).to_be_hidden()
    expect(page.locator("main h1")).to_have_text(tr(lang, "Customers"))
    expect(page.locator("#results tbody tr")).to_have_count(4)
    fits(page, PHONE)

    # The bulk bar takes at most two rows (count; action and Apply).
    bar = page.locator(".bulkbar").bounding_box()
    row = page.locator(".bulkbar button").bounding_box()
    assert bar["height"] < 2.6 * row["height"], bar
    page.locator("select[name=action]").select_option("tag")
    expect(page.locator(".bulkbar select[name=tag]")).to_be_visible()
    expect(page.locator(".bulkbar select[name=owner]")).to_be_hidden()
    assert page.locator(".bulkbar").bounding_box()["height"] < 2.6 * row["height"]
    shot(page, f"phone-{lang}-rep-customers")

    # Search.
    page.fill("#filters input[name=q]", "guangzhou")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q=guangzhou"))

    # A 360° page: tabs scroll sideways instead of widening the page.
    page.fill("#filters input[name=q]", "腾讯")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    follow(page, page.locator("#results").get_by_role("link", name="深圳市腾讯计算机系统有限公司 0"))
    fits(page, PHONE)
    history = page.get_by_role("tab", name=tr(lang, "History"))
    history.scroll_into_view_if_needed()
    history.click()
    expect(history).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tabpanel table.history")).to_be_visible()
    fits(page, PHONE)
    shot(page, f"phone-{lang}-rep-history")

    # Settings → API tokens, from the menu: create one, see it once, copy it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_menu(page)
    follow(page, page.locator("#sidenav").get_by_role("link", name=tr(lang, "API tokens")))
    page.fill("#id_name", "手机脚本")
    follow(page, page.get_by_role("button", name=tr(lang, "Create token")))
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("gx_")
    copy = page.get_by_role("button", name=tr(lang, "Copy"))
    copy.click()
    expect(page.locator("[data-copy-status]")).to_have_text(tr(lang, "Copied to the clipboard."))
    assert page.evaluate("navigator.clipboard.readText()") == secret
    fits(page, PHONE)
    shot(page, f"phone-{lang}-rep-token")
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.locator("table.tokens tbody tr")).to_have_count(1)
    assert page.csp_violations == []


@LANGUAGES
def test_administrator_on_a_phone(phone, live_server, admin_user, data, lang):
    page = phone
    token_create(actor=data["rep"], name="Wang's laptop", scope="read")
    set_language(page, live_server, lang)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/parties/")
    open_menu(page)
    nav = page.locator("#sidenav")
    for item in ["Customers", "Suppliers", "API tokens", "Users", "Teams"]:
        expect(nav.get_by_role("link", name=tr(lang, item), exact=True)).to_be_visible()
    follow(page, nav.get_by_role("link", name=tr(lang, "Suppliers"), exact=True))
    expect(page.locator("main h1")).to_have_text(tr(lang, "Suppliers"))
    expect(page.locator("#results")).to_contain_text("Wuhan Steel Supplies")
    page.fill("#filters input[name=q]", "wuhan")
    expect(page.locator("#results tbody tr")).to_have_count(1)

    pages = [
        f"/parties/{data['orgs'][0].pk}/",
        f"/parties/{data['orgs'][0].pk}/?tab=contacts",
        f"/parties/{data['orgs'][0].pk}/?tab=addresses",
        f"/parties/{data['orgs'][0].pk}/?tab=timeline",
        f"/parties/{data['orgs'][0].pk}/?tab=history",
        f"/parties/{data['orgs'][0].pk}/edit/",
        "/parties/new/person/",
        "/parties/tags/",
        "/settings/users/",
        f"/settings/users/{data['rep'].pk}/",
        "/settings/teams/",
        "/account/password/",
        "/parties/?q=no-such-thing",
        "/no-such-page/",
    ]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        fits(page, PHONE)
    shot(page, f"phone-{lang}-admin-404")

    open_menu(page)
    follow(page, page.locator("#sidenav").get_by_role("link", name=tr(lang, "API tokens")))
    others = page.locator("table.tokens").nth(1)
    expect(others).to_contain_text("Wang's laptop")
    expect(others).to_contain_text("wang")
    page.once("dialog", lambda d: d.accept())
    follow(page, others.get_by_role("button", name=tr(lang, "Revoke")))
    expect(page.locator("table.tokens").nth(1)).to_contain_text(tr(lang, "Revoked"))
    fits(page, PHONE)
    shot(page, f"phone-{lang}-admin-tokens")
    assert page.csp_violations == []


def test_menu_works_without_javascript(browser, live_server, admin_user):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/parties/")
    expect(page.locator("#sidenav")).to_be_hidden()
    page.locator("[data-menu-toggle]").click()  # a link to #sidenav, shown by :target
    expect(page.locator("#sidenav")).to_be_visible()
    follow(page, page.locator("#sidenav").get_by_role("link", name="Customers"))
    expect(page.locator("main h1")).to_have_text("Customers")
    context.close()

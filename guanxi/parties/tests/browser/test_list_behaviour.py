"""The list in a real browser: what surrounds the results follows the URL (also on Back), and
search-as-you-type waits for the input method to finish composing."""

import re

import pytest
from playwright.sync_api import expect

from guanxi.core.tests.browser.support import follow, login_as, shot
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_list(page, heading: str, role: str, shows: str, hides: str) -> None:
    expect(page.locator("main h1")).to_have_text(heading)
    expect(page).to_have_title(f"{heading} · Guanxi")
    expect(page.locator("#filter-role")).to_have_value(role)
    expect(page.locator("#results")).to_contain_text(shows)
    expect(page.locator("#results")).not_to_contain_text(hides)
    current = page.locator("#sidenav a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text(heading)


def test_heading_title_menu_and_role_follow_filters_and_back(page, live_server, admin_user):
    make_org(admin_user, "Alpha Customer Co")
    make_org(admin_user, "Beta Supplier Co", customer=False, supplier=True)
    page.set_default_timeout(10_000)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/parties/?role=customer")
    expect_list(page, "Customers", "customer", "Alpha Customer Co", "Beta Supplier Co")
    page.evaluate("window.notReloaded = true")

    page.select_option("#filter-role", "supplier")  # htmx swaps the results, and the rest out of band
    expect(page).to_have_url(re.compile(r"[?&]role=supplier"))
    expect_list(page, "Suppliers", "supplier", "Beta Supplier Co", "Alpha Customer Co")
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_role("link", name="CSV")).to_have_attribute("href", re.compile(r"role=supplier"))
    shot(page, "list-filter-suppliers")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?role=customer$"))
    expect_list(page, "Customers", "customer", "Alpha Customer Co", "Beta Supplier Co")
    shot(page, "list-back-customers")

    page.go_forward()
    expect(page).to_have_url(re.compile(r"[?&]role=supplier"))
    expect_list(page, "Suppliers", "supplier", "Beta Supplier Co", "Alpha Customer Co")

    # A filter that matches nothing says so, and "Clear filters" brings back the menu item's list.
    page.fill("#filters input[name=q]", "no-such-company")
    expect(page.locator("#results")).to_contain_text("Nothing matches “no-such-company”")
    page.locator("#results").get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{live_server.url}/parties/?role=supplier")
    expect_list(page, "Suppliers", "supplier", "Beta Supplier Co", "Alpha Customer Co")
    expect(page.locator("#filters input[name=q]")).to_have_value("")


def search_requests(page) -> list[str]:
    found: list[str] = []
    page.on("request", lambda r: found.append(r.url) if "q=" in r.url and "/parties/" in r.url else None)
    return found


def test_search_waits_for_the_input_method(page, live_server, admin_user):
    make_org(admin_user, "华为技术有限公司")
    make_org(admin_user, "Hualian Trading")
    page.set_default_timeout(10_000)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/parties/")
    box = page.locator("#filters input[name=q]")
    box.focus()
    requests = search_requests(page)

    # A real input method, through the browser's IME hooks: pinyin letters appear while composing.
    cdp = page.context.new_cdp_session(page)
    for typed in ["h", "hu", "hua", "hua'w", "hua'we", "hua'wei"]:
        cdp.send(
            "Input.imeSetComposition",
            {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)},
        )
    page.wait_for_timeout(700)  # well past the 250 ms debounce
    assert requests == [], "no search while composing"
    with page.expect_response(lambda r: "q=" in r.url):
        cdp.send("Input.insertText", {"text": "华为"})  # the user picks 华为: composition ends
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("华为技术有限公司")
    page.wait_for_timeout(400)
    assert len(requests) == 1 and "q=%E5%8D%8E%E4%B8%BA" in requests[0]

    # The same with composition events dispatched by hand (as other browsers send them).
    box.fill("")
    page.wait_for_timeout(400)
    requests.clear()
    page.evaluate(
        """() => {
        const box = document.querySelector('#filters input[name=q]');
        box.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
        for (const text of ['h', 'hu', 'hua', 'hual']) {
          box.value = text;
          box.dispatchEvent(new CompositionEvent('compositionupdate', {bubbles: true, data: text}));
          box.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data: text}));
        }
        }"""
    )
    page.wait_for_timeout(700)
    assert requests == []
    with page.expect_response(lambda r: "q=Hualian" in r.url):
        page.evaluate(
            """() => {
            const box = document.querySelector('#filters input[name=q]');
            box.value = 'Hualian';
            box.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: 'Hualian'}));
            }"""
        )
    expect(page.locator("#results")).to_contain_text("Hualian Trading")
    page.wait_for_timeout(400)
    assert len(requests) == 1

    # Plain typing (no input method) still searches as you type.
    requests.clear()
    box.fill("")
    box.press_sequentially("huawei", delay=20)
    expect(page.locator("#results")).to_contain_text("华为技术有限公司")
    expect(page.locator("#results")).not_to_contain_text("Hualian Trading")


def test_leaving_the_search_box_does_not_search_again(page, live_server, admin_user):
    """Tapping a result right after typing blurs the search box; its `change` event must not send the same
    search again (the second swap replaced the row under the finger and the tap was lost on phones)."""
    make_org(admin_user, "Gamma Trading")
    page.set_default_timeout(10_000)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/parties/")
    requests = search_requests(page)
    page.locator("#filters input[name=q]").press_sequentially("gamma", delay=20)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.wait_for_timeout(400)
    sent = len(requests)
    page.locator("#filters input[name=q]").press("Tab")  # blur: a change event
    page.wait_for_timeout(600)
    assert len(requests) == sent
    # Filters in "More filters" (text inputs) and the selects still search on change.
    page.locator("details.morefilters summary").click()
    page.select_option("select[name=state]", "all")
    expect(page).to_have_url(re.compile(r"[?&]state=all"))
    with page.expect_response(lambda r: "country=CN" in r.url):
        page.fill("input[name=country]", "CN")
        page.locator("input[name=country]").press("Tab")


def test_bulk_archive_asks_first(page, live_server, admin_user):
    for name in ["Archive Me One", "Archive Me Two", "Keep Me"]:
        make_org(admin_user, name)
    page.set_default_timeout(10_000)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/parties/?kind=organization")
    for name in ["Archive Me One", "Archive Me Two"]:
        page.get_by_role("checkbox", name=f"Select {name}").check()
    page.select_option("select[name=action]", "archive")
    follow(page, page.get_by_role("button", name="Apply"))
    expect(page.locator("main h1")).to_have_text("Archive 2 records?")
    expect(page.locator(".namelist li")).to_have_text(["Archive Me One", "Archive Me Two"])
    shot(page, "bulk-archive-confirm")
    follow(page, page.get_by_role("link", name="Cancel"))  # cancel: back to the list, nothing archived
    expect(page).to_have_url(f"{live_server.url}/parties/?kind=organization")
    expect(page.locator("#results tbody tr")).to_have_count(3)

    for name in ["Archive Me One", "Archive Me Two"]:
        page.get_by_role("checkbox", name=f"Select {name}").check()
    page.select_option("select[name=action]", "archive")
    follow(page, page.get_by_role("button", name="Apply"))
    follow(page, page.get_by_role("button", name="Archive 2 records"))
    expect(page.locator(".msg.success")).to_have_text("2 records archived.")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Keep Me")


def test_the_list_filters_have_no_htmx_syntax_error_and_a_country_filters_in_place(
    page, live_server, admin_user
):
    """The filter form's trigger once named its text inputs with `input:not([data-live-search])`, which htmx
    cannot parse (htmx:syntax:error in the console): typing a country then did nothing until a select changed."""
    make_org(admin_user, "Alpha Customer Co")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(10_000)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/parties/")
    expect(page.locator("#results")).to_contain_text("Alpha Customer Co")
    page.evaluate("window.notReloaded = true")
    page.locator("#filters details.morefilters summary").click()
    page.fill("#filters input[name=country]", "JP")
    page.locator("#filters input[name=country]").dispatch_event("change")
    expect(page).to_have_url(re.compile(r"[?&]country=JP"))
    expect(page.locator("#results")).not_to_contain_text("Alpha Customer Co")
    assert page.evaluate("window.notReloaded") is True
    assert not [e for e in errors if "htmx" in e], errors

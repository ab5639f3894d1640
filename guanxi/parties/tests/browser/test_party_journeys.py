"""The main journeys through the party pages, in a real browser, in English and Chinese."""

import re

import pytest
from playwright.sync_api import expect

from guanxi.core.roles import SALES_MANAGER, SALES_REP
from guanxi.core.tests.browser.support import follow, login_as, shot, translator
from guanxi.core.tests.factories import PASSWORD
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


zh = translator("zh-hans")


def test_create_find_edit_and_read_history(page, live_server, make_user, team):
    manager = make_user("chen", roles=[SALES_MANAGER], teams=[team])
    make_org(manager, "Qingdao Brewery Supplies")  # something else the search must leave out
    page.set_default_timeout(10_000)
    url = live_server.url

    # Log in.
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", "chen")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{url}/parties/")

    # Create an organization with its first address.
    follow(page, page.get_by_role("link", name="New organization"))
    expect(page.locator("h1")).to_have_text("New organization")
    expect(page.locator("#id_is_customer")).to_be_checked()
    page.fill("#id_name", "Suzhou Silk Road Textiles")
    page.fill("#id_phones", "0512 6520 1234")
    page.fill("#id_emails", "sales@silkroad-tex.example.cn")
    page.select_option("#id_industry", "manufacturing")
    page.select_option("#id_addr-province_code", "320000")  # 江苏省: its cities load
    page.locator("#id_addr-city_code").select_option("320500")  # 苏州市
    page.fill("#id_addr-street", "平江路 100 号")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".msg.success")).to_contain_text("“Suzhou Silk Road Textiles” created.")
    expect(page.locator("h1")).to_contain_text("Suzhou Silk Road Textiles")
    expect(page.locator("#tabpanel")).to_contain_text("平江路 100 号")
    org_url = page.url

    # Add a contact to it.
    follow(page, page.locator(".pagehead").get_by_role("link", name="Add contact"))
    expect(page.locator("h1")).to_have_text("New contact · Suzhou Silk Road Textiles")
    page.fill("#id_name", "林静")
    page.fill("#id_job_title", "Purchasing Manager")
    page.fill("#id_phones", "13912345678")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page).to_have_url(org_url)
    expect(page.locator(".msg.success")).to_contain_text("“林静” created.")
    page.get_by_role("tab", name="Contacts").click()
    expect(page.locator("#tabpanel")).to_contain_text("Purchasing Manager")
    expect(page.locator("#tabpanel")).to_contain_text("139 1234 5678")

    # Find it by typing in the search box: htmx swaps in the results without reloading the page.
    page.goto(f"{url}/parties/")
    expect(page.locator("#results")).to_contain_text("Qingdao Brewery Supplies")
    page.evaluate("window.notReloaded = true")
    page.fill("#filters input[name=q]", "林静")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("林静")
    page.fill("#filters input[name=q]", "silk")
    expect(page.locator("#results")).not_to_contain_text("Qingdao Brewery Supplies")
    expect(page.locator("#results")).to_contain_text("Suzhou Silk Road Textiles")
    expect(page).to_have_url(re.compile(r"[?&]q=silk"))  # the search is in the address bar to share
    assert page.evaluate("window.notReloaded") is True
    shot(page, "party-list-search")
    follow(page, page.locator("#results").get_by_role("link", name="Suzhou Silk Road Textiles"))
    expect(page).to_have_url(org_url)

    # Edit it.
    follow(page, page.get_by_role("link", name="Edit", exact=True))
    expect(page.locator("#id_name")).to_have_value("Suzhou Silk Road Textiles")
    page.fill("#id_name", "Suzhou Silk Road Textiles Group")
    page.fill("#id_website", "https://silkroad-tex.example.cn")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".msg.success")).to_contain_text(
        "Changes to “Suzhou Silk Road Textiles Group” saved."
    )
    expect(page.locator("h1")).to_contain_text("Suzhou Silk Road Textiles Group")

    # The history tab shows the change, old and new.
    page.get_by_role("tab", name="History").click()
    expect(page).to_have_url(re.compile(r"\?tab=history$"))
    expect(page.get_by_role("tab", name="History")).to_have_attribute("aria-selected", "true")
    history = page.locator("#tabpanel table.history")
    expect(history).to_contain_text("chen")
    expect(history.locator(".old").first).to_have_text("Suzhou Silk Road Textiles")
    expect(history.locator(".new").first).to_have_text("Suzhou Silk Road Textiles Group")
    expect(history).to_contain_text("https://silkroad-tex.example.cn")
    shot(page, "party-history-en")

    # Switch to Chinese: the same page, translated.
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(re.compile(r"\?tab=history$"))
    expect(page.locator("h1")).to_contain_text("Suzhou Silk Road Textiles Group")
    for english in ["History", "Edit", "Overview", "Contacts", "Addresses"]:
        assert zh(english) != english, f"{english!r} has no Chinese translation"
        expect(page.locator("main")).to_contain_text(zh(english))
    expect(page.get_by_role("tab", name=zh("History"))).to_have_attribute("aria-selected", "true")
    expect(page.locator("main")).not_to_contain_text("Overview")
    expect(page.locator("#tabpanel")).to_contain_text(zh("Updated"))
    shot(page, "party-history-zh")

    # A form in Chinese: the error messages are translated too.
    follow(page, page.get_by_role("link", name=zh("Edit"), exact=True))
    page.fill("#id_name", "")
    follow(page, page.get_by_role("button", name=zh("Save")))
    expect(page.locator(".field.has-error")).to_contain_text(zh("This field is required."))
    expect(page.locator("#id_website")).to_have_value("https://silkroad-tex.example.cn")  # input kept
    shot(page, "party-form-errors-zh")


def test_sales_rep_cannot_see_another_teams_customer(
    page, live_server, admin_user, make_user, team, other_team
):
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    rival = make_user("rival", roles=[SALES_REP], teams=[other_team])
    make_org(admin_user, "Harbin Ice Works (ours)", owner=rep)
    theirs = make_org(admin_user, "Harbin Ice Works (theirs)", owner=rival)
    page.set_default_timeout(10_000)
    login_as(page, live_server, rep)

    response = page.goto(f"{live_server.url}{theirs.get_absolute_url()}")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("This page does not exist, or you do not have access to it.")
    expect(page.locator("main")).not_to_contain_text("theirs")
    shot(page, "party-404")

    page.goto(f"{live_server.url}/parties/")
    expect(page.locator("#results")).to_contain_text("Harbin Ice Works (ours)")
    expect(page.locator("#results")).not_to_contain_text("theirs")
    page.fill("#filters input[name=q]", "harbin")
    expect(page).to_have_url(re.compile(r"[?&]q=harbin"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Harbin Ice Works (ours)")
    page.fill("#filters input[name=q]", "theirs")
    expect(page.locator("#results")).to_contain_text("Nothing matches “theirs”")

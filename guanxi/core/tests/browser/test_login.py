"""Logging in and out, and the language switch, in a real browser."""

import pytest
from playwright.sync_api import expect

from guanxi.core.roles import SALES_REP
from guanxi.core.tests.browser.support import shot
from guanxi.core.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_and_out(page, live_server, make_user, team):
    make_user("wang", roles=[SALES_REP], teams=[team])
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/parties/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/parties/")

    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".errors")).to_contain_text("Please enter a correct username and password.")

    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/parties/")
    expect(page.locator("h1")).to_have_text("Parties")
    expect(page.locator(".usermenu summary")).to_have_text("wang")

    page.click(".usermenu summary")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.locator("input[name=username]")).to_be_visible()


def test_login_page_in_chinese(page, live_server, make_user):
    make_user("li", roles=[SALES_REP])
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("label[for=id_username]")).to_contain_text("用户名")  # Django's own translation
    expect(page.locator("label[for=id_password]")).to_contain_text("密码")
    shot(page, "login-zh")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/parties/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

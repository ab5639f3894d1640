"""Issue 5 in a real browser: a duplicate typed with half-width brackets is caught and named; a Buyer is told
who owns a company already registered as a customer; identifier rows are added without losing any."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core.roles import BUYER, SALES_REP
from guanxi.core.tests.browser.support import LANGUAGES, as_user, follow, login_as, shot, tr
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USCC = "914403001922038216"


@LANGUAGES
def test_full_and_half_width_names_are_one_company(page, live_server, make_user, team, lang):
    rep = make_user("rep", roles=[SALES_REP], teams=[team], language=lang)
    make_org(rep, "腾讯科技（深圳）有限公司")  # full-width brackets
    as_user(page, live_server, rep, lang)
    page.goto(f"{live_server.url}/parties/new/organization/")
    page.fill("#id_name", "腾讯科技(深圳)有限公司")  # half-width brackets
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    dupes = page.locator(".dupes")
    expect(dupes).to_contain_text(tr(lang, "This may already exist:"))
    expect(dupes.get_by_role("link", name="腾讯科技（深圳）有限公司")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("腾讯科技(深圳)有限公司")  # the input is kept
    shot(page, f"dupes-width-{lang}")
    # The search finds it however it is typed.
    page.goto(f"{live_server.url}/parties/?q=腾讯科技(深圳)")
    expect(page.locator("table.parties tbody")).to_contain_text("腾讯科技（深圳）有限公司")
    assert Party.objects.count() == 1


@LANGUAGES
def test_a_buyer_learns_who_owns_an_existing_customer(page, live_server, make_user, team, other_team, lang):
    rep = make_user("wang.wei", roles=[SALES_REP], teams=[team])
    buyer = make_user("buyer", roles=[BUYER], teams=[other_team], language=lang)
    make_org(rep, "华为技术有限公司", identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC}])
    as_user(page, live_server, buyer, lang)
    page.goto(f"{live_server.url}/parties/new/organization/?role=supplier")
    page.fill("#id_name", "华为")
    page.select_option("#id_ident-0-scheme", "cn_uscc")
    page.fill("#id_ident-0-value", USCC)
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    error = page.locator("table.identifiers .error")
    expect(error).to_contain_text("wang.wei")
    expect(page.locator("body")).not_to_contain_text("华为技术有限公司")  # not revealed to the Buyer
    expect(page.locator("#id_ident-0-value")).to_have_value(USCC)
    shot(page, f"registered-elsewhere-{lang}")
    assert Party.objects.count() == 1


def test_adding_identifier_rows_keeps_the_others(page, live_server, admin_user):
    org = make_org(
        admin_user,
        "Euro Parts",
        identifiers=[
            {"scheme": "vat", "country": "DE", "value": "DE136695976"},
            {"scheme": "tax_id", "country": "US", "value": "123456789"},
        ],
    )
    login_as(page, live_server, admin_user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/parties/{org.pk}/edit/")
    rows = page.locator("table.identifiers tbody tr")
    expect(rows).to_have_count(3)  # two saved, one empty
    page.get_by_role("button", name="Add another identifier").click()
    expect(rows).to_have_count(4)
    page.select_option("#id_ident-2-scheme", "vat")
    page.fill("#id_ident-2-country", "FR")
    page.fill("#id_ident-2-value", "FR40303265045")
    page.select_option("#id_ident-3-scheme", "tax_id")
    page.fill("#id_ident-3-value", "TAX99887766")
    shot(page, "identifier-rows-phone")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".msg.success")).to_be_visible()
    assert set(org.identifiers.values_list("value", flat=True)) == {
        "136695976",
        "123456789",
        "40303265045",
        "TAX99887766",
    }

"""Saved views in a real browser, on the leads list: a Sales Representative of the East team filters the list to
the new leads, opens the Views menu and saves "My new leads" shared with the team; a teammate finds it in the
menu, applies it with a click and lands on the filtered list with the view's name on the button, but cannot
delete it (no ×); the owner deletes it. In English at 1280 px and in 简体中文 at 390 px (the menu and the page
stay on the screen). On a Chinese page none of the menu's English may be left. Screenshots:
/tmp/shots/views-*.

The journey reloads the list after filtering it; the test at the end saves straight after filtering (htmx
redraws only the table, so the menu once saved the list as it was when the page loaded: fixed since)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import SavedView, Team
from guanxi.core.tests.browser.support import CASES, DESKTOP, PHONE, Journey, as_user, follow
from guanxi.crm.models import Lead
from guanxi.crm.services.leads import lead_create, lead_set_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "My new leads"
# The menu's own text: on a Chinese page none of it may be left in English.
SHOWN = [
    "Views",
    "Save these filters as",
    "Share with my team",
    "Save view",
    "No saved views yet.",
    "saved",
    "deleted",
]


class OffScreen(AssertionError):
    """The open Views menu reaches beyond the screen's edge."""


def _leads(rep):
    """Two new leads and one being worked on, all the rep's (so the East team's)."""
    new = [
        lead_create(actor=rep, data={"company_name": "深圳新客户科技有限公司"}),
        lead_create(actor=rep, data={"company_name": "杭州云帆网络有限公司"}),
    ]
    working = lead_create(actor=rep, data={"company_name": "成都老朋友贸易有限公司"})
    lead_set_status(actor=rep, lead=working, version=working.version, status="working")
    return new, Lead.objects.get(pk=working.pk)


def _menu(page):
    return page.locator("details.saved-views")


def _open_menu(page, viewport) -> str:
    """Open the Views menu; "" when it is on the screen (nothing of it left or right of the viewport), else
    where it is."""
    menu = _menu(page)
    menu.locator("summary").click()
    box = menu.locator(".menu")
    expect(box).to_be_visible()
    b = box.bounding_box()
    assert b is not None
    if b["x"] >= 0 and b["x"] + b["width"] <= viewport["width"]:
        return ""
    return (
        f"{page.url}: the Views menu spans {b['x']:.0f}–{b['x'] + b['width']:.0f}px of {viewport['width']}px"
    )


@CASES
def test_a_rep_shares_a_view_of_the_leads_with_the_team(page, live_server, make_user, lang, viewport):
    east = Team.objects.create(name="East")
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language=lang)
    mate = make_user("li.na", roles=[R.SALES_REP], teams=[east], language=lang)
    new, working = _leads(rep)
    leads_url = f"{live_server.url}/sales/leads/"
    j = Journey(page, live_server, lang, viewport, prefix="views", shown=SHOWN)
    T = j.T
    off_screen: list[str] = []

    def open_menu() -> None:
        """Open the Views menu; where it leaves the screen is noted (the journey goes on, to see the rest)."""
        if where := _open_menu(page, viewport):
            off_screen.append(where)

    def check(name: str) -> None:
        """A screenshot; a page wider than the screen and the feature's English on a Chinese page are noted."""
        j.shot(name)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            off_screen.append(f"{page.url} is {width}px wide")
        j.note_english()

    # 1. The rep filters the list to the new leads; the working one drops out.
    j.as_user(rep)
    page.goto(leads_url)
    rows = page.locator("table.leads tbody tr")
    expect(rows).to_have_count(3)
    expect(_menu(page).locator("summary")).to_contain_text(T("Views"))
    page.locator("#filters select[name=status]").select_option("new")
    expect(rows).to_have_count(2)
    expect(page.locator("table.leads")).not_to_contain_text(working.company_name)
    assert "status=new" in page.url
    page.reload()  # see the module's docstring: the menu only knows the filters it was rendered with

    # 2. The Views menu: nothing saved yet; save the list as "My new leads", shared with the team.
    open_menu()
    expect(_menu(page).locator(".menu li")).to_have_text(T("No saved views yet."))
    check("empty-menu")
    _menu(page).get_by_label(T("Save these filters as")).fill(NAME)
    _menu(page).get_by_label(T("Share with my team")).check()
    follow(page, _menu(page).get_by_role("button", name=T("Save view")))
    expect(page.locator(".msg.success")).to_have_text(T("View “%(name)s” saved.") % {"name": NAME})
    assert page.url == f"{leads_url}?status=new"
    expect(_menu(page).locator("summary")).to_contain_text(NAME)
    expect(rows).to_have_count(2)
    view = SavedView.objects.get()
    assert (view.owner, view.team, view.list_key, view.query) == (rep, east, "crm.leads", "status=new")
    check("saved")

    # 3. The teammate, on the unfiltered list, finds the view in the menu: shared by the rep, not theirs to
    #    delete.
    j.as_user(mate)
    page.goto(leads_url)
    expect(rows).to_have_count(3)
    open_menu()
    item = _menu(page).locator(".menu li").filter(has_text=NAME)
    expect(item).to_have_count(1)
    expect(item.locator(".chip")).to_have_text("East")
    expect(item).to_contain_text("wang.wei")
    expect(item.get_by_role("button")).to_have_count(0)
    check("teammate-menu")

    # 4. A click applies it: the filtered list, the status filter set, the view's name on the button.
    follow(page, item.get_by_role("link", name=NAME))
    assert page.url == f"{leads_url}?status=new"
    expect(rows).to_have_count(2)
    for lead in new:
        expect(page.locator("table.leads")).to_contain_text(lead.company_name)
    expect(page.locator("#filters select[name=status]")).to_have_value("new")
    expect(_menu(page).locator("summary")).to_contain_text(NAME)
    expect(_menu(page).locator("a[aria-current=true]")).to_have_text(NAME)
    check("teammate-applied")

    # 5. The owner deletes it (after saying yes); it is gone for both.
    j.as_user(rep)
    page.goto(f"{leads_url}?status=new")
    open_menu()
    delete = _menu(page).get_by_role("button", name=T("Delete view %(name)s") % {"name": NAME})
    expect(delete).to_have_text("×")
    page.once("dialog", lambda d: d.accept())
    follow(page, delete)
    expect(page.locator(".msg.success")).to_have_text(T("View “%(name)s” deleted.") % {"name": NAME})
    assert not SavedView.objects.exists()
    expect(_menu(page).locator("summary")).to_contain_text(T("Views"))
    open_menu()
    expect(_menu(page).locator(".menu li")).to_have_text(T("No saved views yet."))
    check("deleted")
    j.finish()
    if off_screen:
        raise OffScreen("; ".join(off_screen))


def test_a_view_saved_right_after_filtering_keeps_the_filter(page, live_server, make_user):
    east = Team.objects.create(name="East")
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language="en")
    _leads(rep)
    page.set_viewport_size(DESKTOP)
    page.set_default_timeout(15_000)
    as_user(page, live_server, rep, "en")
    page.goto(f"{live_server.url}/sales/leads/")
    page.locator("#filters select[name=status]").select_option("new")
    expect(page.locator("table.leads tbody tr")).to_have_count(2)
    assert _open_menu(page, DESKTOP) == ""
    _menu(page).get_by_label("Save these filters as").fill(NAME)
    follow(page, _menu(page).get_by_role("button", name="Save view"))
    expect(page.locator(".msg.success")).to_be_visible()
    assert SavedView.objects.get().query == "status=new"


def test_the_view_name_field_looks_like_the_others_on_a_phone(page, live_server, make_user):
    rep = make_user(
        "wang.wei", roles=[R.SALES_REP], teams=[Team.objects.create(name="East")], language="zh-hans"
    )
    page.set_viewport_size(PHONE)
    page.set_default_timeout(15_000)
    as_user(page, live_server, rep, "zh-hans")
    page.goto(f"{live_server.url}/sales/leads/")
    _menu(page).locator("summary").click()
    style = "el => { const s = getComputedStyle(el); return [s.fontSize, s.borderRadius, s.borderTopColor]; }"
    search = page.locator("#filters input[name=q]").evaluate(style)
    assert search[0] == "16px"
    assert _menu(page).locator("input[name=name]").evaluate(style) == search

"""A colleague mentions you in a note: the unread count appears in your top bar without a reload, the inbox
shows the notification, and following it opens the party's timeline — in English at desktop width and in
Chinese on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core.models import Notification
from guanxi.core.roles import SALES_MANAGER, SALES_REP
from guanxi.core.tests.browser.support import CASES, follow, login_as, set_language, shot, tr
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(browser, live_server, user, lang: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    set_language(page, live_server, lang)
    page.set_default_timeout(10_000)
    login_as(page, live_server, user)
    return context, page


@CASES
def test_a_mention_reaches_the_colleague_who_follows_it(
    browser, live_server, make_user, team, settings, lang, viewport
):
    width = viewport["width"]
    settings.NOTIFICATIONS_POLL_SECONDS = 1  # the open page asks for the count every second
    wang = make_user("wang", roles=[SALES_MANAGER], teams=[team], language=lang)
    wang.first_name, wang.last_name = "伟", "王"
    wang.save()
    li = make_user("li.na", roles=[SALES_REP], teams=[team], language=lang)
    party = make_org(wang, "厦门海鑫贸易有限公司", owner=li)
    url = live_server.url

    # Li Na has a page open; nothing is unread.
    li_context, li_page = _open(browser, live_server, li, lang, width)
    li_page.goto(f"{url}/parties/")
    bell = li_page.locator("#notification-bell")
    expect(bell).to_be_visible()
    expect(bell.locator(".bell-count")).to_have_count(0)
    box = bell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width  # in the top bar, on screen

    # Wang mentions her in a note on the party's timeline.
    wang_context, wang_page = _open(browser, live_server, wang, lang, 1280)
    wang_page.goto(f"{url}/parties/{party.pk}/?tab=timeline")
    expect(wang_page.locator("#note-help")).to_contain_text("@")
    wang_page.fill("#note-body", "@li.na 请明天给他们打电话，确认合同。")
    follow(wang_page, wang_page.get_by_role("button", name=tr(lang, "Save note")))
    expect(wang_page.locator(".timeline")).to_contain_text("请明天给他们打电话")
    wang_context.close()

    # Her open page shows the unread count without a reload.
    expect(bell.locator(".bell-count")).to_have_text("1", timeout=15_000)
    expect(li_page.locator("#notification-bell")).to_have_attribute(
        "aria-label", tr(lang, "Notifications: %(n)s unread", n=1)
    )
    shot(li_page, f"notify-bell-{lang}-{width}")

    # The inbox shows it; following it opens the party's timeline and marks it read.
    follow(li_page, li_page.locator("#notification-bell"))
    expect(li_page.locator("h1")).to_have_text(tr(lang, "Notifications"))
    title = tr(lang, "%(author)s mentioned you in a note on %(party)s", author="王伟", party=party.name)
    item = li_page.locator("li.notification.unread")
    expect(item.locator(".notification-title")).to_have_text(title)
    expect(item.locator(".chip")).to_have_text(tr(lang, "You were mentioned in a note"))
    expect(item).to_contain_text("请明天给他们打电话")
    shot(li_page, f"notify-inbox-{lang}-{width}")
    follow(li_page, item.locator(".notification-title"))
    assert li_page.url == f"{url}/parties/{party.pk}/?tab=timeline"
    expect(li_page.locator(".timeline")).to_contain_text("@li.na 请明天给他们打电话")
    expect(li_page.locator("#notification-bell .bell-count")).to_have_count(0)
    shot(li_page, f"notify-followed-{lang}-{width}")
    assert Notification.objects.get(recipient=li).read_at is not None

    # Read ones stay in "All", not in "Unread".
    li_page.goto(f"{url}/notifications/?state=unread")
    expect(li_page.locator(".card.empty")).to_have_text(tr(lang, "Nothing unread. You are up to date."))
    li_context.close()

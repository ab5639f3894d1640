"""Schedule an activity on a party and complete it from My activities, which offers the next step — in
English on a desktop and in Chinese on a phone (390 px: nothing wider than the screen, no CSP violation)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guanxi.activities.models import Activity
from guanxi.activities.tests.factories import make_activity
from guanxi.core.roles import SALES_REP
from guanxi.core.tests.browser.support import (
    PHONE,
    fits,
    follow,
    login_as,
    set_language,
    shot,
    translator,
    watch_csp,
)
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rep(make_user, team):
    return make_user("wang", roles=[SALES_REP], teams=[team])


@pytest.fixture
def customer(rep, admin_user):
    org = make_org(admin_user, "深圳市华强电子有限公司", owner=rep)
    make_person(admin_user, "李娜", organization=org, job_title="采购经理")
    return org


def journey(page, live_server, rep, customer, lang: str, *, phone: bool) -> None:
    T = translator(lang)
    name = "zh" if lang == "zh-hans" else "en"
    page.set_default_timeout(10_000)
    if phone:
        page.set_viewport_size(PHONE)
    violations = watch_csp(page)
    set_language(page, live_server, lang)
    login_as(page, live_server, rep)
    url = live_server.url

    # Something already due, to complete with the plain "Mark done" too.
    make_activity(
        rep,
        customer,
        subject="Send the catalogue" if lang == "en" else "寄送产品目录",
        kind="email",
        due_at=timezone.now() - dt.timedelta(hours=3),
    )

    # 1. Schedule a meeting from the party's page.
    page.goto(f"{url}/parties/{customer.pk}/")
    follow(page, page.locator('[data-action="schedule_activity"]'))
    expect(page.locator("h1")).to_have_text(T("Schedule an activity"))
    page.get_by_label(T("Meeting"), exact=True).check()
    subject = "Visit the purchasing manager" if lang == "en" else "拜访采购经理"
    page.fill("#id_subject", subject)
    # Later today whatever the hour the suite runs (the default, the next full hour, is tomorrow after 23:00).
    page.fill("#id_due_date", timezone.localdate().isoformat())
    page.fill("#id_due_time", "23:59")
    page.fill("#id_location", "深圳市福田区华强北路 1002 号")
    page.get_by_label("李娜").check()
    if phone:
        fits(page, PHONE)
    shot(page, f"activity-form-{name}{'-phone' if phone else ''}")
    follow(page, page.get_by_role("button", name=T("Save")))
    expect(page.locator(".msg.success")).to_contain_text(subject)
    expect(page.locator("#tabpanel")).to_contain_text(subject)  # the overview's "Next activities" card
    shot(page, f"activity-party-{name}{'-phone' if phone else ''}")

    # 2. My activities: today's list (the overdue one first), from the menu.
    if phone:
        page.locator("[data-menu-toggle]").click()
    follow(page, page.locator("#sidenav").get_by_role("link", name=T("My activities")))
    items = page.locator("ul.activities > li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text(T("Overdue"))
    expect(items.nth(1)).to_contain_text(subject)
    expect(items.nth(1)).to_contain_text("深圳市华强电子有限公司")
    if phone:
        fits(page, PHONE)
    shot(page, f"my-activities-{name}{'-phone' if phone else ''}")

    # 3. Complete the overdue one in the list: the row says done and offers the next step (htmx, no reload).
    page.evaluate("window.notReloaded = true")
    first = items.first
    first.locator("summary").click()
    first.locator("textarea").fill("已发送" if lang == "zh-hans" else "Sent by e-mail")
    first.get_by_role("button", name=T("Mark done"), exact=True).click()
    expect(first.locator(".badge.done")).to_have_text(T("Done"))
    expect(first.get_by_role("link", name=T("Schedule the next step"))).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    if phone:
        fits(page, PHONE)
    shot(page, f"my-activities-done-{name}{'-phone' if phone else ''}")

    # 4. Complete the meeting and go straight on to its next step, prefilled.
    meeting = page.locator("ul.activities > li").filter(has_text=subject)
    meeting.locator("summary").click()
    meeting.locator("textarea").fill(
        "对方同意下周报价" if lang == "zh-hans" else "They want a quote next week"
    )
    if phone:
        fits(page, PHONE)
    shot(page, f"my-activities-completing-{name}{'-phone' if phone else ''}")
    with page.expect_navigation():
        meeting.get_by_role("button", name=T("Done, schedule the next step")).click()
    expect(page.locator("h1")).to_have_text(T("Schedule the next step"))
    follow_up = T("Follow-up: %(subject)s") % {"subject": subject}
    expect(page.locator("#id_subject")).to_have_value(follow_up)
    expect(page.get_by_label(T("Meeting"), exact=True)).to_be_checked()
    expect(page.get_by_label("李娜")).to_be_checked()
    if phone:
        fits(page, PHONE)
    shot(page, f"activity-next-step-{name}{'-phone' if phone else ''}")
    follow(page, page.get_by_role("button", name=T("Save")))
    expect(page.locator(".msg.success")).to_contain_text(follow_up)
    expect(page.locator("h1")).to_have_text(T("My activities"))  # back where the work was done

    done = Activity.objects.get(subject=subject)
    assert done.status == "done" and done.outcome
    nxt = Activity.objects.get(subject=follow_up)
    assert (
        nxt.follow_up_of == done
        and nxt.is_open
        and list(nxt.contacts.values_list("name", flat=True)) == ["李娜"]
    )

    # 5. The party's timeline shows what happened; the upcoming tab the next step.
    page.goto(f"{url}/parties/{customer.pk}/?tab=timeline")
    expect(page.locator("#tabpanel")).to_contain_text(subject)
    expect(page.locator("#tabpanel")).to_contain_text(done.outcome)
    shot(page, f"activity-timeline-{name}{'-phone' if phone else ''}")
    page.goto(f"{url}/activities/?when=upcoming")
    expect(page.locator("ul.activities")).to_contain_text(follow_up)
    if phone:
        fits(page, PHONE)
    assert violations == []


def test_schedule_and_complete_an_activity_in_english(page, live_server, rep, customer):
    journey(page, live_server, rep, customer, "en", phone=False)


def test_schedule_and_complete_an_activity_in_chinese_on_a_phone(page, live_server, rep, customer):
    journey(page, live_server, rep, customer, "zh-hans", phone=True)

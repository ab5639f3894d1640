"""Notification settings in a real browser: a user chooses e-mail only for a kind of event; an
administrator connects a team's group chat robot (a local fake), sends a test message and sees it sent —
in English at desktop width and in Chinese on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core.models import MessengerWebhook, NotificationPreference, Team
from guanxi.core.tests.browser.support import CASES, as_user, follow, shot, tr
from guanxi.core.tests.notifications_support import PING, test_events  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("test_events"),
]


@CASES
def test_preferences_and_a_team_robot(page, live_server, admin_user, fake_webhook, lang, viewport):
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.set_default_timeout(10_000)
    as_user(page, live_server, admin_user, lang)
    url = live_server.url

    # Settings → Notifications: e-mail only for the test event.
    page.goto(f"{url}/account/notifications/")
    expect(page.locator("h1")).to_have_text(tr(lang, "Notification settings"))
    page.locator(f"input[name='inapp:{PING}']").uncheck()
    shot(page, f"notify-prefs-{lang}-{width}")
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    expect(page.locator(".msg.success")).to_have_text(tr(lang, "Your notification settings are saved."))
    pref = NotificationPreference.objects.get(user=admin_user, event=PING)
    assert (pref.in_app, pref.email) == (False, True)

    # Settings → Teams → the team's messenger webhooks: a DingTalk robot with signing.
    team = Team.objects.create(name="华东销售")
    page.goto(f"{url}/settings/teams/")
    follow(page, page.get_by_role("link", name=tr(lang, "Add")))
    expect(page.locator(".empty")).to_have_text(tr(lang, "This team has no messenger webhook yet."))
    page.fill("#id_name", "华东销售群")
    page.select_option("#id_kind", "dingtalk")
    page.fill("#id_url", "http://example.com/robot/send?access_token=abc")  # not https: refused
    page.fill("#id_secret", "SECsecret-of-the-robot-0042")
    page.locator(f"input[name='events'][value='{PING}']").check()
    page.select_option("#id_language", "zh-hans")
    follow(page, page.get_by_role("button", name=tr(lang, "Add webhook")))
    expect(page.locator(".field.has-error .error")).to_contain_text("https://")
    expect(page.locator("#id_secret")).to_have_value("SECsecret-of-the-robot-0042")  # nothing typed is lost
    shot(page, f"notify-webhook-error-{lang}-{width}")
    fake_webhook.dingtalk_secret = "SECsecret-of-the-robot-0042"
    page.fill("#id_url", fake_webhook.url("/robot/send?access_token=tok0042"))
    follow(page, page.get_by_role("button", name=tr(lang, "Add webhook")))
    expect(page.locator(".msg.success")).to_contain_text("华东销售群")
    expect(page.locator("table")).to_contain_text("…0042")
    expect(page.locator("table")).not_to_contain_text("tok0042")
    shot(page, f"notify-webhooks-{lang}-{width}")

    # A test message reaches the (fake) group, signed; its status shows on the webhook's page.
    follow(page, page.get_by_role("link", name="华东销售群"))
    follow(page, page.get_by_role("button", name=tr(lang, "Send a test message")))
    expect(page.locator("table")).to_contain_text(tr(lang, "Sent"))
    shot(page, f"notify-webhook-edit-{lang}-{width}")
    [received] = fake_webhook.received
    assert received.body["markdown"]["title"] == tr("zh-hans", "Test message from Guanxi")
    assert MessengerWebhook.objects.get().team == team

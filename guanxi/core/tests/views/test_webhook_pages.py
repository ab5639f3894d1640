"""Settings → Teams → messenger webhooks: an administrator adds one (errors keep what was typed), sees it
only as a hint afterwards, edits it without retyping the URL, sends a test message and removes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guanxi.core.models import MessengerWebhook, Team
from guanxi.core.models.notifications import DeliveryStatus
from guanxi.core.services.messenger_webhooks import webhook_create
from guanxi.core.tests.notifications_support import PING, test_events  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_events")]

SECRET_URL = "https://oapi.dingtalk.com/robot/send?access_token=verysecrettoken42"


@pytest.fixture
def east(db):
    return Team.objects.create(name="East")


def test_teams_page_links_to_each_teams_webhooks(admin_client, east):
    page = admin_client.get(reverse("core:teams")).content.decode()
    assert reverse("core:team_webhooks", args=[east.pk]) in page


def test_add_a_webhook_errors_keep_the_input(admin_client, east):
    url = reverse("core:team_webhooks", args=[east.pk])
    page = admin_client.get(url).content.decode()
    assert "This team has no messenger webhook yet." in page and 'value="test.ping"' in page
    data = {
        "name": "East group",
        "kind": "dingtalk",
        "url": "http://oapi.dingtalk.com/x",
        "secret": "SECtyped",
        "events": [PING],
        "language": "zh-hans",
        "active": "on",
    }
    page = admin_client.post(url, data).content.decode()
    assert "Use an https:// URL" in page
    assert (
        'value="East group"' in page
        and 'value="http://oapi.dingtalk.com/x"' in page
        and 'value="SECtyped"' in page
    )
    response = admin_client.post(
        url, {**data, "url": SECRET_URL, "secret": "SEC0123456789abcdef"}, follow=True
    )
    page = response.content.decode()
    assert "Webhook “East group” added." in page
    assert "https://oapi.dingtalk.com/…en42" in page and "verysecrettoken42" not in page
    hook = MessengerWebhook.objects.get()
    assert (hook.team, hook.kind, hook.language, hook.events, hook.active) == (
        east,
        "dingtalk",
        "zh-hans",
        [PING],
        True,
    )


def test_edit_without_retyping_the_url_or_secret_never_shows_them(admin_client, admin_user, east):
    hook = webhook_create(
        actor=admin_user,
        team=east,
        name="G",
        kind="dingtalk",
        url=SECRET_URL,
        secret="SEC0123456789abcdef",
        events=[PING],
    )
    url = reverse("core:webhook_edit", args=[hook.pk])
    page = admin_client.get(url).content.decode()
    assert "verysecrettoken42" not in page and "SEC0123456789abcdef" not in page
    assert "…en42" in page and "…cdef" in page and "Nothing posted yet." in page
    data = {
        "version": 1,
        "name": "Renamed",
        "kind": "dingtalk",
        "url": "",
        "secret": "",
        "events": [PING],
        "language": "en",
        "active": "",
    }
    admin_client.post(url, data)
    hook.refresh_from_db()
    assert (hook.name, hook.url, hook.secret, hook.active, hook.version) == (
        "Renamed",
        SECRET_URL,
        "SEC0123456789abcdef",
        False,
        2,
    )
    page = admin_client.post(url, {**data, "name": "Stale"}).content.decode()  # version 1 again
    assert "Someone else changed this record" in page and 'value="Stale"' in page
    admin_client.post(url, {**data, "version": 2, "remove_secret": "on"})
    hook.refresh_from_db()
    assert hook.secret == ""


def test_test_message_and_removal(
    admin_client, admin_user, east, fake_webhook, django_capture_on_commit_callbacks
):
    hook = webhook_create(
        actor=admin_user,
        team=east,
        name="G",
        kind="wecom",
        url=fake_webhook.url("/send?key=k"),
        events=[PING],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("core:webhook_test", args=[hook.pk]), follow=True)
    page = response.content.decode()
    assert "A test message is on its way" in page and "Test message from Guanxi" in page
    assert hook.deliveries.get().status == DeliveryStatus.SENT and len(fake_webhook.received) == 1
    response = admin_client.post(reverse("core:webhook_delete", args=[hook.pk]), follow=True)
    assert "Webhook “G” removed." in response.content.decode()
    assert not MessengerWebhook.objects.exists()


def test_only_administrators(client, make_user, admin_user, east):
    hook = webhook_create(
        actor=admin_user,
        team=east,
        name="G",
        kind="wecom",
        url=SECRET_URL.replace("dingtalk", "x"),
        events=[PING],
    )
    client.force_login(make_user("rep"))
    for url in (reverse("core:team_webhooks", args=[east.pk]), reverse("core:webhook_edit", args=[hook.pk])):
        assert client.get(url).status_code == 403
    for name in ("webhook_test", "webhook_delete"):
        assert client.post(reverse(f"core:{name}", args=[hook.pk])).status_code == 403
    assert MessengerWebhook.objects.exists()

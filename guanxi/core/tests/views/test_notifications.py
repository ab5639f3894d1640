"""The bell in the top bar (and its cheap, quiet poll), the inbox (filter, pages, opening, marking read)
and one's own notification settings page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanxi.core.models import Notification, NotificationPreference, UserSession
from guanxi.core.tests.notifications_support import PING, ping, test_events  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_events")]

INBOX = reverse("core:notifications")
COUNT = reverse("core:notification_count")


@pytest.fixture
def ann(make_user):
    return make_user("ann")


@pytest.fixture
def ann_client(ann):
    client = Client()
    client.force_login(ann)
    return client


def test_the_bell_shows_the_unread_count_on_every_page(ann, ann_client):
    page = ann_client.get(reverse("core:sessions")).content.decode()
    assert 'id="notification-bell"' in page and "bell-count" not in page
    assert f'hx-get="{COUNT}" hx-trigger="every 30s, focus from:window"' in page
    ping([ann])
    ping([ann])
    page = ann_client.get(reverse("core:sessions")).content.decode()
    assert '<span class="bell-count" data-unread="2">2</span>' in page
    assert 'aria-label="Notifications: 2 unread"' in page


def test_the_count_poll_is_one_count_query_and_writes_nothing(ann, ann_client):
    ping([ann])
    UserSession.objects.filter(user=ann).update(last_seen_at=timezone.now() - timedelta(hours=1))
    seen = UserSession.objects.get(user=ann).last_seen_at
    ann_client.get(COUNT, headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as ctx:
        response = ann_client.get(COUNT, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-unread="1"' in response.content.decode()
    sqls = [q["sql"].upper() for q in ctx.captured_queries]
    assert len(sqls) <= 3, sqls  # the session, the user, the count
    assert not [s for s in sqls if s.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert UserSession.objects.get(user=ann).last_seen_at == seen  # a page left open is not activity
    assert "Set-Cookie" not in response.headers


def test_the_poll_stops_when_the_session_has_ended(client):
    assert client.get(COUNT, headers={"HX-Request": "true"}).status_code == 286
    assert client.get(COUNT).status_code == 302  # plain navigation: the login page


def test_more_than_99_unread_reads_99_plus(ann, ann_client):
    Notification.objects.bulk_create(
        Notification(recipient=ann, event=PING, title=str(i)) for i in range(120)
    )
    assert '<span class="bell-count" data-unread="100">99+</span>' in ann_client.get(COUNT).content.decode()


def test_empty_inbox_in_both_languages(ann_client):
    assert "No notifications yet." in ann_client.get(INBOX).content.decode()
    assert "Nothing unread." in ann_client.get(INBOX, {"state": "unread"}).content.decode()
    page = ann_client.get(INBOX, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "还没有通知" in page


def test_inbox_filter_open_and_mark_read(ann, ann_client, make_user):
    actor = make_user("wang")
    old = ping([ann], title="Old one", body="Earlier", actor=actor, url="/parties/1/?tab=timeline")[0]
    new = ping([ann], title="New one")[0]
    ping([make_user("bob")], title="Bob's")
    page = ann_client.get(INBOX).content.decode()
    assert page.index("New one") < page.index("Old one") and "Bob's" not in page
    assert "wang" in page and "Earlier" in page
    response = ann_client.get(reverse("core:notification_open", args=[old.pk]))
    assert response.status_code == 302 and response["Location"] == "/parties/1/?tab=timeline"
    old.refresh_from_db()
    assert old.read_at is not None
    page = ann_client.get(INBOX, {"state": "unread"}).content.decode()
    assert "New one" in page and "Old one" not in page
    response = ann_client.get(reverse("core:notification_open", args=[new.pk]))  # no link: back to the inbox
    assert response["Location"] == INBOX


def test_mark_one_read_with_htmx_swaps_the_item_and_the_bell(ann, ann_client):
    n = ping([ann], title="Hello")[0]
    ping([ann], title="Other")
    response = ann_client.post(reverse("core:notification_read", args=[n.pk]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f'id="notification-{n.pk}"' in html and "Mark read" not in html.split("notification-bell")[0]
    assert 'hx-swap-oob="true"' in html and 'data-unread="1"' in html
    response = ann_client.post(reverse("core:notification_read", args=[n.pk]), {"state": "unread"})
    assert response["Location"] == f"{INBOX}?state=unread"


def test_mark_all_read(ann, ann_client):
    ping([ann])
    ping([ann])
    response = ann_client.post(reverse("core:notifications_read_all"), follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(read_at=None).exists()


def test_someone_elses_notification_is_not_found(ann_client, make_user):
    theirs = ping([make_user("bob")])[0]
    assert ann_client.get(reverse("core:notification_open", args=[theirs.pk])).status_code == 404
    assert ann_client.post(reverse("core:notification_read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_inbox_pages_cost_the_same_for_3_and_30_rows(ann, ann_client, make_user):
    actors = [make_user(f"actor{i}") for i in range(3)]

    def grow(start, stop):
        for i in range(start, stop):
            ping([ann], title=f"N{i:02d}", actor=actors[i % 3], body="x")

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = ann_client.get(INBOX)
        return len(ctx.captured_queries), response.content.decode().count('<li class="notification')

    grow(0, 3)
    ann_client.get(INBOX)  # warm-up: the session's last-seen time
    few, shown = queries()
    assert shown == 3
    grow(3, 30)
    many, shown = queries()
    assert shown == 25  # one page
    assert few == many <= 5  # session, user, roles (menu), the page (with its actors), the unread count


def test_older_and_newer_pages(ann, ann_client):
    for i in range(30):
        ping([ann], title=f"N{i:02d}")
    page = ann_client.get(INBOX)
    cursor = page.context["page"].next_cursor
    older = ann_client.get(INBOX, {"cursor": cursor}).content.decode()
    assert "N04" in older and "N05" not in older and "Newer" in older
    assert "N29" in ann_client.get(INBOX, {"cursor": "not-a-cursor"}).content.decode()  # first page


def test_preferences_page_saves_the_choices(ann, ann_client):
    page = ann_client.get(reverse("core:notification_preferences")).content.decode()
    assert f'name="inapp:{PING}"' in page and f'name="email:{PING}"' in page
    assert "You have no e-mail address" not in page
    response = ann_client.post(reverse("core:notification_preferences"), {f"email:{PING}": "on"}, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    pref = NotificationPreference.objects.get(user=ann, event=PING)
    assert (pref.in_app, pref.email) == (False, True)


def test_preferences_page_warns_without_an_email_address(ann, ann_client):
    ann.email = ""
    ann.save()
    page = ann_client.get(reverse("core:notification_preferences")).content.decode()
    assert "You have no e-mail address" in page

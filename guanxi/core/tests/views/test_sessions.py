"""Signed-in sessions: listed for the user, ended one by one or all others, by an administrator too;
a password change signs out the other sessions (issue 5, item 31)."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanxi.core.models import AuditEntry, UserSession
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import SALES_REP
from guanxi.core.services.sessions import SEEN_KEY
from guanxi.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SESSIONS = reverse("core:sessions")
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in(username, user_agent=CHROME, address="127.0.0.1"):
    """A browser that signed in through the login page."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = browser.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def is_signed_in(browser) -> bool:
    return browser.get(SESSIONS).status_code == 200


def test_the_sessions_page_lists_where_the_user_is_signed_in(make_user):
    user = make_user("wang")
    laptop = signed_in("wang")
    signed_in("wang", IPHONE, "192.0.2.5")
    html = laptop.get(SESSIONS).content.decode()
    assert "Chrome 126 · Windows" in html and "Safari 17 · iOS" in html
    assert "192.0.2.5" in html and "127.0.0.1" in html
    assert html.count("This session") == 1
    assert UserSession.objects.filter(user=user).count() == 2
    assert f'href="{SESSIONS}"' in html  # in the user menu


def test_signing_out_the_other_sessions(make_user):
    make_user("li")
    laptop, phone, tablet = signed_in("li"), signed_in("li", IPHONE), signed_in("li", IPHONE)
    response = laptop.post(SESSIONS)
    assert response.status_code == 302
    assert "2 sessions signed out." in laptop.get(SESSIONS).content.decode()
    assert is_signed_in(laptop) and not is_signed_in(phone) and not is_signed_in(tablet)
    assert UserSession.objects.count() == 1
    ends = AuditEntry.objects.filter(action=AuditAction.SESSION_END)
    assert ends.count() == 2 and {e.changes["reason"][1] for e in ends} == {"user"}


def test_signing_out_one_session_and_not_someone_elses(make_user):
    make_user("zhao")
    make_user("qian")
    laptop, phone = signed_in("zhao"), signed_in("zhao", IPHONE)
    stranger = signed_in("qian")
    phone_row = UserSession.objects.get(user_agent=IPHONE)
    assert stranger.post(reverse("core:session_end", args=[phone_row.pk])).status_code == 404
    assert is_signed_in(phone)
    assert laptop.post(reverse("core:session_end", args=[phone_row.pk])).status_code == 302
    assert not is_signed_in(phone) and is_signed_in(laptop)
    assert laptop.get(reverse("core:session_end", args=[phone_row.pk])).status_code == 405


def test_logging_out_removes_the_session_from_the_list(make_user):
    make_user("sun")
    laptop = signed_in("sun")
    laptop.post(reverse("logout"))
    assert not UserSession.objects.exists() and not Session.objects.exists()


def test_a_password_change_signs_out_the_other_sessions(make_user):
    """Django's update_session_auth_hash keeps the session that changed the password; the others end."""
    make_user("zhou")
    laptop, phone = signed_in("zhou"), signed_in("zhou", IPHONE)
    new = "Another-horse-2026!"
    response = laptop.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert is_signed_in(laptop) and not is_signed_in(phone)
    [row] = UserSession.objects.all()  # the laptop's, under its new session key
    assert row.user_agent == CHROME and row.session_key == laptop.session.session_key
    assert "This session" in laptop.get(SESSIONS).content.decode()
    assert AuditEntry.objects.get(action=AuditAction.SESSION_END).changes["reason"] == [None, "password"]


def test_an_administrator_sees_and_ends_a_users_sessions(make_user, admin_user):
    user = make_user("wu", roles=[SALES_REP])
    phone = signed_in("wu", IPHONE, "198.51.100.9")
    admin = Client()
    admin.force_login(admin_user)
    html = admin.get(reverse("core:user_edit", args=[user.pk])).content.decode()
    assert "Safari 17 · iOS" in html and "198.51.100.9" in html and "Logged in" in html
    response = admin.post(reverse("core:user_sessions_end", args=[user.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("core:user_edit", args=[user.pk])
    assert not is_signed_in(phone)
    entry = AuditEntry.objects.get(action=AuditAction.SESSION_END)
    assert entry.actor == admin_user and entry.target_id == str(user.pk)
    assert (
        "signed out by an administrator"
        in admin.get(reverse("core:user_edit", args=[user.pk])).content.decode()
    )


def test_only_administrators_end_other_users_sessions(make_user):
    make_user("rep", roles=[SALES_REP])
    other = make_user("other")
    rep = signed_in("rep")
    signed_in("other")
    assert rep.post(reverse("core:user_sessions_end", args=[other.pk])).status_code == 403
    assert UserSession.objects.filter(user=other).count() == 1


def test_an_administrator_resetting_a_password_signs_the_user_out(make_user, admin_user):
    user = make_user("feng")
    phone = signed_in("feng", IPHONE)
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("core:user_edit", args=[user.pk]),
        {"username": "feng", "is_active": "on", "password": "Brand-new-secret-7"},
    )
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(admin)


def test_last_seen_is_written_at_most_once_a_minute(make_user):
    make_user("chen")
    laptop = signed_in("chen")
    row = UserSession.objects.get()
    laptop.get(SESSIONS)
    with CaptureQueriesContext(connection) as ctx:
        laptop.get(SESSIONS)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]  # within the minute
    session = laptop.session
    session[SEEN_KEY] -= 61  # a minute later
    session.save()
    UserSession.objects.update(last_seen_at=timezone.now() - dt.timedelta(minutes=1))
    before = UserSession.objects.get().last_seen_at
    laptop.get(SESSIONS, REMOTE_ADDR="203.0.113.77")
    row.refresh_from_db()
    assert row.last_seen_at > before and row.ip_address == "203.0.113.77"


def test_expired_sessions_are_not_listed_and_are_cleaned_up(make_user):
    user = make_user("lin")
    old = signed_in("lin", IPHONE)
    Session.objects.filter(session_key=old.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(days=1)
    )
    laptop = signed_in("lin")
    listed = laptop.get(SESSIONS).content.decode().split("Sign-in activity")[0]
    assert "Chrome 126" in listed and "iOS" not in listed
    assert list(UserSession.objects.filter(user=user).values_list("user_agent", flat=True)) == [CHROME]


def test_sessions_page_query_count_does_not_grow(make_user, django_assert_max_num_queries):
    make_user("gao")
    browsers = [signed_in("gao") for _ in range(6)]
    with django_assert_max_num_queries(6):
        response = browsers[0].get(SESSIONS)
    assert response.content.decode().count("<tr>") >= 6


def test_deactivating_a_user_signs_them_out_everywhere(make_user, admin_user):
    user = make_user("han")
    phone = signed_in("han", IPHONE)
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(reverse("core:user_edit", args=[user.pk]), {"username": "han"})  # "Active" unticked
    assert response.status_code == 302
    assert not UserSession.objects.filter(user=user).exists() and not is_signed_in(phone)
    assert AuditEntry.objects.get(action=AuditAction.SESSION_END).changes["reason"] == [None, "deactivated"]

"""Failed sign-ins are throttled per account name and per client address, told in the user's language,
and audited (issue 5, item 31: nine wrong passwords then the right one logged in at once)."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from guanxi.core.audit_display import change_lines
from guanxi.core.models import AuditEntry, LoginThrottle
from guanxi.core.models.audit import AuditAction
from guanxi.core.services import logins
from guanxi.core.services.users import user_set_password
from guanxi.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def attempt(client, username, password="wrong-password", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, HTTP_USER_AGENT=FIREFOX, **extra)


def unlock_all():
    """The wait is over (as if the time had passed)."""
    LoginThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))


def test_nine_wrong_passwords_then_the_right_one_is_refused(client, make_user):
    user = make_user("wang")
    for _ in range(3):  # typos cost nothing
        assert attempt(client, "wang").status_code == 200
    response = attempt(client, "wang")  # the 4th failure: the next try must wait
    assert "Too many failed attempts: try again in 30 seconds." in response.content.decode()
    for _ in range(5):
        response = attempt(client, "wang")
        assert response.status_code == 429
    response = attempt(client, "wang", PASSWORD)  # the right password, during the wait
    assert response.status_code == 429
    assert "Too many failed attempts: try again in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert 'value="wang"' in response.content.decode()  # what was typed is kept
    unlock_all()
    response = attempt(client, "wang", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    # a correct password forgets the account's failures
    assert not LoginThrottle.objects.filter(key="account:wang").exists()


def test_waits_double_up_to_a_temporary_lock():
    waits = [logins.login_failed(username="Wang", ip_address=None) for _ in range(14)]
    assert waits == [0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600]
    # the name is matched without case: "WANG" is the same account
    assert logins.login_wait(username="WANG ", ip_address=None) > 3500


def test_a_refused_try_does_not_check_the_password_nor_count(client, make_user):
    make_user("li")
    for _ in range(4):
        attempt(client, "li")
    row = LoginThrottle.objects.get(key="account:li")
    assert row.failures == 4
    for _ in range(3):
        attempt(client, "li", PASSWORD)
    row.refresh_from_db()
    assert row.failures == 4  # not made worse by tries during the wait
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_BLOCKED).count() == 3


@override_settings(
    GUANXI_LOGIN_THROTTLE={
        "account_free_failures": 3,
        "address_free_failures": 5,
        "first_wait_seconds": 30,
        "max_wait_seconds": 3600,
        "forget_after_seconds": 86400,
    }
)
def test_one_address_trying_many_accounts_is_throttled(client, make_user):
    make_user("zhao")
    for i in range(5):  # five different names, one failure each: no account is throttled ...
        assert attempt(client, f"name{i}").status_code == 200
    response = attempt(client, "name5")  # ... but the address is
    assert "Too many failed attempts" in response.content.decode()
    assert attempt(client, "zhao", PASSWORD).status_code == 429
    # another address is not affected
    assert attempt(client, "zhao", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_the_answer_does_not_tell_whether_the_account_exists(client, make_user):
    make_user("sun")
    pages = {}
    for name in ["sun", "nobody"]:
        for _ in range(4):
            response = attempt(client, name, REMOTE_ADDR=f"10.0.0.{len(name)}")
        pages[name] = (response.status_code, response.content.decode().replace(name, "NAME"))
        response = attempt(client, name, REMOTE_ADDR=f"10.0.0.{len(name)}")
        pages[name + "-refused"] = (response.status_code, response.content.decode().replace(name, "NAME"))
    strip = lambda page: (page[0], re.sub(r'(X-CSRFToken": "|value=")[A-Za-z0-9]{64}', "", page[1]))  # noqa: E731
    assert strip(pages["sun"]) == strip(pages["nobody"])
    assert strip(pages["sun-refused"]) == strip(pages["nobody-refused"])


def test_the_message_is_in_the_users_language(client, make_user):
    make_user("zhou")
    client.cookies["django_language"] = "zh-hans"
    for _ in range(4):
        response = attempt(client, "zhou")
    html = response.content.decode()
    assert "尝试失败次数过多" in html and "30" in html
    logins.login_failed(username="zhou", ip_address=None)  # 5th and 6th failures: 2 minutes to wait
    logins.login_failed(username="zhou", ip_address=None)
    response = attempt(client, "zhou")
    assert response.status_code == 429 and "请在 2 分钟后再试" in response.content.decode()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, make_user):
    make_user("qian")
    for i in range(4):  # a client making up a new address each time is still one address
        attempt(client, "qian", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert LoginThrottle.objects.filter(key="address:127.0.0.1").get().failures == 4
    assert not LoginThrottle.objects.filter(key__startswith="address:203.").exists()


@override_settings(GUANXI_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_it_saw_is_used(client, make_user):
    make_user("qian")
    # the client wrote "1.1.1.1" itself; the proxy appended the address it saw
    attempt(client, "qian", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert LoginThrottle.objects.filter(key="address:198.51.100.7").exists()
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.changes["ip_address"] == [None, "198.51.100.7"]


def test_sign_ins_are_audited_and_read_well(client, make_user):
    user = make_user("wu")
    attempt(client, "wu")
    attempt(client, "nobody-here")
    attempt(client, "wu", PASSWORD)
    client.post(reverse("logout"), HTTP_USER_AGENT=FIREFOX)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["login_failed", "login_failed", "login", "logout"]
    failed, unknown, login, logout = entries
    assert failed.target_id == str(user.pk) and failed.actor is None
    assert unknown.target_id == "" and unknown.target_repr == "nobody-here"
    assert login.actor == user and logout.actor == user
    assert login.get_action_display() == "Logged in"
    assert {line.label: line.new for line in change_lines(login)} == {  # PostgreSQL's jsonb keeps no order
        "IP address": "127.0.0.1",
        "Browser": "Firefox 128 · Linux",
    }
    assert PASSWORD not in str(AuditEntry.objects.values_list("changes", flat=True))


def test_an_administrator_setting_a_new_password_lifts_the_lock(client, make_user, admin_user):
    user = make_user("zheng")
    for _ in range(10):
        attempt(client, "zheng")
    assert attempt(client, "zheng", PASSWORD).status_code == 429
    user_set_password(actor=admin_user, user=user, password="Fresh-start-2026!")
    assert attempt(client, "zheng", "Fresh-start-2026!").status_code == 302


def test_a_quiet_day_forgets_the_failures():
    for _ in range(3):
        logins.login_failed(username="he", ip_address=None)
    LoginThrottle.objects.update(last_failure_at=timezone.now() - dt.timedelta(days=2))
    assert logins.login_failed(username="he", ip_address=None) == 0  # counted afresh: the 1st failure


def test_counters_of_names_tried_long_ago_are_deleted():
    logins.login_failed(username="once", ip_address="192.0.2.1")
    LoginThrottle.objects.update(last_failure_at=timezone.now() - dt.timedelta(days=2))
    logins.login_failed(username="other", ip_address="192.0.2.2")
    assert set(LoginThrottle.objects.values_list("key", flat=True)) == {"account:other", "address:192.0.2.2"}

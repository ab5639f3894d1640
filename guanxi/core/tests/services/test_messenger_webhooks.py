"""Administrators set up a team's messenger webhooks: the URL must be https (plain http only to this
machine), a WeCom robot has no secret, the event types must exist; the URL and secret never reach the
audit trail in full; a stale edit is refused."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry, MessengerWebhook, Team
from guanxi.core.services.messenger_webhooks import clean_url, webhook_create, webhook_delete, webhook_update
from guanxi.core.tests.notifications_support import PING, QUIET, test_events  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_events")]

URL = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"
SECRET = "SEC0123456789abcdefSECRET"


@pytest.fixture
def admin(make_user):
    return make_user("root", superuser=True)


@pytest.fixture
def east(db):
    return Team.objects.create(name="East")


def _create(admin, team, **kw):
    values = {"name": "East group", "kind": "dingtalk", "url": URL, "events": [PING], "secret": SECRET}
    return webhook_create(actor=admin, team=team, **{**values, **kw})


@pytest.mark.parametrize(
    "url",
    [
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6",
        "https://open.feishu.cn/open-apis/bot/v2/hook/abc",
        "http://127.0.0.1:8099/hook",
        "http://localhost/hook",
        "  https://oapi.dingtalk.com/robot/send?access_token=x  ",
    ],
)
def test_good_urls(url):
    assert clean_url(url) == url.strip()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the robot's webhook URL."),
        ("http://oapi.dingtalk.com/robot/send", "Use an https:// URL"),
        ("ftp://example.com/x", "Enter a full URL"),
        ("oapi.dingtalk.com/robot/send", "Enter a full URL"),
        ("https:///nohost", "Enter a full URL"),
        ("https://exa mple.com/x", "Enter a full URL"),
        ("https://example.com/x\x00", "Enter a full URL"),
        ("https://example.com:99999999/x", "Enter a full URL"),
        ("https://user:pw@example.com/x", "Leave user names and passwords out"),
        ("https://example.com/" + "x" * 500, "at most 500"),
    ],
)
def test_bad_urls_are_refused_with_a_reason(url, message):
    with pytest.raises(ValidationError) as err:
        clean_url(url)
    assert message in err.value.messages[0]


def test_every_problem_is_told_at_once(admin, east):
    with pytest.raises(ValidationError) as err:
        _create(
            admin, east, name=" ", kind="slack", url="http://example.com", events=["no.such"], language="fr"
        )
    assert set(err.value.message_dict) == {"name", "kind", "url", "events", "language"}
    with pytest.raises(ValidationError) as err:
        _create(admin, east, events=[])
    assert "at least one" in err.value.message_dict["events"][0]
    with pytest.raises(ValidationError) as err:
        _create(admin, east, kind="wecom")
    assert "do not sign" in err.value.message_dict["secret"][0]
    assert not MessengerWebhook.objects.exists()


def test_created_audited_without_the_secret_or_the_whole_url(admin, east):
    hook = _create(admin, east, name="  East   group ", events=[PING, QUIET, PING])
    assert (hook.name, hook.events, hook.language, hook.active) == ("East group", [PING, QUIET], "en", True)
    assert hook.url_hint == "https://oapi.dingtalk.com/…cdef" and hook.secret_hint == "…CRET"
    entry = AuditEntry.objects.get(target_type="core.messengerwebhook")
    assert entry.subject_type == "core.team" and entry.subject_id == str(east.pk)
    text = json.dumps(entry.changes, ensure_ascii=False)
    assert "0123456789abcdef" not in text and SECRET not in text and "…cdef" in text


def test_update_keeps_url_and_secret_unless_given_and_refuses_a_stale_version(admin, east):
    hook = _create(admin, east)
    hook = webhook_update(actor=admin, webhook=hook, version=1, name="Renamed", url="", secret=None)
    assert (hook.name, hook.url, hook.secret, hook.version) == ("Renamed", URL, SECRET, 2)
    hook = webhook_update(actor=admin, webhook=hook, url=URL.replace("abcdef", "ffffff"), secret="")
    assert hook.secret == "" and hook.url.endswith("ffffff") and hook.version == 3
    last = AuditEntry.objects.filter(action="update").order_by("-id").first()
    assert set(last.changes) == {"url", "secret"} and "ffffff" not in json.dumps(last.changes)
    with pytest.raises(ConflictError):
        webhook_update(actor=admin, webhook=hook, version=1, name="Late")
    hook = webhook_update(actor=admin, webhook=hook, kind="wecom")
    assert hook.kind == "wecom"
    with pytest.raises(ValidationError):
        webhook_update(actor=admin, webhook=hook, secret="SECnot-for-wecom")


def test_only_administrators(make_user, admin, east):
    rep = make_user("rep", teams=[east])
    with pytest.raises(PermissionDeniedError):
        _create(rep, east)
    hook = _create(admin, east)
    with pytest.raises(PermissionDeniedError):
        webhook_update(actor=rep, webhook=hook, name="x")
    with pytest.raises(PermissionDeniedError):
        webhook_delete(actor=rep, webhook=hook)
    webhook_delete(actor=admin, webhook=hook)
    assert not MessengerWebhook.objects.exists()
    assert AuditEntry.objects.filter(action="delete", target_type="core.messengerwebhook").exists()

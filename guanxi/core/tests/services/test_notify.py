"""notify(): one row per recipient in their language, the rules on who is told, the channels they chose,
e-mails after commit (content and language), and nothing at all when the change is rolled back."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext

from guanxi.core.models import Delivery, Notification, NotificationPreference, Team
from guanxi.core.models.notifications import DeliveryStatus
from guanxi.core.tests.notifications_support import (  # noqa: F401  (fixtures)
    PING,
    QUIET,
    ping,
    team_documents,
    test_events,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("test_events")]


def test_one_notification_per_recipient_never_the_actor_nor_inactive_users(make_user):
    actor, ann, bob = make_user("actor"), make_user("ann"), make_user("bob")
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    made = ping([ann, bob, ann, actor, gone, None], actor=actor, body="Hello")
    assert sorted(n.recipient.username for n in made) == ["ann", "bob"]
    row = Notification.objects.get(recipient=ann)
    assert (row.event, row.title, row.body, row.actor, row.in_app, row.read_at) == (
        PING,
        "Ping",
        "Hello",
        actor,
        True,
        None,
    )
    assert ping([actor], actor=actor) == []  # nobody is told about what they did themselves
    assert len(ping([actor], actor=actor, include_actor=True)) == 1


def test_an_unknown_event_type_is_a_programming_error(make_user):
    with pytest.raises(LookupError):
        from guanxi.core.services.notifications import notify

        notify(event="nobody.declared", recipients=[make_user()], title="x")


def test_links_are_paths_on_this_site(make_user):
    ann = make_user("ann")
    assert ping([ann], url="/parties/1/")[0].url == "/parties/1/"
    for bad in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            ping([ann], url=bad)


@pytest.mark.usefixtures("team_documents")
def test_the_record_gives_the_link_and_only_those_who_may_see_it_are_told(make_user):
    team = Team.objects.create(name="East")
    member, outsider = make_user("member", teams=[team]), make_user("outsider")
    made = ping([member, outsider], subject_obj=team, title="About the team")
    assert [n.recipient for n in made] == [member]
    row = made[0]
    assert (row.url, row.subject_type, row.subject_id) == (
        f"/settings/teams/{team.pk}/webhooks/",
        "core.team",
        str(team.pk),
    )


def test_title_and_text_are_written_in_each_recipients_language(make_user):
    en, zh, default = make_user("en", language="en"), make_user("zh", language="zh-hans"), make_user("dflt")
    ping([en, zh, default], title=lambda: gettext("Teams"), body=lambda: gettext("Log in"))
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {"en": "Teams", "zh": "团队", "dflt": "Teams"}  # no language: the site's (English)
    assert Notification.objects.get(recipient=zh).body == "登录"


def test_long_titles_become_one_short_line(make_user):
    ann = make_user("ann")
    row = ping([ann], title="Line one\nline two " + "x" * 400, body="y" * 3000)[0]
    assert "\n" not in row.title and len(row.title) == 300 and row.title.endswith("…")
    assert len(row.body) == 2000


def test_channels_follow_the_event_defaults_and_each_users_choice(make_user):
    both, mail_only, nothing = make_user("both"), make_user("mailonly"), make_user("nothing")
    NotificationPreference.objects.create(user=mail_only, event=PING, in_app=False, email=True)
    NotificationPreference.objects.create(user=nothing, event=PING, in_app=False, email=False)
    ping([both, mail_only, nothing])
    rows = {n.recipient.username: n.in_app for n in Notification.objects.select_related("recipient")}
    assert rows == {"both": True, "mailonly": False}  # an e-mail-only row is not in the inbox
    assert sorted(m.to[0] for m in mail.outbox) == ["both@example.com", "mailonly@example.com"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_in_app_only_event_sends_no_email_and_no_address_no_email(make_user):
    ann, nomail = make_user("ann"), make_user("nomail")
    nomail.email = ""
    nomail.save()
    from guanxi.core.services.notifications import notify

    notify(event=QUIET, recipients=[ann], title="Quiet")
    ping([nomail])
    assert mail.outbox == []
    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists()


def test_email_is_sent_after_commit_in_the_recipients_language(make_user, settings):
    settings.GUANXI_BASE_URL = "https://crm.example.com/"
    actor, zh = make_user("actor"), make_user("li", language="zh-hans")
    with transaction.atomic():
        ping([zh], actor=actor, title=lambda: gettext("Teams"), body="Call 厦门海鑫 today", url="/parties/7/")
        assert mail.outbox == []  # nothing leaves before the change is committed
    [message] = mail.outbox
    assert message.subject == "团队" and message.to == ["li@example.com"]
    assert "Call 厦门海鑫 today" in message.body
    assert "https://crm.example.com/parties/7/" in message.body
    assert "https://crm.example.com/account/notifications/" in message.body  # where to change it
    html, mime = message.alternatives[0]
    assert mime == "text/html" and 'href="https://crm.example.com/parties/7/"' in html
    assert "在 Guanxi 中打开" in html  # the button, in Chinese


def test_english_email_and_escaping(make_user):
    ann = make_user("ann", language="en")
    ping([ann], title="<b>Deal</b> & co", body="1 < 2")
    [message] = mail.outbox
    assert message.subject == "<b>Deal</b> & co"  # plain text: as written
    assert "1 < 2" in message.body and "Open it in Guanxi:" not in message.body  # no link, no line
    html = message.alternatives[0][0]
    assert "&lt;b&gt;Deal&lt;/b&gt; &amp; co" in html and "<b>Deal" not in html


def test_a_rolled_back_change_tells_nobody(make_user):
    ann = make_user("ann")
    with pytest.raises(RuntimeError), transaction.atomic():
        ping([ann])
        raise RuntimeError("the caller's change failed")
    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert mail.outbox == []


def test_team_messenger_gets_one_post_for_its_members(make_user, fake_webhook):
    from guanxi.core.services.messenger_webhooks import webhook_create

    admin = make_user("root", superuser=True)
    east, west = Team.objects.create(name="East"), Team.objects.create(name="West")
    ann, bob, cid = (
        make_user("ann", teams=[east]),
        make_user("bob", teams=[east]),
        make_user("cid", teams=[west]),
    )
    ann.first_name, ann.last_name = "伟", "王"
    ann.save()
    hook = webhook_create(
        actor=admin,
        team=east,
        name="East group",
        kind="wecom",
        url=fake_webhook.url("/send?key=k1"),
        events=[PING],
        language="zh-hans",
    )
    webhook_create(
        actor=admin, team=west, name="West", kind="wecom", url=fake_webhook.url("/w"), events=[QUIET]
    )
    ping([ann, bob, cid], title=lambda: gettext("Teams"), url="/parties/3/")
    [received] = fake_webhook.received  # West did not choose this event type
    content = received.body["markdown"]["content"]
    assert received.path == "/send" and received.query == {"key": "k1"}
    assert "**团队**" in content and "王伟" in content and "bob" in content and "cid" not in content
    assert "/parties/3/" in content
    delivery = Delivery.objects.get(webhook=hook)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1

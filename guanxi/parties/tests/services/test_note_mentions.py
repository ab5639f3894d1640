"""A note with "@username" tells that colleague (event type note.mention), if they may see the party; the
author is never told about their own note; a note whose team messenger times out is saved all the same."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from guanxi.core.models import Delivery, Notification, Team
from guanxi.core.models.notifications import DeliveryStatus
from guanxi.core.roles import SALES_MANAGER, SALES_REP
from guanxi.core.services.messenger_webhooks import webhook_create
from guanxi.core.tests.fake_webhook import Answer
from guanxi.parties.models import PartyNote
from guanxi.parties.services.notes import mentioned_users, note_add
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, team):
    return {
        "wang": make_user("wang", roles=[SALES_REP], teams=[team]),
        "li": make_user("li.na", roles=[SALES_MANAGER], teams=[team], language="zh-hans"),
        "bob": make_user("Bob", roles=[SALES_REP], teams=[team]),
        "far": make_user("far", roles=[SALES_REP]),  # in no team: sees only their own parties
    }


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("@li.na please call them", ["li.na"]),
        ("Thanks @li.na.", ["li.na"]),
        ("cc @bob, @WANG", ["Bob", "wang"]),  # user names match whatever their case
        ("请@wang看一下", ["wang"]),  # Chinese right before and after
        ("@wang，@li.na：", ["li.na", "wang"]),
        ("write to li.na@example.com", []),  # an e-mail address is no mention
        ("@nobody @ @", []),
    ],
)
def test_mentions_are_found_in_the_text(people, body, names):
    assert sorted(u.username for u in mentioned_users(body)) == names


def test_mentioned_colleagues_who_may_see_the_party_are_told(
    people, admin_user, django_capture_on_commit_callbacks
):
    party = make_org(admin_user, "厦门海鑫贸易有限公司", owner=people["wang"])
    with django_capture_on_commit_callbacks(execute=True):
        note_add(actor=people["wang"], party=party, body="@li.na @far @wang please call them about the 合同")
    [n] = Notification.objects.all()  # far may not see the party; wang wrote it
    assert n.recipient == people["li"] and n.event == "note.mention" and n.actor == people["wang"]
    assert n.title == "wang 在 厦门海鑫贸易有限公司 的备注中提到了你"
    assert n.body.startswith("@li.na @far") and n.url == f"/parties/{party.pk}/?tab=timeline"
    assert (n.subject_type, n.subject_id) == ("parties.party", str(party.pk))
    [message] = mail.outbox
    assert message.to == ["li.na@example.com"] and message.subject == n.title


@pytest.mark.django_db(transaction=True)
def test_the_messenger_timeouts_are_retried_then_marked_failed(make_user, fake_webhook, client, settings):
    settings.NOTIFICATION_DELIVERY = {"timeout_seconds": 0.2, "attempts": 3, "first_retry_seconds": 0.01}
    admin = make_user("root", superuser=True)
    team = Team.objects.create(name="East")
    wang = make_user("wang", roles=[SALES_REP], teams=[team])
    make_user("li.na", roles=[SALES_MANAGER], teams=[team])
    fake_webhook.answer(Answer(delay=1.0))
    hook = webhook_create(
        actor=admin,
        team=team,
        name="East",
        kind="feishu",
        url=fake_webhook.url("/open-apis/bot/v2/hook/x"),
        events=["note.mention"],
    )
    party = make_org(admin, "Acme", owner=wang)
    client.force_login(wang)
    response = client.post(reverse("parties:note_add", args=[party.pk]), {"body": "@li.na see this"})
    assert response.status_code == 302
    delivery = Delivery.objects.get(webhook=hook)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "timeout" in delivery.last_error and len(fake_webhook.received) == 3
    assert PartyNote.objects.count() == 1

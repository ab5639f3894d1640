"""Deliveries in the worker: a messenger post that times out or answers an error is tried again after
growing pauses, then marked failed with the reason; one that recovers is marked sent. Each attempt is
claimed once, a switched-off webhook is not posted to, and a backend that can defer gets the pause."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guanxi.core.models import Delivery, Team
from guanxi.core.models.notifications import DeliveryStatus
from guanxi.core.services.deliveries import (
    deliveries_retry_due,
    delivery_attempt,
    retry_pause,
    webhook_send_test,
)
from guanxi.core.services.messenger_webhooks import webhook_create, webhook_update
from guanxi.core.tests.fake_webhook import Answer
from guanxi.core.tests.notifications_support import PING, ping, test_events  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("test_events")]


@pytest.fixture
def world(make_user, fake_webhook):
    admin = make_user("root", superuser=True)
    team = Team.objects.create(name="East")
    ann = make_user("ann", teams=[team])
    ann.email = ""  # the messenger post only
    ann.save()
    hook = webhook_create(
        actor=admin,
        team=team,
        name="East group",
        kind="dingtalk",
        url=fake_webhook.url("/robot/send?access_token=t"),
        events=[PING],
        secret="SECsigning-secret-1234",
    )
    return {"admin": admin, "team": team, "ann": ann, "hook": hook, "server": fake_webhook}


def _post(world) -> Delivery:
    ping([world["ann"]], title="Deal won")
    return Delivery.objects.get(webhook=world["hook"])


def test_a_post_that_recovers_is_sent_on_a_later_attempt(world):
    world["server"].dingtalk_secret = "SECsigning-secret-1234"
    world["server"].answer(Answer(status=502, body={}), Answer())
    delivery = _post(world)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert delivery.finished_at is not None
    assert len(world["server"].received) == 2


def test_errors_are_retried_with_growing_pauses_then_marked_failed(world, settings):
    settings.NOTIFICATION_DELIVERY = {"timeout_seconds": 1, "attempts": 3, "first_retry_seconds": 0.2}
    world["server"].answer(Answer(status=500, body={"error": "down"}))
    delivery = _post(world)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert delivery.last_error.startswith("HTTP 500")
    t1, t2, t3 = (r.at for r in world["server"].received)
    # Exponential backoff: at least 0.2 s, then at least 0.4 s (twice the first pause). Comparing the two
    # measured gaps with each other measured the machine's load too (a busy CI run made the first gap long).
    assert t2 - t1 >= 0.2 and t3 - t2 >= 0.4


def test_a_robot_that_never_answers_times_out_three_times_then_fails(world, settings):
    settings.NOTIFICATION_DELIVERY = {"timeout_seconds": 0.3, "attempts": 3, "first_retry_seconds": 0.01}
    world["server"].answer(Answer(delay=1.0))
    delivery = _post(world)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert "timeout" in delivery.last_error
    assert len(world["server"].received) == 3


def test_an_error_code_in_a_200_answer_is_a_failure_too(world):
    world["server"].dingtalk_secret = "SECanother-secret-xyz"  # the robot expects another secret
    delivery = _post(world)
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "310000 sign not match"


def test_a_switched_off_webhook_is_not_posted_to(world):
    delivery = Delivery.objects.create(
        channel="webhook", webhook=world["hook"], event=PING, payload={"title": "x"}
    )
    webhook_update(actor=world["admin"], webhook=world["hook"], active=False)
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert delivery.last_error == "The webhook is switched off."
    assert world["server"].received == []


def test_an_attempt_is_claimed_once_and_a_finished_delivery_is_left_alone(world):
    delivery = _post(world)
    assert delivery.status == DeliveryStatus.SENT
    again = delivery_attempt(delivery_id=delivery.pk)
    assert again.attempts == 1 and len(world["server"].received) == 1
    later = Delivery.objects.create(
        channel="webhook",
        webhook=world["hook"],
        event=PING,
        payload={"title": "later"},
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )
    assert delivery_attempt(delivery_id=later.pk).attempts == 0  # not due yet
    assert delivery_attempt(delivery_id=999999) is None


def test_a_deferring_backend_gets_the_next_attempt_with_its_pause(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.NOTIFICATION_DELIVERY = {"timeout_seconds": 1, "attempts": 3, "first_retry_seconds": 30}
    from django_tasks import default_task_backend

    world["server"].answer(Answer(status=503, body={}))
    ping([world["ann"]], title="Deal won")
    delivery = Delivery.objects.get(webhook=world["hook"])
    [first] = default_task_backend.results  # queued after commit, not run
    assert first.task.run_after is None and first.kwargs == {"delivery_id": delivery.pk}
    before = timezone.now()
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    second = default_task_backend.results[-1]
    assert second.task.run_after == delivery.next_attempt_at
    assert timedelta(seconds=29) < delivery.next_attempt_at - before < timedelta(seconds=31)
    assert [retry_pause(n) for n in (1, 2, 3)] == [30, 60, 120]
    default_task_backend.clear()


def test_pending_deliveries_that_are_due_can_be_queued_again(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    ping([world["ann"]], title="Deal won")
    default_task_backend.clear()
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert deliveries_retry_due() == 1
    assert [r.kwargs for r in default_task_backend.results] == [{"delivery_id": Delivery.objects.get().pk}]
    default_task_backend.clear()


def test_a_test_message_reaches_the_group(world):
    world["server"].dingtalk_secret = "SECsigning-secret-1234"
    delivery = webhook_send_test(actor=world["admin"], webhook=world["hook"])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert world["server"].received[0].body["markdown"]["title"] == "Test message from Guanxi"


def test_old_read_notifications_and_posts_are_cleaned_up(world):
    from django.core.management import call_command

    from guanxi.core.models import Notification

    ping([world["ann"]], title="old, read")
    ping([world["ann"]], title="old, unread")
    ping([world["ann"]], title="new, read")
    long_ago = timezone.now() - timedelta(days=200)
    Notification.objects.filter(title__startswith="old").update(created_at=long_ago)
    Notification.objects.filter(title__endswith=", read").update(read_at=timezone.now())
    Notification.objects.filter(title="old, read").update(read_at=long_ago)
    Delivery.objects.update(created_at=long_ago)
    call_command("notifications_cleanup", "--days", "180")
    assert sorted(Notification.objects.values_list("title", flat=True)) == ["new, read", "old, unread"]
    assert not Delivery.objects.exists()

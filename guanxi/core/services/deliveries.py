"""Sending deliveries (e-mails and team messenger posts) in the worker: one attempt per task run, retried
with growing pauses, then marked failed. Nothing here runs inside the request that caused it.

Settings (`NOTIFICATION_DELIVERY`): `timeout_seconds` per messenger request (5), `attempts` in all (3),
`first_retry_seconds` before the second attempt (30; each further pause doubles).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.messengers import Message, SendResult, WebhookConfig, adapter_for
from guanxi.core.models import Delivery, MessengerWebhook
from guanxi.core.models.notifications import DeliveryChannel, DeliveryStatus
from guanxi.core.services.notifications import absolute_url, enqueue_deliveries, language_of

logger = logging.getLogger(__name__)

DEFAULTS = {"timeout_seconds": 5.0, "attempts": 3, "first_retry_seconds": 30.0}
ERROR_LENGTH = 500


def delivery_settings() -> dict:
    return {**DEFAULTS, **getattr(settings, "NOTIFICATION_DELIVERY", {})}


def retry_pause(attempts: int, conf: dict | None = None) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: first_retry_seconds, then doubling."""
    conf = conf or delivery_settings()
    return float(conf["first_retry_seconds"]) * 2 ** max(attempts - 1, 0)


class _Final(Exception):  # noqa: N818  (a failure that another attempt cannot mend)
    pass


def _claim(delivery_id: int, conf: dict) -> Delivery | None:
    """Take a pending, due delivery for one attempt (one conditional UPDATE: two workers given the same
    delivery cannot both send it). While it is being sent its next attempt is pushed past the timeout."""
    now = timezone.now()
    lease = now + timedelta(seconds=float(conf["timeout_seconds"]) + 60)
    taken = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=lease)
    if not taken:
        return None
    return Delivery.objects.select_related("notification__recipient", "notification__actor", "webhook").get(
        pk=delivery_id
    )


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Try to send one delivery (the task calls this). Idempotent: a delivery that is sent, failed, not
    due yet or being sent elsewhere is left alone. Never raises for a failed send."""
    conf = delivery_settings()
    delivery = _claim(delivery_id, conf)
    if delivery is None:
        return Delivery.objects.filter(pk=delivery_id).first()
    final = False
    try:
        if delivery.channel == DeliveryChannel.EMAIL:
            result = _send_email(delivery)
        else:
            result = _send_webhook(delivery, conf)
    except _Final as exc:
        result, final = SendResult(False, str(exc)), True
    except Exception as exc:  # an SMTP error, a bug in an adapter: recorded, retried like any failure
        logger.warning("Delivery %s failed: %s", delivery.pk, exc, exc_info=True)
        result = SendResult(False, f"{type(exc).__name__}: {exc}")
    return _record(delivery, result, final, conf)


def _record(delivery: Delivery, result: SendResult, final: bool, conf: dict) -> Delivery:
    now, pause = timezone.now(), 0.0
    delivery.last_error = result.error[:ERROR_LENGTH]
    if result.ok:
        delivery.status, delivery.finished_at, delivery.last_error = DeliveryStatus.SENT, now, ""
    elif final or delivery.attempts >= int(conf["attempts"]):
        delivery.status, delivery.finished_at = DeliveryStatus.FAILED, now
        logger.warning("Delivery %s failed for good: %s", delivery.pk, delivery.last_error)
    else:
        pause = retry_pause(delivery.attempts, conf)
        delivery.next_attempt_at = now + timedelta(seconds=pause)
    delivery.save(update_fields=["status", "finished_at", "last_error", "next_attempt_at"])
    if delivery.status == DeliveryStatus.PENDING:
        _retry_later(delivery, pause)
    return delivery


def _retry_later(delivery: Delivery, pause: float) -> None:
    """Queue the next attempt to run after the pause. A backend that cannot defer a task (the immediate
    backend of the tests) runs it at once: wait out the pause here first."""
    from guanxi.core.tasks import delivery_send_task

    try:
        if delivery_send_task.get_backend().supports_defer:
            delivery_send_task.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)
            return
        time.sleep(max(0.0, (delivery.next_attempt_at - timezone.now()).total_seconds()))
        delivery_send_task.enqueue(delivery_id=delivery.pk)
    except Exception:
        logger.exception("Could not queue the next attempt of delivery %s", delivery.pk)


def _send_email(delivery: Delivery) -> SendResult:
    notification = delivery.notification
    if notification is None:
        raise _Final("The notification is gone.")
    user = notification.recipient
    if not user.is_active or not user.email:
        raise _Final(_("The recipient has no e-mail address or is inactive."))
    event_type = registry.event_type(notification.event)
    with translation.override(language_of(user)):
        context = {
            "notification": notification,
            "recipient": user,
            "event_label": str(event_type.label) if event_type else notification.event,
            "link": absolute_url(notification.url),
            "inbox": absolute_url(reverse("core:notifications")),
            "preferences": absolute_url(reverse("core:notification_preferences")),
        }
        text = render_to_string("core/emails/notification.txt", context)
        html = render_to_string("core/emails/notification.html", context)
    message = EmailMultiAlternatives(notification.title, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return SendResult(True)


def _send_webhook(delivery: Delivery, conf: dict) -> SendResult:
    hook = delivery.webhook
    if hook is None or not hook.active:
        raise _Final(_("The webhook is switched off."))
    adapter = adapter_for(hook.kind)
    if adapter is None:
        raise _Final(_("Unknown kind of messenger."))
    p = delivery.payload
    message = Message(
        title=p.get("title", ""),
        body=p.get("body", ""),
        url=p.get("url", ""),
        link_text=p.get("link_text", ""),
        recipients=list(p.get("recipients", [])),
        recipients_label=p.get("recipients_label", ""),
    )
    return adapter(WebhookConfig(hook.url, hook.secret, float(conf["timeout_seconds"])), message)


def deliveries_retry_due(*, now=None) -> int:
    """Queue every pending delivery whose next attempt is due (a worker that stopped mid-way, a queue that
    was down). For a periodic job; returns how many were queued."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )[:1000]
    )
    enqueue_deliveries(ids)
    return len(ids)


def webhook_send_test(*, actor, webhook: MessengerWebhook) -> Delivery:
    """Post a test message to a webhook (Settings → Teams → messenger webhooks), after commit."""
    from guanxi.core.services.messenger_webhooks import require_admin

    require_admin(actor)
    with translation.override(webhook.language):
        payload = {
            "title": _("Test message from Guanxi"),
            "body": _("%(user)s checks that notifications reach this group.") % {"user": str(actor)},
            "url": absolute_url(reverse("core:notifications")),
            "link_text": _("Open in Guanxi"),
        }
    with transaction.atomic():
        delivery = Delivery.objects.create(
            channel=DeliveryChannel.WEBHOOK, webhook=webhook, event="test", payload=payload
        )
        transaction.on_commit(lambda: enqueue_deliveries([delivery.pk]), robust=True)
    return delivery


def notifications_cleanup(*, keep_days: int = 180, now=None) -> tuple[int, int]:
    """Delete notifications read more than `keep_days` ago (with their deliveries) and finished messenger
    posts as old. Unread ones stay. Returns (notifications, posts) deleted. For a daily job
    (`guanxi manage notifications_cleanup`)."""
    from guanxi.core.models import Notification

    before = (now or timezone.now()) - timedelta(days=keep_days)
    notifications = Notification.objects.filter(read_at__lt=before).delete()[1].get("core.Notification", 0)
    in_app_off = Notification.objects.filter(in_app=False, created_at__lt=before).delete()[1]
    notifications += in_app_off.get("core.Notification", 0)
    posts = Delivery.objects.filter(
        webhook__isnull=False, status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED], created_at__lt=before
    ).delete()[0]
    return notifications, posts

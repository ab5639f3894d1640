"""Notifications: the inbox (one row per recipient), each user's choices per event type, the team
messenger webhooks that administrators set up, and the deliveries (e-mails, messenger posts) that the
worker sends after the change that caused them is committed. See docs/subsystems/notifications.md."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """Something a user is told about. `in_app` rows show in the inbox and count in the top bar; a row with
    `in_app` off exists for its e-mail only (the user chose e-mail alone for this event type)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=60)  # a registered EventType's code
    title = models.CharField(_("title"), max_length=300)  # written in the recipient's language
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500, blank=True)  # a path on this site: the record it is about
    subject_type = models.CharField(max_length=60, blank=True)  # "app_label.model" of that record
    subject_id = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], condition=Q(in_app=True), name="notif_inbox_idx"
            ),
            # The top bar's count and the "unread" list: only unread rows are in it, so it stays small.
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(in_app=True, read_at__isnull=True),
                name="notif_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def event_label(self):
        """What kind of notification it is, in the current language (its EventType's label)."""
        from guanxi.core import registry

        event_type = registry.event_type(self.event)
        return event_type.label if event_type else self.event


class NotificationPreference(models.Model):
    """A user's choice for one event type. No row: the event type's default channels."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=60)
    in_app = models.BooleanField(pgettext_lazy("notification channel", "In the app"))
    email = models.BooleanField(pgettext_lazy("notification channel", "By e-mail"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="uniq_notification_pref")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.event}"


class MessengerKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk custom robot")
    FEISHU = "feishu", _("Feishu custom bot")


class MessengerWebhook(models.Model):
    """A team's group chat robot (WeCom, DingTalk, Feishu): the chosen event types of the team's members are
    posted there. The URL holds the robot's key and the secret signs requests: neither is shown in full."""

    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, related_name="messenger_webhooks")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("messenger"), max_length=20, choices=MessengerKind.choices)
    url = models.CharField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    events = models.JSONField(default=list)  # EventType codes
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    active = models.BooleanField(pgettext_lazy("webhook", "Active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("messenger webhook")
        verbose_name_plural = _("messenger webhooks")
        ordering = ["team_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def url_hint(self) -> str:
        """The URL as shown back: its site and last four characters ("https://oapi.dingtalk.com/…3f9a")."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/…{self.url[-4:]}" if self.url else ""

    @property
    def secret_hint(self) -> str:
        return f"…{self.secret[-4:]}" if len(self.secret) >= 12 else ("…" if self.secret else "")


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Messenger")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message to send outside the app: an e-mail (of one notification) or a messenger post (to one
    webhook). Sent by the worker after commit, retried with growing pauses, then marked failed."""

    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    webhook = models.ForeignKey(
        MessengerWebhook, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=60)
    payload = models.JSONField(default=dict, blank=True)  # a messenger post: title, body, url, recipients
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_idx"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} ({self.status})"

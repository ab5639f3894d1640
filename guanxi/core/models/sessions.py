"""Who is signed in where (one row per browser session) and failed sign-ins counted for throttling."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserSession(models.Model):
    """A signed-in browser session. Django's session row holds the data; this row says whose it is,
    from where and since when, so that a user (or an administrator) can list and end sessions."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="user_session_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.ip_address or '?'}"

    @property
    def browser(self) -> str:
        from guanxi.core.clientinfo import browser_label

        return browser_label(self.user_agent)


class LoginThrottle(models.Model):
    """Failed sign-ins for one account name or one client address (docs/adr/0004-login-throttling.md)."""

    key = models.CharField(max_length=200, unique=True)  # "account:<name, case-folded>" or "address:<ip>"
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"

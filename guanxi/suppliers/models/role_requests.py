"""One party is one company: a buyer who onboards a supplier that is already registered (its unified social
credit code belongs to a customer) asks for the supplier role to be added to that party, and its owner — or
an administrator — consents or declines. Writes: guanxi.suppliers.services.role_requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RoleRequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for consent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SupplierRoleRequest(models.Model):
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    state = models.CharField(
        _("state"), max_length=10, choices=RoleRequestState.choices, default=RoleRequestState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("supplier role request")
        verbose_name_plural = _("supplier role requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party"], condition=Q(state="pending"), name="role_request_one_pending_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.state}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:role_request", args=[self.pk])

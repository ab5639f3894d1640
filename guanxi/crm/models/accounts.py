"""What the sales app keeps about a customer beyond the shared party: its level (客户等级)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.crm.choices import CustomerLevel


class CustomerAccount(models.Model):
    party = models.OneToOneField(
        "parties.Party", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="customer_account"
    )
    level = models.CharField(_("customer level"), max_length=1, choices=CustomerLevel.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        indexes = [models.Index(fields=["level", "party"], name="customer_level_idx")]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.level}"

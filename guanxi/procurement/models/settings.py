"""Purchasing settings (one row): how far a receipt may go above the open quantity, how many days back a
receipt may be dated, and (for the invoice match) the price and quantity tolerances."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class PurchasingSettings(models.Model):
    over_delivery_percent = models.DecimalField(
        _("over-delivery tolerance (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    backdate_days = models.PositiveIntegerField(_("receipts may be dated back (days)"), default=7)
    # The invoice match (三单匹配): a price difference is tolerated when it is within both the percent and the
    # amount per line (the stricter of the two); a quantity above what was accepted within the percent.
    price_tolerance_percent = models.DecimalField(
        _("price tolerance (%)"), max_digits=5, decimal_places=2, default=Decimal(2)
    )
    price_tolerance_amount = models.DecimalField(
        _("price tolerance per line (amount)"), max_digits=12, decimal_places=2, default=Decimal(50)
    )
    quantity_tolerance_percent = models.DecimalField(
        _("quantity tolerance (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    # Sourcing: an award at or above this amount (CNY) needs at least this many quotes, or a reason.
    rfq_min_quotes = models.PositiveIntegerField(_("quotes needed for an award"), default=3)
    rfq_min_quotes_above = models.DecimalField(
        _("… for awards of at least (CNY)"), max_digits=15, decimal_places=2, default=Decimal(50000)
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("purchasing settings")
        verbose_name_plural = _("purchasing settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> PurchasingSettings:
        return cls.objects.get_or_create(pk=1)[0]

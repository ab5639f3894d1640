"""Supplier price information (供应商价格信息): what a supplier charges us for a product — its own product code,
unit price in a currency, minimum order quantity, quantity breaks, lead time and validity. A price is never
edited: recording a new one ends the earlier ones it overlaps (cut short, or replaced when it starts no
later), so the history of prices stays. Writes: guanxi.procurement.services.prices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SupplierPrice(models.Model):
    supplier = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    supplier_code = models.CharField(_("supplier's product code"), max_length=64, blank=True)
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    unit_price = models.DecimalField(_("unit price"), max_digits=19, decimal_places=6)
    min_quantity = models.DecimalField(
        _("minimum order quantity"), max_digits=15, decimal_places=3, default=1
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("supplier price")
        verbose_name_plural = _("supplier prices")
        ordering = ["supplier_id", "product_id", "-valid_from", "-id"]
        indexes = [
            models.Index(
                fields=["product", "supplier", "currency", "valid_from"],
                name="sprice_current_idx",
                condition=Q(replaced_at__isnull=True),
            ),
            models.Index(fields=["supplier", "product", "created_at"], name="sprice_history_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sprice_price_not_negative"),
            models.CheckConstraint(condition=Q(min_quantity__gt=0), name="sprice_moq_positive"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="sprice_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id}/{self.product_id} {self.unit_price} {self.currency_id}"

    def price_for(self, quantity) -> tuple:
        """The unit price at `quantity` (the highest break it reaches) and the break's minimum."""
        best, at = self.unit_price, self.min_quantity
        for b in self.breaks.all():
            if quantity >= b.min_quantity and b.min_quantity >= at:
                best, at = b.unit_price, b.min_quantity
        return best, at


class SupplierPriceBreak(models.Model):
    """From `min_quantity` on, the unit price is `unit_price` (阶梯价)."""

    price = models.ForeignKey(SupplierPrice, on_delete=models.CASCADE, related_name="breaks")
    min_quantity = models.DecimalField(_("from quantity"), max_digits=15, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=19, decimal_places=6)

    class Meta:
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["price", "min_quantity"], name="sprice_break_unique"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sprice_break_not_negative"),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_quantity}: {self.unit_price}"

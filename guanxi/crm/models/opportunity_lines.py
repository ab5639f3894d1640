"""The products an opportunity is about (商机产品): a catalogue product, how many, at what expected unit price
(in the opportunity's currency; empty: not known yet) and a note. A quote made from the opportunity starts
with these lines. Writes: guanxi.crm.services.opportunity_lines."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OpportunityLine(models.Model):
    opportunity = models.ForeignKey("crm.Opportunity", on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=1)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit_price = models.DecimalField(
        _("expected unit price"), max_digits=19, decimal_places=6, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("product of an opportunity")
        verbose_name_plural = _("products of an opportunity")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="opp_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0) | Q(unit_price=None), name="opp_line_price_ok"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def amount(self):
        return None if self.unit_price is None else self.quantity * self.unit_price

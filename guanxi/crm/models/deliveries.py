"""What was delivered of a sales order (发货): each delivery has a date, a note (the courier and waybill, say) and
the quantity of each line it carried. A line's delivered quantity is the sum, kept on the line; the order's
state follows (confirmed → partially delivered → delivered). Writes: guanxi.crm.services.order_delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrderDelivery(models.Model):
    order = models.ForeignKey(
        "crm.SalesOrder", verbose_name=_("sales order"), on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered_on = models.DateField(_("delivered on"))
    note = models.CharField(_("note"), max_length=200, blank=True)  # courier, waybill number …
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.order} {self.delivered_on}"


class OrderDeliveryLine(models.Model):
    delivery = models.ForeignKey(OrderDelivery, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("crm.SalesOrderLine", on_delete=models.CASCADE, related_name="deliveries")
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)

    class Meta:
        verbose_name = _("delivered line")
        verbose_name_plural = _("delivered lines")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_line_positive")]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"

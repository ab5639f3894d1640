"""Purchase requisitions (请购单): anyone asks for products or services — quantity, the date they are needed,
a cost centre, why, a suggested supplier and an estimated price — approved by amount through the approvals
block; an approved requisition's lines go into an RFQ or a purchase order (several requisitions combined),
and each line remembers where it went. Writes: guanxi.procurement.services.requisitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.procurement.choices import RequisitionState

_USER = settings.AUTH_USER_MODEL


class Requisition(models.Model):
    number = models.CharField(_("number"), max_length=64, editable=False)
    company = models.ForeignKey(
        "core.Company", verbose_name=_("our company"), on_delete=models.PROTECT, related_name="+"
    )
    requester = models.ForeignKey(
        _USER, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "core.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RequisitionState.choices,
        default=RequisitionState.DRAFT,
        editable=False,
    )
    needed_by = models.DateField(_("needed by"))
    cost_centre = models.CharField(_("cost centre"), max_length=100, blank=True)
    justification = models.TextField(_("why it is needed"), max_length=2000)
    supplier = models.ForeignKey(
        "parties.Party",
        verbose_name=_("suggested supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    estimated_total = models.DecimalField(_("estimated total"), max_digits=17, decimal_places=4, default=0)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("purchase requisition")
        verbose_name_plural = _("purchase requisitions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "needed_by"], name="req_state_idx"),
            models.Index(fields=["requester", "state"], name="req_requester_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="req_number_unique")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("procurement:requisition", args=[self.pk])


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.ForeignKey(
        "catalog.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    estimated_price = models.DecimalField(
        _("estimated unit price"), max_digits=19, decimal_places=6, default=0
    )
    # Where the line went: an RFQ's line or a purchase order's line (one of them, once sourced).
    rfq_line = models.ForeignKey(
        "procurement.RfqLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requisition_lines",
    )
    order_line = models.ForeignKey(
        "procurement.PurchaseOrderLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requisition_lines",
    )

    class Meta:
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="req_line_quantity_positive"),
            models.CheckConstraint(condition=Q(estimated_price__gte=0), name="req_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description

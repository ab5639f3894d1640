"""Delivery notes (送货单 / ASN), receipts with inspection (收货 / 质检) and returns to suppliers (退货).

A delivery note announces what a supplier ships against the lines of its purchase orders; it carries a code
printed as a QR code that the receiving clerk scans (or types) to receive it in one step. A receipt records
per order line what physically arrived (received), what inspection accepted and what it rejected, with a
reason, on the day the goods arrived (backdating within the settings' window, audited). A return sends
received goods back, as a quality return (the supplier's fault) or a commercial one (ours). The order lines
keep the sums (guanxi.procurement.services.receipts), under a row lock so two clerks never over-receive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.procurement.choices_receipts import NoteState, RejectReason, ReturnKind


class _Doc(models.Model):
    number = models.CharField(_("number"), max_length=64, editable=False)
    company = models.ForeignKey(
        "core.Company", verbose_name=_("our company"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "core.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number


class DeliveryNote(_Doc):
    state = models.CharField(_("state"), max_length=10, choices=NoteState.choices, default=NoteState.OPEN)
    code = models.CharField(_("delivery code"), max_length=16, unique=True, editable=False)  # on the QR code
    supplier_reference = models.CharField(_("supplier's delivery number"), max_length=64, blank=True)
    ship_date = models.DateField(_("ship date"))
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("delivery note")
        verbose_name_plural = _("delivery notes")
        ordering = ["-ship_date", "-id"]
        indexes = [models.Index(fields=["supplier", "state", "ship_date"], name="dn_supplier_idx")]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="dn_number_unique")]

    def get_absolute_url(self) -> str:
        return reverse("procurement:delivery_note", args=[self.pk])


class DeliveryNoteLine(models.Model):
    note = models.ForeignKey(DeliveryNote, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "procurement.PurchaseOrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("shipped"), max_digits=15, decimal_places=3)
    received_quantity = models.DecimalField(
        _("received"), max_digits=15, decimal_places=3, default=0, editable=False
    )

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="dn_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.note_id}: {self.quantity}"


class Receipt(_Doc):
    delivery_note = models.ForeignKey(
        DeliveryNote,
        verbose_name=_("delivery note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    received_on = models.DateField(_("received on"))  # when the goods physically arrived
    backdated = models.BooleanField(_("dated back"), default=False, editable=False)

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["supplier", "received_on", "id"], name="gr_supplier_idx")]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="gr_number_unique")]

    def get_absolute_url(self) -> str:
        return reverse("procurement:receipt", args=[self.pk])


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "procurement.PurchaseOrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="receipt_lines",
    )
    note_line = models.ForeignKey(
        DeliveryNoteLine, null=True, blank=True, on_delete=models.PROTECT, related_name="receipt_lines"
    )
    received_quantity = models.DecimalField(_("received"), max_digits=15, decimal_places=3)
    accepted_quantity = models.DecimalField(_("accepted"), max_digits=15, decimal_places=3)
    rejected_quantity = models.DecimalField(_("rejected"), max_digits=15, decimal_places=3, default=0)
    reject_reason = models.CharField(
        _("rejection reason"), max_length=12, choices=RejectReason.choices, blank=True
    )
    reject_note = models.CharField(_("rejection note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(received_quantity__gt=0), name="gr_line_received_positive"),
            models.CheckConstraint(
                condition=Q(accepted_quantity__gte=0, rejected_quantity__gte=0)
                & Q(received_quantity=models.F("accepted_quantity") + models.F("rejected_quantity")),
                name="gr_line_accepted_plus_rejected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}: {self.received_quantity}"


class SupplierReturn(_Doc):
    kind = models.CharField(_("kind of return"), max_length=10, choices=ReturnKind.choices)
    returned_on = models.DateField(_("returned on"))
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("return to supplier")
        verbose_name_plural = _("returns to suppliers")
        ordering = ["-returned_on", "-id"]
        indexes = [models.Index(fields=["supplier", "returned_on", "id"], name="rtv_supplier_idx")]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="rtv_number_unique")]

    def get_absolute_url(self) -> str:
        return reverse("procurement:return", args=[self.pk])


class SupplierReturnLine(models.Model):
    supplier_return = models.ForeignKey(SupplierReturn, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "procurement.PurchaseOrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="return_lines",
    )
    receipt_line = models.ForeignKey(
        ReceiptLine, null=True, blank=True, on_delete=models.PROTECT, related_name="return_lines"
    )
    quantity = models.DecimalField(_("returned"), max_digits=15, decimal_places=3)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="rtv_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.supplier_return_id}: {self.quantity}"

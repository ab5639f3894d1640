"""Receivables (回款) and fapiao requests (开票申请) of a sales order: a collection plan of instalments, the
collections received and how they pay the instalments, and requests to issue fapiao (VAT invoices) up to what
is not invoiced yet. Writes: guanxi.crm.services.receivables; reads: guanxi.crm.selectors.receivables."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.core.money import validate_non_negative
from guanxi.crm.choices import CollectionMethod, FapiaoKind, FapiaoState


class Instalment(models.Model):
    order = models.ForeignKey("crm.SalesOrder", on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveIntegerField(_("instalment"), default=1)
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(
        _("amount"), max_digits=17, decimal_places=4, validators=[validate_non_negative]
    )
    paid = models.DecimalField(_("paid"), max_digits=17, decimal_places=4, default=0, editable=False)
    remind_days_before = models.PositiveIntegerField(_("remind days before"), default=3)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["order", "due_date", "position"]
        indexes = [
            # Reminders and overdue notices: unpaid instalments by due date.
            models.Index(
                fields=["due_date"], name="instalment_open_idx", condition=Q(paid__lt=models.F("amount"))
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=models.F("amount")), name="instalment_paid_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} #{self.position}"

    @property
    def open_amount(self):
        return self.amount - self.paid


class Collection(models.Model):
    """Money received from the customer for an order (回款)."""

    order = models.ForeignKey(
        "crm.SalesOrder", verbose_name=_("sales order"), on_delete=models.PROTECT, related_name="collections"
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), max_digits=17, decimal_places=4)
    method = models.CharField(
        _("method"), max_length=12, choices=CollectionMethod.choices, default=CollectionMethod.TRANSFER
    )
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="collection_amount_gt_0")]

    def __str__(self) -> str:
        return f"{self.order} {self.received_on}"


class CollectionAllocation(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="allocations")
    instalment = models.ForeignKey(Instalment, on_delete=models.CASCADE, related_name="allocations")
    amount = models.DecimalField(max_digits=17, decimal_places=4)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_gt_0")]

    def __str__(self) -> str:
        return f"{self.collection} → {self.instalment}"


class FapiaoRequest(models.Model):
    order = models.ForeignKey(
        "crm.SalesOrder",
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        related_name="fapiao_requests",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=FapiaoKind.choices, default=FapiaoKind.ELECTRONIC
    )
    amount = models.DecimalField(_("amount with tax"), max_digits=17, decimal_places=4)
    state = models.CharField(
        _("state"), max_length=10, choices=FapiaoState.choices, default=FapiaoState.PENDING, editable=False
    )
    # 开票信息 as requested (pre-filled from the customer, changed on the request if the customer asks).
    title = models.CharField(_("invoice title"), max_length=200)
    tax_number = models.CharField(_("taxpayer number"), max_length=30, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    phone = models.CharField(_("registered phone"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    fapiao_number = models.CharField(_("fapiao number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    tracking_number = models.CharField(_("courier tracking number"), max_length=60, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("fapiao request")
        verbose_name_plural = _("fapiao requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fapiao_amount_gt_0"),
            models.CheckConstraint(
                condition=~Q(state="issued") | ~Q(fapiao_number=""), name="fapiao_issued_has_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.get_kind_display()} {self.amount}"

    def get_absolute_url(self) -> str:
        return self.order.get_absolute_url() + "?tab=receivables"

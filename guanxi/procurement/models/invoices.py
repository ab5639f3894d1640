"""Supplier invoices (供应商发票, with the fapiao number) against purchase order lines, and their three-way match
(三单匹配): each line's quantity against what was accepted on receipts (and not returned or invoiced before),
its price and tax against the order, within the purchasing settings' tolerances. A line is matched or an
exception with its reasons; an invoice with exceptions is held until an approval releases it for payment.
Writes: guanxi.procurement.services.invoices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.procurement.choices_receipts import InvoiceState


class SupplierInvoice(models.Model):
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
    fapiao_number = models.CharField(_("fapiao number (发票号码)"), max_length=20)
    fapiao_code = models.CharField(_("fapiao code (发票代码)"), max_length=12, blank=True)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=InvoiceState.choices, editable=False)
    # As the supplier's invoice states them, and as its lines compute them.
    stated_gross = models.DecimalField(_("total on the invoice"), max_digits=17, decimal_places=4)
    net_total = models.DecimalField(_("amount without tax"), max_digits=17, decimal_places=4, default=0)
    tax_total = models.DecimalField(_("tax"), max_digits=17, decimal_places=4, default=0)
    gross_total = models.DecimalField(_("total with tax"), max_digits=17, decimal_places=4, default=0)
    problems = models.JSONField(_("exceptions"), default=list, blank=True)  # invoice-level MatchProblem codes
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        ordering = ["-invoice_date", "-id"]
        indexes = [
            models.Index(fields=["supplier", "invoice_date", "id"], name="pinv_supplier_idx"),
            models.Index(fields=["state", "invoice_date"], name="pinv_state_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="pinv_number_unique"),
            # One fapiao is entered once per supplier (a cancelled entry frees it).
            models.UniqueConstraint(
                fields=["supplier", "fapiao_code", "fapiao_number"],
                condition=~Q(state="cancelled"),
                name="pinv_fapiao_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("procurement:invoice", args=[self.pk])


class SupplierInvoiceLine(models.Model):
    invoice = models.ForeignKey(SupplierInvoice, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "procurement.PurchaseOrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="invoice_lines",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=19, decimal_places=6)
    tax_percent = models.DecimalField(_("tax (%)"), max_digits=7, decimal_places=4)
    net = models.DecimalField(_("amount"), max_digits=17, decimal_places=4)
    tax = models.DecimalField(_("tax"), max_digits=17, decimal_places=4)
    gross = models.DecimalField(_("total with tax"), max_digits=17, decimal_places=4)
    # What the match found: the order's price, the difference, and the problems (MatchProblem codes).
    order_price = models.DecimalField(_("order price"), max_digits=19, decimal_places=6)
    price_difference = models.DecimalField(_("price difference"), max_digits=17, decimal_places=4, default=0)
    problems = models.JSONField(_("exceptions"), default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="pinv_line_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.quantity}"

    @property
    def matched(self) -> bool:
        return not self.problems

"""Reconciliation statements (对账单) with a supplier for a period: the goods accepted on receipts and the goods
returned (valued at the order price with tax), and the invoices entered, with the difference between what we
received and what was invoiced. Sent to the supplier, who confirms or disputes each line (entered by the buyer
until the portal exists); a confirmed statement is locked. Writes: guanxi.procurement.services.statements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.procurement.choices_receipts import StatementLineKind, StatementState, SupplierAnswer


class ReconciliationStatement(models.Model):
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
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=StatementState.choices,
        default=StatementState.DRAFT,
        editable=False,
    )
    received_total = models.DecimalField(_("received"), max_digits=17, decimal_places=4, default=0)
    returned_total = models.DecimalField(_("returned"), max_digits=17, decimal_places=4, default=0)
    invoiced_total = models.DecimalField(_("invoiced"), max_digits=17, decimal_places=4, default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reconciliation statement")
        verbose_name_plural = _("reconciliation statements")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["supplier", "period_end", "id"], name="stmt_supplier_idx")]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="stmt_number_unique")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("procurement:statement", args=[self.pk])

    @property
    def difference(self):
        """Received − returned − invoiced: what the supplier may still invoice (or, negative, over-invoiced)."""
        return self.received_total - self.returned_total - self.invoiced_total

    @property
    def is_locked(self) -> bool:
        return self.state == StatementState.CONFIRMED


class StatementLine(models.Model):
    statement = models.ForeignKey(ReconciliationStatement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=StatementLineKind.choices)
    document_number = models.CharField(_("document"), max_length=64)
    order_number = models.CharField(_("purchase order"), max_length=64, blank=True)
    day = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3, null=True, blank=True)
    amount = models.DecimalField(_("amount with tax"), max_digits=17, decimal_places=4)
    answer = models.CharField(
        _("supplier's answer"), max_length=10, choices=SupplierAnswer.choices, blank=True
    )
    answer_note = models.CharField(_("supplier's note"), max_length=500, blank=True)

    class Meta:
        ordering = ["day", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.document_number} {self.amount}"

"""Purchase orders (采购订单) to suppliers. A line keeps what the supplier scorecards will need from the first
record on: the date we asked for, the first date the supplier confirmed (the "statistical" promised date,
moved only by a buyer's change order with a reason) apart from the current planning date, and the quantities
received, accepted, rejected and returned (kept by the receiving services). A change order (变更单) after
approval keeps the order as it was in a revision. Writes: guanxi.procurement.services.orders and
order_changes; reads: guanxi.procurement.selectors.orders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.procurement.choices import OrderState


class PurchaseOrder(models.Model):
    number = models.CharField(_("number"), max_length=64, editable=False)
    company = models.ForeignKey(
        "core.Company", verbose_name=_("our company"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "parties.Party",
        verbose_name=_("supplier contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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
    state = models.CharField(
        _("state"), max_length=10, choices=OrderState.choices, default=OrderState.DRAFT, editable=False
    )
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language of the document"), max_length=10, blank=True)
    ordered_on = models.DateField(_("order date"))
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    delivery_address = models.CharField(_("deliver to"), max_length=500, blank=True)
    notes = models.TextField(_("terms and notes"), blank=True, max_length=5000)
    net_total = models.DecimalField(_("amount without tax"), max_digits=17, decimal_places=4, default=0)
    tax_total = models.DecimalField(_("tax"), max_digits=17, decimal_places=4, default=0)
    gross_total = models.DecimalField(
        _("total with tax (价税合计)"), max_digits=17, decimal_places=4, default=0
    )
    # The total an approver last agreed to (or that needed no approval): a change order above it is approved again.
    approved_total = models.DecimalField(
        _("approved total"), max_digits=17, decimal_places=4, null=True, blank=True, editable=False
    )
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    sent_to = models.EmailField(_("sent to"), blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged by the supplier"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    close_reason = models.CharField(_("reason"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-ordered_on", "-id"]
        indexes = [
            models.Index(fields=["supplier", "state", "ordered_on", "id"], name="po_supplier_idx"),
            models.Index(fields=["owner", "state", "ordered_on", "id"], name="po_owner_idx"),
            models.Index(fields=["team", "state", "ordered_on", "id"], name="po_team_idx"),
            models.Index(fields=["ordered_on", "id"], name="po_date_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="po_number_unique")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("procurement:order", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state == OrderState.DRAFT


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier_code = models.CharField(_("supplier's product code"), max_length=64, blank=True)
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
    unit_price = models.DecimalField(_("unit price"), max_digits=19, decimal_places=6)
    tax_rate = models.ForeignKey(
        "core.TaxRate",
        verbose_name=_("tax rate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tax_percent = models.DecimalField(_("tax (%)"), max_digits=7, decimal_places=4, default=0)
    net = models.DecimalField(_("amount"), max_digits=17, decimal_places=4, default=0)
    tax = models.DecimalField(_("tax"), max_digits=17, decimal_places=4, default=0)
    gross = models.DecimalField(_("total with tax"), max_digits=17, decimal_places=4, default=0)
    # The supplier price that priced the line, when one did (its history explains the price).
    supplier_price = models.ForeignKey(
        "procurement.SupplierPrice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_date = models.DateField(_("requested date"), null=True, blank=True)
    first_confirmed_date = models.DateField(_("first confirmed date"), null=True, blank=True, editable=False)
    planned_date = models.DateField(_("planned date"), null=True, blank=True, editable=False)
    received_quantity = models.DecimalField(
        _("received"), max_digits=15, decimal_places=3, default=0, editable=False
    )
    accepted_quantity = models.DecimalField(
        _("accepted"), max_digits=15, decimal_places=3, default=0, editable=False
    )
    rejected_quantity = models.DecimalField(
        _("rejected"), max_digits=15, decimal_places=3, default=0, editable=False
    )
    returned_quantity = models.DecimalField(
        _("returned"), max_digits=15, decimal_places=3, default=0, editable=False
    )
    invoiced_quantity = models.DecimalField(
        _("invoiced"), max_digits=15, decimal_places=3, default=0, editable=False
    )  # on supplier invoices that are not cancelled (guanxi.procurement.services.invoices)

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="po_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def to_invoice(self):
        """Accepted, not returned and not yet invoiced: what an invoice may still bill."""
        return max(self.accepted_quantity - self.returned_quantity - self.invoiced_quantity, 0)

    @property
    def open_quantity(self):
        """Still to come: ordered − accepted + returned (rejected goods go back and are owed again)."""
        return max(self.quantity - self.accepted_quantity + self.returned_quantity, 0)


class PurchaseOrderRevision(models.Model):
    """The order as it was before a change order: header totals, lines and dates (JSON), who changed it, why."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("revision"))
    reason = models.CharField(_("reason"), max_length=500)
    snapshot = models.JSONField(default=dict)
    gross_total = models.DecimalField(_("total with tax"), max_digits=17, decimal_places=4)
    created_at = models.DateTimeField(_("changed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("purchase order revision")
        verbose_name_plural = _("purchase order revisions")
        ordering = ["order_id", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["order", "revision"], name="po_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} R{self.revision}"

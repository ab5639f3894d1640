"""Quotes (报价单) and the sales orders (销售订单) that accepted quotes become. A quote's lines are catalogue
products or free text with quantity, unit, unit price, discount and VAT; its totals are computed by
guanxi.crm.services.quote_totals (exact Decimal, rounded per line as a Chinese VAT invoice is) and stored.
A sent quote is never edited: it is revised into a new quote that keeps the earlier one (superseded).
Writes: guanxi.crm.services.quotes; reads: guanxi.crm.selectors.quotes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.crm.choices import OrderState, QuoteState


class _Owned(models.Model):
    number = models.CharField(_("number"), max_length=64, editable=False)
    company = models.ForeignKey(
        "core.Company", verbose_name=_("our company"), on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "parties.Party", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "parties.Party",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
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
    language = models.CharField(_("language of the document"), max_length=10, blank=True)
    notes = models.TextField(_("terms and notes"), blank=True, max_length=5000)
    net_total = models.DecimalField(_("amount without tax"), max_digits=17, decimal_places=4, default=0)
    tax_total = models.DecimalField(_("tax"), max_digits=17, decimal_places=4, default=0)
    gross_total = models.DecimalField(
        _("total with tax (价税合计)"), max_digits=17, decimal_places=4, default=0
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number


class _Line(models.Model):
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
    unit_price = models.DecimalField(_("unit price"), max_digits=19, decimal_places=6)
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2, default=0)
    tax_rate = models.ForeignKey(
        "core.TaxRate",
        verbose_name=_("tax rate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tax_percent = models.DecimalField(
        _("tax (%)"), max_digits=7, decimal_places=4, default=0
    )  # as it was quoted
    net = models.DecimalField(_("amount"), max_digits=17, decimal_places=4, default=0)
    tax = models.DecimalField(_("tax"), max_digits=17, decimal_places=4, default=0)
    gross = models.DecimalField(_("total with tax"), max_digits=17, decimal_places=4, default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class Quote(_Owned):
    state = models.CharField(
        _("state"), max_length=10, choices=QuoteState.choices, default=QuoteState.DRAFT, editable=False
    )
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("revises"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next",
        editable=False,
    )
    valid_until = models.DateField(_("valid until"))
    # The price list that priced its lines (价目表), and whether the user chose it (else it was found for the
    # customer, currency and day: guanxi.crm.selectors.pricelists).
    price_list = models.ForeignKey(
        "crm.PriceList",
        verbose_name=_("price list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    price_list_chosen = models.BooleanField(_("price list chosen"), default=False, editable=False)
    max_discount = models.DecimalField(
        _("largest discount (%)"), max_digits=5, decimal_places=2, default=0, editable=False
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    sent_to = models.EmailField(_("sent to"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("accepted or rejected"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "state", "created_at"], name="quote_owner_idx"),
            models.Index(fields=["team", "state", "created_at"], name="quote_team_idx"),
            models.Index(fields=["customer", "created_at"], name="quote_customer_idx"),
            models.Index(fields=["created_at", "id"], name="quote_created_idx"),
            # Expiry: sent quotes by their last valid day.
            models.Index(fields=["valid_until"], name="quote_expiry_idx", condition=Q(state="sent")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="quote_number_unique"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("crm:quote", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state == QuoteState.DRAFT


class QuoteLine(_Line):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")

    class Meta(_Line.Meta):
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")


class SalesOrder(_Owned):
    state = models.CharField(
        _("state"), max_length=10, choices=OrderState.choices, default=OrderState.CONFIRMED, editable=False
    )
    quote = models.OneToOneField(
        Quote,
        verbose_name=_("quote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order",
        editable=False,
    )
    ordered_on = models.DateField(_("order date"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    close_reason = models.CharField(_("reason"), max_length=500, blank=True)  # closed short, or cancelled
    # The sum of its collections (回款), kept by collection_record under the order's lock, so that "orders with
    # money still to come" is a column comparison, not a sum per order (bench: a rep's receivables page).
    collected = models.DecimalField(
        _("collected"), max_digits=17, decimal_places=4, default=0, editable=False
    )

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-ordered_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "state", "ordered_on"], name="order_owner_idx"),
            models.Index(fields=["team", "state", "ordered_on"], name="order_team_idx"),
            models.Index(fields=["customer", "ordered_on"], name="order_customer_idx"),
            # The list's order across states and owners (bench: a rep's first page 43 ms → a few ms at 300k).
            models.Index(fields=["ordered_on", "id"], name="order_date_idx"),
            # Orders with money still to come, per owner and per team (the Receivables page).
            models.Index(
                fields=["owner", "ordered_on", "id"],
                name="order_open_owner_idx",
                condition=Q(collected__lt=F("gross_total")) & ~Q(state="cancelled"),
            ),
            models.Index(
                fields=["team", "ordered_on", "id"],
                name="order_open_team_idx",
                condition=Q(collected__lt=F("gross_total")) & ~Q(state="cancelled"),
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="order_number_unique")]

    def get_absolute_url(self) -> str:
        return reverse("crm:order", args=[self.pk])


class SalesOrderLine(_Line):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    delivered_quantity = models.DecimalField(
        _("delivered"), max_digits=15, decimal_places=3, default=0, editable=False
    )  # the sum of its deliveries (guanxi.crm.services.order_delivery)

    class Meta(_Line.Meta):
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")

    @property
    def to_deliver(self):
        return max(self.quantity - self.delivered_quantity, 0)

"""Price lists (价目表): a list of catalogue products' unit prices in one currency, valid between two optional
dates, with quantity breaks (阶梯价: a price from a minimum quantity on). A list is general, or for one
customer (customer-specific prices); one general list per currency may be the default; a customer may be
assigned a list (CustomerPriceList, one row per party: the parties app knows nothing of it).
Writes: guanxi.crm.services.pricelists; reads and price resolution: guanxi.crm.selectors.pricelists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.crm.models.pipelines import in_language


class PriceList(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    customer = models.ForeignKey(
        "parties.Party",
        verbose_name=_("only for customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_default = models.BooleanField(_("default for its currency"), default=False)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
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
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["customer", "currency"], name="pricelist_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="pricelist_has_name"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="pricelist_valid_until_after_from",
            ),
            # The default list of a currency is for every customer, and there is at most one in use.
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(customer__isnull=True), name="pricelist_default_is_general"
            ),
            models.UniqueConstraint(
                fields=["currency"],
                condition=Q(is_default=True, archived_at__isnull=True),
                name="pricelist_one_default_per_currency",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:price_list", args=[self.pk])

    @property
    def name(self) -> str:
        return in_language(self.name_en, self.name_zh)

    def valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class PriceListItem(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    # A quantity break (阶梯价): this price from this quantity on; 0 is the price for any quantity.
    min_quantity = models.DecimalField(_("from quantity"), max_digits=15, decimal_places=3, default=0)
    unit_price = models.DecimalField(_("unit price"), max_digits=19, decimal_places=6)

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list items")
        ordering = ["price_list", "product", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product", "min_quantity"], name="pricelistitem_unique_break"
            ),
            models.CheckConstraint(condition=Q(min_quantity__gte=0), name="pricelistitem_min_quantity_gte_0"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="pricelistitem_unit_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} ≥ {self.min_quantity}: {self.unit_price}"


class CustomerPriceList(models.Model):
    """The price list a customer is assigned (one per customer)."""

    party = models.OneToOneField(
        "parties.Party", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("customer's price list")
        verbose_name_plural = _("customers' price lists")

    def __str__(self) -> str:
        return f"{self.party_id} → {self.price_list_id}"

"""The catalogue: products and services sold, bought or both, their categories (a tree), units of measure
(converted within a unit category) and default sale prices per currency. Writes: guanxi.catalog.services;
reads: guanxi.catalog.selectors. See docs/subsystems/catalog.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guanxi.catalog.choices import ApprovalState, ProductKind


def _in_language(en: str, zh: str) -> str:
    """The name in the user's language, else the other one."""
    if (get_language() or "").startswith("zh"):
        return zh or en
    return en or zh


class UnitCategory(models.Model):
    """What units measure (count, weight, length, volume, working time): units convert only within one."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("unit category")
        verbose_name_plural = _("unit categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_zh)


class Unit(models.Model):
    """A unit of measure (单位). `factor` is how many of its category's reference unit one of it is: box of
    12 = 12 (pcs), t = 1000 (kg), g = 0.001 (kg); the reference unit has factor 1."""

    category = models.ForeignKey(
        UnitCategory, verbose_name=_("unit category"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, blank=True)
    factor = models.DecimalField(_("factor"), max_digits=24, decimal_places=12)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category_id", "factor", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(condition=Q(factor__gt=0), name="unit_factor_positive"),
            models.CheckConstraint(condition=Q(decimal_places__lte=6), name="unit_decimal_places_max"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_zh)


class Category(models.Model):
    """A product category (产品类别), in a tree. `path` lists the ids from the root down to this one
    ("/3/17/"), so a category's subtree is one indexed prefix match; sibling names are unique (compared
    folded: full-width, case and traditional characters do not make a second 电子元件)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    parent_key = models.PositiveBigIntegerField(default=0, editable=False)  # parent id, 0 at the top
    key_en = models.CharField(max_length=100, blank=True, editable=False)  # compact(name_en)
    key_zh = models.CharField(max_length=100, blank=True, editable=False)  # compact(name_zh)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_key = models.CharField(max_length=255, editable=False, default="")
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [
            models.UniqueConstraint(
                fields=["parent_key", "key_en"], condition=~Q(key_en=""), name="category_unique_name_en"
            ),
            models.UniqueConstraint(
                fields=["parent_key", "key_zh"], condition=~Q(key_zh=""), name="category_unique_name_zh"
            ),
            models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="category_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_zh)


class Product(models.Model):
    """A product or service of the catalogue (产品; 物料 on the buying side). `code_key` is the code folded
    (NFKC, case-folded, without spaces): GX-1001 and ｇｘ－１００１ are one code. The search columns are
    written by the services (guanxi.catalog.search)."""

    code = models.CharField(_("code"), max_length=64)
    code_key = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProductKind.choices, default=ProductKind.PRODUCT
    )
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    purchase_unit = models.ForeignKey(
        Unit,
        verbose_name=_("purchase unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tax_rate = models.ForeignKey(
        "core.TaxRate",
        verbose_name=_("tax rate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    can_sell = models.BooleanField(_("can be sold"), default=True)
    can_buy = models.BooleanField(_("can be bought"), default=False)
    approval_status = models.CharField(
        _("approval"), max_length=10, choices=ApprovalState.choices, default=ApprovalState.APPROVED
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    search_doc = models.TextField(default="", editable=False)
    sort_key = models.CharField(max_length=255, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["sort_key", "id"], name="product_sort"),
            models.Index(fields=["code_key", "id"], name="product_code_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="product_has_name"),
            models.CheckConstraint(
                condition=Q(can_sell=True) | Q(can_buy=True), name="product_sold_or_bought"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", args=[self.pk])

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_zh)


class ProductPrice(models.Model):
    """The default sale price of a product in one currency (per its unit, before tax); price lists of the
    sales app override it. Up to 6 decimal places: a screw may cost 0.0035."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    currency = models.ForeignKey("core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT)
    amount = models.DecimalField(_("price"), max_digits=20, decimal_places=6)

    class Meta:
        ordering = ["currency_id"]
        verbose_name = _("sale price")
        verbose_name_plural = _("sale prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "currency"], name="product_price_unique_currency"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency_id}"

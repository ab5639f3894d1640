"""Money as data: currencies (ISO 4217), exchange rates by date, tax rates.

Amounts themselves live on the documents of later apps, as a Decimal column beside a currency (a foreign
key to Currency, whose primary key is the code: `quote.currency_id == "CNY"`). See docs/subsystems/money.md.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def _chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


class Currency(models.Model):
    """A currency by its ISO 4217 code. The decimal places are fixed once the currency exists: amounts
    already stored were rounded to them. An inactive currency is kept for old documents and refused for
    new input."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    symbol = models.CharField(_("symbol"), max_length=8, blank=True)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"))
    active = models.BooleanField(pgettext_lazy("currency, tax rate", "active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimal_places__gte=0, decimal_places__lte=4), name="currency_decimal_places"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        """The name in the language of the request."""
        return (self.name_zh if _chinese() else self.name_en) or self.name_en or self.code


class RateSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported")


class ExchangeRate(models.Model):
    """On `date`, 1 unit of `base` is worth `rate` units of `quote` (1 USD = 7.1234 CNY). The inverse
    direction is computed from it; enter one direction per pair and day."""

    date = models.DateField(_("date"))
    base = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("base currency")
    )
    quote = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("quote currency")
    )
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=10)
    source = models.CharField(
        _("source"), max_length=10, choices=RateSource.choices, default=RateSource.MANUAL
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "base", "quote"]
        constraints = [
            # Also the index that finds "the latest rate on or before a date" for a pair.
            models.UniqueConstraint(fields=["base", "quote", "date"], name="uniq_exchange_rate_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(condition=~Q(base=F("quote")), name="exchange_rate_two_currencies"),
        ]
        indexes = [models.Index(fields=["-date", "-id"], name="exchange_rate_date_idx")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} 1 {self.base_id} = {self.rate.normalize():f} {self.quote_id}"

    @property
    def inverse(self) -> str:
        """1 quote in base, to 6 significant digits, for showing (1 CNY = 0.140383 USD)."""
        with localcontext() as ctx:
            ctx.prec, ctx.rounding = 6, ROUND_HALF_UP
            return f"{(Decimal(1) / self.rate).normalize():f}"


class TaxKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ZERO = "zero", _("Zero-rated")
    EXEMPT = "exempt", _("Exempt")


class TaxRate(models.Model):
    """A tax rate in percent (增值税 13 %). Zero-rated and exempt both charge nothing but print
    differently on a fapiao (0% vs 免税), so they are kinds, not just a rate of 0."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    rate = models.DecimalField(_("rate (%)"), max_digits=7, decimal_places=4)
    kind = models.CharField(_("kind"), max_length=10, choices=TaxKind.choices, default=TaxKind.STANDARD)
    active = models.BooleanField(pgettext_lazy("currency, tax rate", "active"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["-rate", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="tax_rate_percent"),
            models.CheckConstraint(
                condition=Q(kind=TaxKind.STANDARD, rate__gt=0)
                | Q(kind__in=[TaxKind.ZERO, TaxKind.EXEMPT], rate=0),
                name="tax_rate_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return (self.name_zh if _chinese() else self.name_en) or self.name_en or self.code

    @property
    def percent(self) -> str:
        """'13 %', '6.5 %' (no trailing zeros)."""
        return f"{self.rate.normalize():f} %"

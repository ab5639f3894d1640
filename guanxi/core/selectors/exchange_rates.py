"""Exchange rates: the list, the rate of a day, and converting an amount at a document's date.

`convert()` is what later apps call: it uses the rate of the date asked for or else the latest earlier
one, and says which it used (`Conversion.rate_date`, `.exact`, `.legs`), so a document can print
"rate of 2026-11-25". A rate entered in one direction (1 USD = 7.1234 CNY) also converts the other way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guanxi.core.exceptions import GuanxiError, NotFoundError
from guanxi.core.models import AuditEntry, ExchangeRate
from guanxi.core.money.amounts import currency_info, quantize_half_up, round_money, to_decimal
from guanxi.core.money.values import Money
from guanxi.core.selectors.money import require_reader

RATE_PLACES = 10


class NoRateError(GuanxiError):
    """No rate for the pair on or before the date (a 422 in the API, a message on the web)."""

    status = 422

    def __init__(self, from_currency: str, to_currency: str, on: dt.date) -> None:
        self.from_currency, self.to_currency, self.on = from_currency, to_currency, on
        super().__init__(
            _(
                "No exchange rate from %(from)s to %(to)s on or before %(date)s: enter one under "
                "Settings → Exchange rates."
            )
            % {"from": from_currency, "to": to_currency, "date": on.isoformat()}
        )


@dataclass(frozen=True)
class RateUsed:
    """One stored rate that a conversion used, and in which direction."""

    id: int
    base: str
    quote: str
    rate: Decimal  # as stored: 1 base = rate quote
    date: dt.date
    inverted: bool  # converted quote → base, i.e. divided by the rate


@dataclass(frozen=True)
class Conversion:
    amount: Decimal  # in to_currency, rounded half up to its places
    from_amount: Decimal
    from_currency: str
    to_currency: str
    on: dt.date  # the date asked for (the document's date)
    rate: Decimal  # 1 from_currency = rate to_currency (to 10 places)
    rate_date: dt.date  # the date of the rate used (the oldest, when two were combined)
    legs: tuple[RateUsed, ...] = field(default=())

    @property
    def exact(self) -> bool:
        """The rate is the one of the date asked for (not an earlier one)."""
        return self.rate_date == self.on

    @property
    def money(self) -> Money:
        return Money(self.amount, self.to_currency)

    def note(self) -> str:
        """What a document prints beside the converted amount: "rate of 25 Nov 2026" (in the language of
        the request), or "" for an amount in its own currency."""
        if not self.legs:
            return ""
        return _("rate of %(date)s") % {"date": date_format(self.rate_date, "SHORT_DATE_FORMAT")}


@dataclass
class RateFilters:
    currency: str = ""  # on either side
    base: str = ""
    quote: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def exchange_rate_list(*, actor, filters: RateFilters | None = None) -> QuerySet[ExchangeRate]:
    """Rates, newest first. The currencies are the rows' own columns (codes): no join."""
    require_reader(actor)
    f = filters or RateFilters()
    qs = ExchangeRate.objects.all()
    if f.currency:
        qs = qs.filter(Q(base_id=f.currency) | Q(quote_id=f.currency))
    if f.base:
        qs = qs.filter(base_id=f.base)
    if f.quote:
        qs = qs.filter(quote_id=f.quote)
    if f.date_from:
        qs = qs.filter(date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(date__lte=f.date_to)
    return qs.order_by("-date", "base_id", "quote_id", "-id")


def exchange_rate_get(*, actor, pk: int) -> ExchangeRate:
    require_reader(actor)
    rate = ExchangeRate.objects.filter(pk=pk).first()
    if rate is None:
        raise NotFoundError()
    return rate


def exchange_rate_history_list(*, actor) -> QuerySet[AuditEntry]:
    """Every change to exchange rates (entered, corrected, imported, deleted), newest first."""
    require_reader(actor)
    return AuditEntry.objects.filter(subject_type="core.exchangerate").select_related("actor")


def _latest(base: str, quote: str, on: dt.date) -> ExchangeRate | None:
    return ExchangeRate.objects.filter(base_id=base, quote_id=quote, date__lte=on).order_by("-date").first()


def rate_on(from_currency: str, to_currency: str, on: dt.date) -> RateUsed | None:
    """The latest rate on or before `on` between two currencies, in either direction (the later date
    wins; on the same day the one entered as from → to). Two index lookups."""
    direct = _latest(from_currency, to_currency, on)
    inverse = _latest(to_currency, from_currency, on)
    row, inverted = direct, False
    if inverse is not None and (direct is None or inverse.date > direct.date):
        row, inverted = inverse, True
    if row is None:
        return None
    return RateUsed(row.pk, row.base_id, row.quote_id, row.rate, row.date, inverted)


def _apply(value: Decimal, legs: tuple[RateUsed, ...]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        for leg in legs:
            value = value / leg.rate if leg.inverted else value * leg.rate
    return value


def convert(
    amount: Any, from_currency: str, to_currency: str, *, on: dt.date, via: str | None = None
) -> Conversion:
    """`amount` in `from_currency` converted to `to_currency` at the rate of `on`, or else the latest
    earlier one. With `via` (e.g. "CNY"), a pair without a rate of its own goes through that currency
    (USD → CNY → EUR). Raises UnknownCurrencyError (fields "from" / "to" / "via") or NoRateError."""
    value = to_decimal(amount)
    src = currency_info(from_currency, field="from").code
    dst = currency_info(to_currency, field="to").code
    if src == dst:
        return Conversion(round_money(value, dst), value, src, dst, on, Decimal(1), on)
    one = rate_on(src, dst, on)
    legs: tuple[RateUsed, ...]
    if one is not None:
        legs = (one,)
    else:
        pivot = currency_info(via, field="via").code if via else None
        first = rate_on(src, pivot, on) if pivot and pivot not in (src, dst) else None
        second = rate_on(pivot, dst, on) if first is not None and pivot else None
        if first is None or second is None:
            raise NoRateError(src, dst, on)
        legs = (first, second)
    rate = quantize_half_up(_apply(Decimal(1), legs), RATE_PLACES)
    return Conversion(
        amount=round_money(_apply(value, legs), dst),
        from_amount=value,
        from_currency=src,
        to_currency=dst,
        on=on,
        rate=rate,
        rate_date=min(leg.date for leg in legs),
        legs=legs,
    )

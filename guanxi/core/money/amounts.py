"""Amounts: always a Decimal with a currency code, never a float; rounding to the currency's places;
checking what a user typed.

Rounding is ROUND_HALF_UP (四舍五入), not Python's default ROUND_HALF_EVEN (banker's rounding): Chinese
accounting, fapiao (发票) and tax amounts round half up, and so does every calculator a customer checks a
quote with. ¥0.125 must be ¥0.13 on the quote, the fapiao and the ledger alike; half-even would print
¥0.12 and the totals would disagree by a fen.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.core.models import Currency

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

# An amount's integer part may have at most 13 digits (under ten trillion, 拾万亿): with 2 places that is
# 15 significant digits, what SQLite (which stores decimals as doubles) keeps exactly.
AMOUNT_LIMIT = Decimal(10) ** 13
_CODE = re.compile(r"^[A-Z]{3}$")
_GROUPED = re.compile(r"^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")
_CACHE_SECONDS = 60.0


class UnknownCurrencyError(ValidationError):
    """A currency code that is not set up (a 422 on `field` in the API, a form error on the web)."""

    def __init__(self, code: str, field: str = "currency") -> None:
        self.code = code
        message = _("Unknown currency “%(code)s”: use an ISO 4217 code set up under Settings → Currencies.")
        super().__init__({field: message % {"code": code}})


class CurrencyMismatchError(ValueError):
    """Adding or comparing amounts in two currencies: convert one first (selectors.money.convert)."""


@dataclass(frozen=True)
class CurrencyInfo:
    code: str
    decimal_places: int
    symbol: str
    name_en: str
    name_zh: str
    active: bool


class _Table:
    """Every currency, read in one query and kept for a minute in this process (templates format many
    amounts). Decimal places never change once a currency exists; a code not in the table is read
    again at once, so a currency added in another process is known as soon as it is used."""

    def __init__(self) -> None:
        self.rows: dict[str, CurrencyInfo] = {}
        self.loaded_at = float("-inf")

    def get(self, code: str) -> CurrencyInfo | None:
        if code not in self.rows or time.monotonic() - self.loaded_at > _CACHE_SECONDS:
            self.rows = {
                c.code: CurrencyInfo(c.code, c.decimal_places, c.symbol, c.name_en, c.name_zh, c.active)
                for c in Currency.objects.all()
            }
            self.loaded_at = time.monotonic()
        return self.rows.get(code)

    def forget(self) -> None:
        self.rows, self.loaded_at = {}, float("-inf")


_table = _Table()


def forget_currencies() -> None:
    """Drop this process's copy of the currency table (after a change; in tests that create currencies)."""
    _table.forget()


def currency_code(value: Any, *, field: str = "currency") -> str:
    """'cny ' → 'CNY'; anything that is not three letters is refused (format only, no database)."""
    if isinstance(value, Currency):
        return value.code
    code = str(value or "").strip().upper()
    if not _CODE.match(code):
        raise ValidationError(
            {field: _("“%(value)s” is not a currency code: use three letters, e.g. CNY.") % {"value": value}}
        )
    return code


def currency_info(currency: str | Currency, *, field: str = "currency") -> CurrencyInfo:
    """What the table says about a currency; UnknownCurrencyError if it is not set up."""
    code = currency_code(currency, field=field)
    info = _table.get(code)
    if info is None:
        raise UnknownCurrencyError(code, field)
    return info


def decimal_places(currency: str | Currency) -> int:
    if isinstance(currency, Currency):
        return currency.decimal_places
    return currency_info(currency).decimal_places


def currency_check(value: Any, *, field: str = "currency", active: bool = True) -> Currency:
    """The Currency for a code a user gave, read from the database (not the table kept in memory):
    unknown codes are refused, and inactive ones too unless `active=False` (reading old documents)."""
    code = currency_code(value, field=field)
    currency = Currency.objects.filter(code=code).first()
    if currency is None:
        raise UnknownCurrencyError(code, field)
    if active and not currency.active:
        raise ValidationError(
            {field: _("%(code)s is not in use: turn it on under Settings → Currencies.") % {"code": code}}
        )
    return currency


def to_decimal(value: Any) -> Decimal:
    """A finite Decimal from a Decimal, an int or a numeric string. A float is refused: 0.1 + 0.2 is not
    0.3 in binary, and an amount that went through a float has already lost its cents."""
    if isinstance(value, bool | float):
        raise TypeError("Money is never a float (nor a bool): pass a Decimal, an int or a string.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if "," in text:  # only as thousands separators (1,234.50): "7,1234" is a typo, not 71234
            if not _GROUPED.match(text):
                raise ValueError(f"not a number: {value!r}")
            text = text.replace(",", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"not an amount: {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


# Made once (a localcontext per call cost more than the rounding: the comparison table rounds 4,000 amounts).
_HALF_UP = Context(
    prec=60, rounding=ROUND_HALF_UP
)  # quantize must not fail on a large amount with many places
_EXPONENTS = {n: Decimal(1).scaleb(-n) for n in range(13)}


def quantize_half_up(value: Decimal, places: int) -> Decimal:
    """`value` to `places` decimals, half up; never '-0.00'."""
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = Decimal(1).scaleb(-places)
    result = value.quantize(exponent, context=_HALF_UP)
    return abs(result) if result == 0 else result


def round_money(amount: Any, currency: str | Currency) -> Decimal:
    """The amount rounded half up (四舍五入) to the currency's places: CNY 1234.565 → 1234.57, JPY 1234.5 →
    1235. See the module docstring for why half up."""
    return quantize_half_up(to_decimal(amount), decimal_places(currency))


def clean_amount(
    value: Any,
    *,
    currency: str | Currency | None = None,
    field: str = "amount",
    allow_negative: bool = False,
    max_places: int | None = None,
) -> Decimal:
    """Check an amount a user typed (form, API, import) and return it as a Decimal, or raise
    ValidationError({field: message}). Negative amounts are refused unless `allow_negative` (a credit or
    a discount line may need it; a price never does). The places allowed are `max_places`, else the
    currency's (JPY: none), else any. Amounts must stay under AMOUNT_LIMIT."""
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a number, e.g. 1234.50.")}) from None
    if amount < 0 and not allow_negative:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if abs(amount) >= AMOUNT_LIMIT:
        raise ValidationError({field: _("The amount is too large.")})
    places = max_places if max_places is not None else decimal_places(currency) if currency else None
    exponent = amount.normalize().as_tuple().exponent
    if places is not None and isinstance(exponent, int) and -exponent > places:
        message: StrOrPromise
        if currency and max_places is None:
            message = _("%(code)s amounts have at most %(n)d decimal places.") % {
                "code": currency_code(currency),
                "n": places,
            }
        else:
            message = _("At most %(n)d decimal places.") % {"n": places}
        raise ValidationError({field: message})
    return amount


def clean_price(
    value: Any, *, currency: str | Currency | None = None, field: str = "price", max_places: int = 6
) -> Decimal:
    """A price or unit price: never negative; up to 6 places by default (unit prices such as ¥0.0035
    per piece need more than the currency's 2)."""
    return clean_amount(value, currency=currency, field=field, max_places=max_places)


def validate_non_negative(value: Any) -> None:
    """A validator for Django model and form fields (`validators=[validate_non_negative]`) where a
    price is expected."""
    if value is not None and to_decimal(value) < 0:
        raise ValidationError(_("A price cannot be negative."), code="negative")

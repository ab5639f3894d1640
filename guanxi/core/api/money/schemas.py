"""API shapes for currencies, exchange rates and tax rates. Amounts and rates travel as decimal strings
("7.1234"), never JSON numbers: a number goes through a binary float in most clients and loses digits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.errors import FieldError
from guanxi.core.api.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**53)]
CurrencyCode = Annotated[
    str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$", examples=["CNY"], description="ISO 4217")
]
Name = Annotated[str, Field(max_length=60)]
RateText = Annotated[
    str,
    Field(
        max_length=30,
        pattern=r"^\s*[0-9]{1,10}(\.[0-9]{1,10})?\s*$",
        examples=["7.1234"],
        description="A decimal string above 0, at most 10 decimal places and 15 significant digits",
    ),
]
AmountText = Annotated[
    str,
    Field(
        max_length=40,
        pattern=r"^\s*-?[0-9]{1,13}(\.[0-9]{1,10})?\s*$",
        examples=["1234.50"],
        description="A decimal string, e.g. 1234.50",
    ),
]


class CurrencyOut(Schema):
    code: str
    name: str
    name_en: str
    name_zh: str
    symbol: str
    decimal_places: int
    active: bool
    version: int


class CurrencyIn(InputSchema):
    code: CurrencyCode
    name_en: Annotated[str, Field(min_length=1, max_length=60)]
    name_zh: Name = ""
    symbol: Annotated[str, Field(max_length=8)] = ""
    decimal_places: Annotated[int, Field(ge=0, le=4, description="Fixed once the currency exists")] = 2
    active: bool = True


class CurrencyPatch(InputSchema):
    """Send only what changes, with the version you read. The code and decimal places cannot change."""

    version: Id
    name_en: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    name_zh: Name | None = None
    symbol: Annotated[str, Field(max_length=8)] | None = None
    active: bool | None = None


class CurrencyQuery(Schema):
    active: bool | None = None


class ExchangeRateOut(Schema):
    id: int
    date: dt.date
    base: str
    quote: str
    rate: str = Field(description="1 base = rate quote")
    inverse: str = Field(description="1 quote = inverse base, to 6 significant digits (for reading)")
    source: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ExchangeRatePage(Schema):
    items: list[ExchangeRateOut]
    next_cursor: str | None
    prev_cursor: str | None


class ExchangeRateQuery(Schema):
    currency: CurrencyCode | None = Field(None, description="Either side of the pair")
    base: CurrencyCode | None = None
    quote: CurrencyCode | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class ExchangeRateIn(InputSchema):
    date: dt.date
    base: CurrencyCode
    quote: CurrencyCode
    rate: RateText
    unit: Annotated[int, Field(ge=1, le=1_000_000, description="The rate is per this many units of base")] = 1


class ExchangeRatePatch(InputSchema):
    version: Id
    rate: RateText


class ConvertQuery(Schema):
    amount: AmountText
    from_: CurrencyCode = Field(..., alias="from")
    to: CurrencyCode
    date: dt.date = Field(..., description="The document's date: its rate, or else the latest earlier one")
    via: CurrencyCode | None = Field(None, description="Go through this currency when the pair has no rate")


class RateLegOut(Schema):
    id: int
    base: str
    quote: str
    rate: str
    date: dt.date
    inverted: bool = Field(description="true: converted quote → base, dividing by the rate")


class ConversionOut(Schema):
    amount: str = Field(description="In `to_currency`, rounded half up to its decimal places")
    from_amount: str
    from_currency: str
    to_currency: str
    date: dt.date = Field(description="The date asked for")
    rate: str = Field(description="1 from_currency = rate to_currency")
    rate_date: dt.date = Field(description="The date of the rate used (the oldest when two were combined)")
    exact: bool = Field(description="false: no rate on `date`, the latest earlier one was used")
    note: str = Field(description="E.g. “rate of 2026-11-25”, in the caller's language")
    legs: list[RateLegOut]


class ImportIn(InputSchema):
    csv: Annotated[str, Field(min_length=1, max_length=2_000_000, description="CSV text with a header row")]
    apply: bool = Field(False, description="false: preview only; true: import, all rows or none")


class ImportRowOut(Schema):
    line: int
    date: dt.date | None
    base: str
    quote: str
    rate: str | None
    status: Literal["new", "changed", "unchanged", "error"]
    old_rate: str | None
    errors: list[FieldError]


class ImportOut(Schema):
    applied: bool
    new: int
    changed: int
    unchanged: int
    errors: int
    rows: list[ImportRowOut]


class TaxRateOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    name_zh: str
    rate: str = Field(description="Percent, e.g. 13")
    kind: Literal["standard", "zero", "exempt"]
    active: bool
    version: int


class TaxRateQuery(Schema):
    active: bool | None = None


PercentText = Annotated[
    str,
    Field(
        max_length=12, pattern=r"^\s*[0-9]{1,3}(\.[0-9]{1,4})?\s*$", examples=["13"], description="0 to 100"
    ),
]


class TaxRateIn(InputSchema):
    code: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]
    name_en: Annotated[str, Field(min_length=1, max_length=60)]
    name_zh: Name = ""
    rate: PercentText
    kind: Literal["standard", "zero", "exempt"] = "standard"
    active: bool = True


class TaxRatePatch(InputSchema):
    version: Id
    name_en: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    name_zh: Name | None = None
    rate: PercentText | None = None
    kind: Literal["standard", "zero", "exempt"] | None = None
    active: bool | None = None


class TaxCalculateQuery(Schema):
    amount: AmountText
    currency: CurrencyCode
    gross: bool = Field(False, description="true: `amount` includes the tax (含税)")


class TaxAmountsOut(Schema):
    net: str
    tax: str
    gross: str
    rate: str
    currency: str

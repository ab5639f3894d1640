"""API shapes of quotes and sales orders. Every name starts with "Quote"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.crm.choices import OrderState, QuoteState

Id = Annotated[int, Field(ge=1, le=2**53)]
Version = Annotated[int, Field(ge=1, le=2**31, description="The version you read; a stale one is a 409")]


class QuoteLineIn(InputSchema):
    product_id: Id | None = Field(
        None, description="A catalogue product that may be sold; or give a description"
    )
    description: Annotated[str, Field(max_length=500)] = ""
    quantity: Annotated[Decimal, Field(gt=0, lt=10**9, max_digits=13, decimal_places=3)] = Decimal(1)
    unit_id: Id | None = None
    unit_price: Annotated[Decimal, Field(ge=0, lt=10**13, max_digits=19, decimal_places=6)] | None = Field(
        None, description="Default: the product's sale price in the quote's currency"
    )
    discount_percent: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] = Decimal(0)
    tax_rate_id: Id | None = Field(None, description="Default: the product's tax rate")


class QuoteIn(InputSchema):
    customer_id: Id
    opportunity_id: Id | None = None
    contact_id: Id | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    price_list_id: Id | None = Field(
        None, description="A price list to price from (its currency must be the quote's); default: found"
    )
    valid_until: Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))] | None = None
    language: Literal["", "en", "zh-hans"] = ""
    notes: Annotated[str, Field(max_length=5000)] = ""
    lines: Annotated[list[QuoteLineIn], Field(min_length=1, max_length=200)]


class QuotePatch(InputSchema):
    version: Version
    contact_id: Id | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    price_list_id: Id | None = Field(None, description="null: no chosen list (found for the customer)")
    valid_until: Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))] | None = None
    language: Literal["", "en", "zh-hans"] | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None
    lines: Annotated[list[QuoteLineIn], Field(min_length=1, max_length=200)] | None = None


class QuoteVersionIn(InputSchema):
    version: Version


class QuoteSendIn(InputSchema):
    version: Version
    email: Annotated[str, Field(max_length=254)] = Field("", description="E-mail the PDF there (optional)")


class QuoteRef(Schema):
    id: int
    name: str


class QuoteLineOut(Schema):
    position: int
    product_id: int | None
    description: str
    quantity: Decimal
    unit_id: int | None
    unit_price: Decimal
    discount_percent: Decimal
    tax_rate_id: int | None
    tax_percent: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


class QuoteOut(Schema):
    id: int
    number: str
    revision: int
    state: QuoteState
    customer: QuoteRef
    opportunity_id: int | None
    contact_id: int | None
    owner: QuoteRef | None
    currency: str
    price_list: QuoteRef | None
    price_list_chosen: bool
    valid_until: dt.date
    language: str
    notes: str
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    max_discount: Decimal
    sent_at: dt.datetime | None
    sent_to: str
    order_id: int | None
    version: int
    lines: list[QuoteLineOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class QuotePage(Schema):
    items: list[QuoteOut]
    next_cursor: str | None
    prev_cursor: str | None


class OrderLineOut(QuoteLineOut):
    id: int
    delivery_date: dt.date | None
    delivered_quantity: Decimal


class QuoteOrderOut(Schema):
    id: int
    number: str
    state: OrderState
    customer: QuoteRef
    quote_id: int | None
    currency: str
    ordered_on: dt.date
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    version: int
    closed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    close_reason: str
    lines: list[OrderLineOut]

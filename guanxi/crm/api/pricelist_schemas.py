"""API shapes of price lists (价目表) and price look-ups. Every name starts with "PriceList" or "Price"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**53)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]
Code = Annotated[str, Field(min_length=3, max_length=3)]
Quantity = Annotated[Decimal, Field(ge=0, lt=10**9, max_digits=13, decimal_places=3)]
Price = Annotated[Decimal, Field(ge=0, lt=10**13, max_digits=19, decimal_places=6)]


class PriceListItemIn(InputSchema):
    product_id: Id = Field(..., description="A catalogue product that may be sold")
    min_quantity: Quantity = Field(Decimal(0), description="The price holds from this quantity on (阶梯价)")
    unit_price: Price


class PriceListIn(InputSchema):
    name_en: Annotated[str, Field(max_length=100)] = ""
    name_zh: Annotated[str, Field(max_length=100)] = ""
    currency: Code
    valid_from: Day | None = None
    valid_until: Day | None = None
    customer_id: Id | None = Field(None, description="Only for this customer (customer-specific prices)")
    is_default: bool = Field(False, description="The default list of its currency (one per currency)")
    note: Annotated[str, Field(max_length=2000)] = ""
    items: Annotated[list[PriceListItemIn], Field(max_length=2000)] = []


class PriceListPatch(InputSchema):
    version: Annotated[int, Field(ge=1, le=2**31, description="The version you read; a stale one is a 409")]
    name_en: Annotated[str, Field(max_length=100)] | None = None
    name_zh: Annotated[str, Field(max_length=100)] | None = None
    currency: Code | None = None
    valid_from: Day | None = None
    valid_until: Day | None = None
    customer_id: Id | None = None
    is_default: bool | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None
    items: Annotated[list[PriceListItemIn], Field(max_length=2000)] | None = Field(
        None, description="The whole set of items (replaces the current one)"
    )


class PriceListRef(Schema):
    id: int
    name: str


class PriceListItemOut(Schema):
    product_id: int
    product_code: str
    min_quantity: Decimal
    unit_price: Decimal


class PriceListOut(Schema):
    id: int
    name: str
    name_en: str
    name_zh: str
    currency: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    customer: PriceListRef | None
    is_default: bool
    note: str
    archived: bool
    version: int
    items: list[PriceListItemOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class PriceListPage(Schema):
    items: list[PriceListOut]
    next_cursor: str | None
    prev_cursor: str | None


class PriceListAssignIn(InputSchema):
    price_list_id: Id | None = Field(..., description="The list to assign, or null for none")


class PriceListAssignOut(Schema):
    customer_id: int
    price_list: PriceListRef | None


class PriceLookupOut(Schema):
    unit_price: Decimal | None = Field(
        ..., description="null: neither a price list nor the catalogue has one"
    )
    currency: str
    source: Literal["price_list", "catalogue", "none"]
    price_list: PriceListRef | None

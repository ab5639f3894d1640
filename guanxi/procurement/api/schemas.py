"""API shapes of purchase orders and supplier prices. Every class name starts with "PurchaseOrder" or
"SupplierPrice" (the OpenAPI document names its schemas by class: two modules' classes of one name collide).
States are a Literal of their codes, not guanxi.procurement.choices.OrderState: an enum is a schema of the
document named by its class, and the sales app's OrderState has that name already."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, StringConstraints

from guanxi.core.api.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**53)]
Version = Annotated[int, Field(ge=1, le=2**31, description="The version you read; a stale one is a 409")]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]
Quantity = Annotated[Decimal, Field(gt=0, le=10**9, max_digits=13, decimal_places=3)]
Price = Annotated[Decimal, Field(ge=0, lt=10**13, max_digits=19, decimal_places=6)]
LineKey = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,14}$")]
PurchaseOrderStateCode = Literal[
    "draft", "pending", "approved", "sent", "confirmed", "partial", "received", "closed", "cancelled"
]
MAX_LINES = 500  # as guanxi.procurement.services.order_lines


class PurchaseOrderLineIn(InputSchema):
    product_id: Id | None = Field(
        None, description="A catalogue product that may be bought; or give a description"
    )
    description: Annotated[str, Field(max_length=500)] = Field("", description="Default: the product's name")
    quantity: Quantity = Decimal(1)
    unit_id: Id | None = Field(None, description="Default: the product's purchase unit")
    unit_price: Price | None = Field(
        None, description="Default: the supplier's price valid on the order date for this quantity"
    )
    tax_rate_id: Id | None = Field(None, description="Default: the product's tax rate")
    requested_date: Day | None = Field(None, description="When we need it")
    supplier_code: Annotated[str, Field(max_length=64)] = Field(
        "", description="The supplier's product code (default: from its price information)"
    )


class PurchaseOrderIn(InputSchema):
    supplier_id: Id = Field(..., description="An approved or preferred supplier")
    contact_id: Id | None = None
    company_id: Id | None = Field(None, description="Our company that orders (default: the default one)")
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = Field(
        None, description="Default: CNY"
    )
    ordered_on: Day | None = Field(None, description="Default: today")
    language: Literal["", "en", "zh-hans"] = Field("", description="Default: the supplier's language")
    payment_terms: Annotated[str, Field(max_length=200)] = ""
    delivery_address: Annotated[str, Field(max_length=500)] = ""
    notes: Annotated[str, Field(max_length=5000)] = ""
    lines: Annotated[list[PurchaseOrderLineIn], Field(min_length=1, max_length=MAX_LINES)]


class PurchaseOrderPatch(InputSchema):
    """A draft's changes: only the fields given. New lines replace all of them; a new supplier or currency
    without lines prices the products again."""

    version: Version
    supplier_id: Id | None = None
    contact_id: Id | None = Field(None, description="null: no contact")
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    ordered_on: Day | None = None
    language: Literal["", "en", "zh-hans"] | None = None
    payment_terms: Annotated[str, Field(max_length=200)] | None = None
    delivery_address: Annotated[str, Field(max_length=500)] | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None
    lines: Annotated[list[PurchaseOrderLineIn], Field(min_length=1, max_length=MAX_LINES)] | None = None


class PurchaseOrderVersionIn(InputSchema):
    version: Version


class PurchaseOrderSendIn(InputSchema):
    version: Version
    email: Annotated[str, Field(max_length=254)] = Field("", description="E-mail the PDF there (optional)")


class PurchaseOrderConfirmIn(InputSchema):
    version: Version
    dates: Annotated[dict[LineKey, Day], Field(max_length=MAX_LINES)] = Field(
        ...,
        description="The supplier's promised date per line id; every line without one yet needs it",
    )
    acknowledged_at: (
        Annotated[
            AwareDatetime,
            Field(
                ge=dt.datetime(1900, 1, 2, tzinfo=dt.UTC),
                le=dt.datetime(2200, 12, 30, tzinfo=dt.UTC),
            ),
        ]
        | None
    ) = Field(None, description="When the supplier acknowledged the order (default: now)")


class PurchaseOrderChangeLineIn(PurchaseOrderLineIn):
    id: Id | None = Field(None, description="The line this one replaces: its confirmed dates are kept")
    first_confirmed_date: Day | None = Field(
        None, description="Moves the statistical promised date (only a change order does)"
    )
    planned_date: Day | None = None


class PurchaseOrderChangeIn(InputSchema):
    version: Version
    reason: Annotated[str, Field(max_length=500, description="Why the order changes (required)")]
    lines: Annotated[list[PurchaseOrderChangeLineIn], Field(min_length=1, max_length=MAX_LINES)]


class PurchaseOrderReasonIn(InputSchema):
    version: Version
    reason: Annotated[str, Field(max_length=500)] = Field(
        "", description="Required to cancel an order the supplier has, or to close one not fully received"
    )


class PurchaseOrderRef(Schema):
    id: int
    name: str


class PurchaseOrderLineOut(Schema):
    id: int
    position: int
    product_id: int | None
    supplier_code: str
    description: str
    quantity: Decimal
    unit_id: int | None
    unit_price: Decimal
    tax_rate_id: int | None
    tax_percent: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal
    supplier_price_id: int | None
    requested_date: dt.date | None
    first_confirmed_date: dt.date | None
    planned_date: dt.date | None
    received_quantity: Decimal
    accepted_quantity: Decimal
    rejected_quantity: Decimal
    returned_quantity: Decimal
    open_quantity: Decimal


class PurchaseOrderRevisionOut(Schema):
    revision: int
    reason: str
    gross_total: Decimal
    created_at: dt.datetime
    created_by: PurchaseOrderRef | None
    snapshot: dict = Field(..., description="The order before this change: state, totals and lines")


class PurchaseOrderSummary(Schema):
    id: int
    number: str
    state: PurchaseOrderStateCode
    supplier: PurchaseOrderRef
    owner: PurchaseOrderRef | None
    currency: str
    ordered_on: dt.date
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    revision: int
    sent_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class PurchaseOrderOut(PurchaseOrderSummary):
    company_id: int
    contact_id: int | None
    team: PurchaseOrderRef | None
    language: str
    payment_terms: str
    delivery_address: str
    notes: str
    approved_total: Decimal | None
    sent_to: str
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    close_reason: str
    lines: list[PurchaseOrderLineOut]
    revisions: list[PurchaseOrderRevisionOut]


class PurchaseOrderPage(Schema):
    items: list[PurchaseOrderSummary]
    next_cursor: str | None
    prev_cursor: str | None


# --- Supplier prices ---------------------------------------------------------------------------------------


class SupplierPriceBreakIn(InputSchema):
    min_quantity: Quantity = Field(
        ..., description="From this quantity on (above the minimum order quantity)"
    )
    unit_price: Price


class SupplierPriceIn(InputSchema):
    supplier_id: Id
    product_id: Id = Field(..., description="A catalogue product that may be bought")
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = Field(
        None, description="Default: CNY"
    )
    unit_price: Price
    min_quantity: Quantity = Field(Decimal(1), description="Minimum order quantity")
    lead_time_days: Annotated[int, Field(ge=0, le=3650)] = 0
    valid_from: Day | None = Field(None, description="Default: today")
    valid_until: Day | None = Field(None, description="The last valid day (default: open-ended)")
    supplier_code: Annotated[str, Field(max_length=64)] = ""
    note: Annotated[str, Field(max_length=500)] = ""
    breaks: Annotated[list[SupplierPriceBreakIn], Field(max_length=20)] = Field(
        default_factory=list, description="Quantity breaks (阶梯价)"
    )


class SupplierPriceRef(Schema):
    id: int
    name: str


class SupplierPriceProduct(Schema):
    id: int
    code: str
    name: str


class SupplierPriceBreakOut(Schema):
    min_quantity: Decimal
    unit_price: Decimal


class SupplierPriceOut(Schema):
    id: int
    supplier: SupplierPriceRef
    product: SupplierPriceProduct
    supplier_code: str
    currency: str
    unit_price: Decimal
    min_quantity: Decimal
    lead_time_days: int
    valid_from: dt.date
    valid_until: dt.date | None
    note: str
    replaced_at: dt.datetime | None = Field(None, description="Set when a later price replaced this one")
    created_at: dt.datetime
    created_by: SupplierPriceRef | None
    breaks: list[SupplierPriceBreakOut]


class SupplierPricePage(Schema):
    items: list[SupplierPriceOut]
    next_cursor: str | None
    prev_cursor: str | None

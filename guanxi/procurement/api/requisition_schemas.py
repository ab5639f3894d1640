"""API shapes of purchase requisitions (请购单). Every class name starts with "Requisition" (the OpenAPI document
names its schemas by class: two modules' classes of one name collide). States are a Literal of their codes,
not guanxi.procurement.choices.RequisitionState (an enum is a schema named by its class)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.procurement.api.schemas import Day, Id, Price, Quantity, Version
from guanxi.procurement.api.sourcing_schemas import Moment

MAX_LINES = 200  # as guanxi.procurement.services.requisitions
MAX_SOURCED = 100  # requisitions combined at once (as the list page)
RequisitionStateCode = Literal["draft", "pending", "approved", "rejected", "sourced", "cancelled"]
Currency = Annotated[str, Field(min_length=3, max_length=3)]
Justification = Annotated[str, Field(max_length=2000)]


# --- Input -------------------------------------------------------------------------------------------------


class RequisitionLineIn(InputSchema):
    product: Id | None = Field(
        None, description="A catalogue product that may be bought; or give a description"
    )
    description: Annotated[str, Field(max_length=500)] = Field("", description="Default: the product's name")
    quantity: Quantity = Decimal(1)
    unit: Id | None = Field(None, description="Default: the product's purchase unit")
    estimated_price: Price | None = Field(None, description="Estimated unit price (default: 0)")


Lines = Annotated[list[RequisitionLineIn], Field(min_length=1, max_length=MAX_LINES)]


class RequisitionIn(InputSchema):
    needed_by: Day = Field(..., description="Today or later")
    justification: Justification = Field(..., description="Why it is needed (required)")
    cost_centre: Annotated[str, Field(max_length=100)] = ""
    supplier: Id | None = Field(None, description="A suggested supplier the caller sees")
    currency: Currency | None = Field(None, description="Of the estimated prices (default: CNY)")
    lines: Lines


class RequisitionPatch(InputSchema):
    """A draft's changes, by its requester: only the fields given (null or left out: unchanged, but a null
    supplier clears it). Lines, when given, replace all of them."""

    version: Version
    needed_by: Day | None = None
    justification: Justification | None = None
    cost_centre: Annotated[str, Field(max_length=100)] | None = None
    supplier: Id | None = Field(None, description="null: no suggested supplier")
    currency: Currency | None = None
    lines: Lines | None = None


class RequisitionVersionIn(InputSchema):
    version: Version


Picked = Annotated[list[Id], Field(min_length=1, max_length=MAX_SOURCED)]


class RequisitionToRfqIn(InputSchema):
    requisitions: Picked = Field(..., description="Approved requisitions not yet sourced")
    title: Annotated[str, Field(max_length=200)] = Field("", description="Default: the requisitions' numbers")
    deadline: Moment | None = Field(None, description="Quotes due by then (default: in 7 days, 17:00)")


class RequisitionToOrderIn(InputSchema):
    requisitions: Picked = Field(..., description="Approved requisitions not yet sourced")
    supplier: Id | None = Field(
        None, description="An approved or preferred supplier (default: the first requisition's suggestion)"
    )


# --- Output ------------------------------------------------------------------------------------------------


class RequisitionRef(Schema):
    id: int
    name: str


class RequisitionDocRef(Schema):
    id: int
    number: str


class RequisitionLineOut(Schema):
    id: int
    position: int
    product_id: int | None
    description: str
    quantity: Decimal
    unit_id: int | None
    estimated_price: Decimal
    rfq: RequisitionDocRef | None = Field(..., description="The RFQ the line went into")
    purchase_order: RequisitionDocRef | None = Field(..., description="The purchase order it went into")


class RequisitionSummary(Schema):
    id: int
    number: str
    state: RequisitionStateCode
    requester: RequisitionRef | None
    needed_by: dt.date
    cost_centre: str
    justification: str
    supplier: RequisitionRef | None = Field(..., description="The suggested supplier")
    currency: str
    estimated_total: Decimal
    decided_at: dt.datetime | None
    version: int
    created_at: dt.datetime


class RequisitionOut(RequisitionSummary):
    company_id: int
    team: RequisitionRef | None
    lines: list[RequisitionLineOut]


class RequisitionPage(Schema):
    items: list[RequisitionSummary]
    next_cursor: str | None
    prev_cursor: str | None


class RequisitionSourcedOut(Schema):
    kind: Literal["rfq", "purchase_order"]
    id: int = Field(..., description="The draft RFQ (/rfqs/{id}) or purchase order (/purchase-orders/{id})")
    number: str
    requisitions: list[RequisitionSummary] = Field(..., description="Now sourced")

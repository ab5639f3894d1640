"""API shapes of requests for quotation (询价单) and the suppliers' sealed quotes. Every class name starts with
"Rfq" (the OpenAPI document names its schemas by class: two modules' classes of one name collide). States and
criterion kinds are Literals of their codes, not the TextChoices (an enum is a schema named by its class).

A quote's contents (currency, payment days, validity, notes, prices) are in no input's answer: the quote
entered answers with who, which round, its state and when (RfqQuoteReceivedOut); the RFQ shows them per quote
only once the quote is opened (RfqQuoteOut's optional fields, left out before). SupplierQuote.sealed is in no
schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from guanxi.core.api.schemas import InputSchema
from guanxi.procurement.api.schemas import Day, Id, LineKey, Price, Quantity, Version

MAX_LINES = 500  # as guanxi.procurement.services.rfqs
Moment = Annotated[
    AwareDatetime,
    Field(
        ge=dt.datetime(1900, 1, 2, tzinfo=dt.UTC),
        le=dt.datetime(2200, 12, 30, tzinfo=dt.UTC),
        description="A moment with its UTC offset, e.g. 2031-03-02T17:00:00+08:00",
    ),
]
Currency = Annotated[str, Field(min_length=3, max_length=3)]
RfqStateCode = Literal["draft", "open", "opened", "awarded", "ordered", "cancelled"]
RfqQuoteStateCode = Literal["sealed", "opened", "replaced"]
RfqCriterionKindCode = Literal["price", "lead_time", "payment_terms", "quality", "custom"]
Score = Annotated[int, Field(ge=0, le=100)]


# --- Input -------------------------------------------------------------------------------------------------


class RfqLineIn(InputSchema):
    product: Id | None = Field(
        None, description="A catalogue product that may be bought; or give a description"
    )
    description: Annotated[str, Field(max_length=500)] = Field("", description="Default: the product's name")
    quantity: Quantity = Decimal(1)
    unit: Id | None = Field(None, description="Default: the product's purchase unit")
    needed_by: Day | None = None


class RfqCriterionIn(InputSchema):
    kind: RfqCriterionKindCode
    name: Annotated[str, Field(max_length=100)] = Field("", description="A custom criterion's name")
    weight: Annotated[int, Field(ge=1, le=100, description="Percent; the weights add up to 100")]


Criteria = Annotated[list[RfqCriterionIn], Field(min_length=1, max_length=20)]
Lines = Annotated[list[RfqLineIn], Field(min_length=1, max_length=MAX_LINES)]


class RfqIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    currency: Currency | None = Field(
        None, description="The currency the quotes are compared in (default: CNY)"
    )
    deadline: Moment = Field(..., description="Quotes are due by then (in the future)")
    notes: Annotated[str, Field(max_length=5000)] = Field("", description="Terms and notes for the suppliers")
    lines: Lines
    criteria: Criteria | None = Field(
        None,
        description="Weighted criteria (default: price 70, lead time 15, payment terms 15); price is one",
    )


class RfqPatch(InputSchema):
    """A draft's changes: only the fields given. Lines (or criteria), when given, replace all of them."""

    version: Version
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    currency: Currency | None = None
    deadline: Moment | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None
    lines: Lines | None = None
    criteria: Criteria | None = None


class RfqVersionIn(InputSchema):
    version: Version


class RfqInvitationIn(InputSchema):
    version: Version
    supplier: Id = Field(..., description="An approved or preferred supplier (another one needs a reason)")
    reason: Annotated[str, Field(max_length=500)] = Field(
        "", description="Why a supplier that is not approved or preferred is invited"
    )


class RfqDeadlineIn(InputSchema):
    version: Version
    deadline: Moment


class RfqReasonIn(InputSchema):
    version: Version
    reason: Annotated[str, Field(max_length=500)] = Field("", description="Required to cancel")


class RfqOpenIn(InputSchema):
    version: Version
    reason: Annotated[str, Field(max_length=500)] = Field(
        "", description="Required before the deadline (only a Procurement Manager may open early)"
    )


class RfqQuoteLineIn(InputSchema):
    rfq_line: Id = Field(..., description="A line of this RFQ (a line left out is not quoted)")
    unit_price: Price = Field(..., description="Without tax, in the quote's currency")
    lead_days: Annotated[int, Field(ge=0, le=3650)] = 0
    note: Annotated[str, Field(max_length=500)] = ""


class RfqQuoteIn(InputSchema):
    supplier: Id = Field(..., description="An invited supplier")
    currency: Currency | None = Field(None, description="Default: the RFQ's currency")
    payment_days: Annotated[int, Field(ge=0, le=365)] = 0
    valid_until: Day | None = None
    notes: Annotated[str, Field(max_length=2000)] = ""
    lines: Annotated[list[RfqQuoteLineIn], Field(min_length=1, max_length=MAX_LINES)]


class RfqDeclineIn(InputSchema):
    supplier: Id = Field(..., description="An invited supplier that has not quoted in this round")
    reason: Annotated[str, Field(max_length=500)] = ""


class RfqScoresIn(InputSchema):
    version: Version
    scores: Annotated[dict[LineKey, Annotated[dict[LineKey, Score | None], Field(max_length=20)]], Field(
        max_length=MAX_LINES,
        description="{quote id: {criterion id: 0–100}} on the criteria scored by hand; null removes a score",
    )]  # fmt: skip


class RfqAwardIn(InputSchema):
    version: Version
    whole: Id | None = Field(None, description="A quote of this round that gets every line; or give lines")
    lines: Annotated[dict[LineKey, Id | None], Field(max_length=MAX_LINES)] | None = Field(
        None, description="{RFQ line id: quote id}; a line left out (or null) is not bought"
    )
    reason: Annotated[str, Field(max_length=1000)] = Field(
        "", description="The justification (asked for when it is not the lowest price, or too few quotes)"
    )


# --- Output ------------------------------------------------------------------------------------------------


class RfqRef(Schema):
    id: int
    name: str


class RfqLineOut(Schema):
    id: int
    position: int
    product_id: int | None
    description: str
    quantity: Decimal
    unit_id: int | None
    needed_by: dt.date | None
    awarded_quote_id: int | None = Field(..., description="The quote this line is awarded to")
    purchase_order: RfqRef | None = Field(..., description="The purchase order it went into")


class RfqCriterionOut(Schema):
    id: int
    kind: RfqCriterionKindCode
    name: str
    weight: int


class RfqInvitationOut(Schema):
    id: int
    supplier: RfqRef
    override_reason: str
    invited_at: dt.datetime
    answered_at: dt.datetime | None
    declined_at: dt.datetime | None
    declined_round: int | None
    decline_reason: str


class RfqQuoteReceivedOut(Schema):
    """A quote as it was entered: who, which round, when — never what it says."""

    id: int
    supplier: RfqRef
    round: int
    state: RfqQuoteStateCode
    received_at: dt.datetime


class RfqQuoteLineOut(Schema):
    rfq_line: int
    unit_price: Decimal
    lead_days: int
    note: str


class RfqQuoteOut(RfqQuoteReceivedOut):
    """The fields below are there only once the quote is opened."""

    currency: str | None = None
    payment_days: int | None = None
    valid_until: dt.date | None = None
    notes: str | None = None
    lines: list[RfqQuoteLineOut] | None = None


class RfqSummary(Schema):
    id: int
    number: str
    title: str
    state: RfqStateCode
    round: int
    currency: str
    deadline: dt.datetime
    owner: RfqRef | None
    invited: int = Field(..., description="Suppliers invited")
    answered: int = Field(..., description="Suppliers who quoted in the current round")
    version: int
    created_at: dt.datetime


class RfqOut(Schema):
    id: int
    number: str
    title: str
    state: RfqStateCode
    round: int
    currency: str
    deadline: dt.datetime
    owner: RfqRef | None
    team: RfqRef | None
    company_id: int
    notes: str
    published_at: dt.datetime | None
    opened_at: dt.datetime | None
    opened_by: RfqRef | None
    opened_early_reason: str
    awarded_at: dt.datetime | None
    award_reason: str
    cancelled_at: dt.datetime | None
    cancel_reason: str
    version: int
    created_at: dt.datetime
    lines: list[RfqLineOut]
    criteria: list[RfqCriterionOut]
    invitations: list[RfqInvitationOut]
    quotes: list[RfqQuoteOut] = Field(..., description="Every round's quotes; contents only once opened")


class RfqPage(Schema):
    items: list[RfqSummary]
    next_cursor: str | None
    prev_cursor: str | None


class RfqScoreOut(Schema):
    criterion_id: int
    score: Decimal | None = Field(..., description="0–100; null: a criterion scored by hand not scored yet")


class RfqComparisonColumn(Schema):
    quote_id: int
    supplier: RfqRef
    currency: str = Field(..., description="The quote's currency")
    rate: Decimal = Field(..., description="Quote currency → the RFQ's currency")
    payment_days: int | None
    valid_until: dt.date | None
    total: Decimal = Field(..., description="In the RFQ's currency")
    quoted: int = Field(..., description="Lines quoted")
    scores: list[RfqScoreOut]
    weighted: Decimal
    rank: int


class RfqComparisonCell(Schema):
    quote_id: int
    quote_line_id: int
    quoted_price: Decimal = Field(..., description="As quoted, in the quote's currency")
    unit_price: Decimal = Field(..., description="In the RFQ's currency")
    amount: Decimal = Field(..., description="In the RFQ's currency")
    lead_days: int
    note: str
    best: bool = Field(..., description="The lowest unit price of the line")


class RfqComparisonRow(Schema):
    line_id: int
    position: int
    description: str
    quantity: Decimal
    unit_id: int | None
    best_price: Decimal | None = Field(..., description="The lowest unit price, in the RFQ's currency")
    awarded_quote_id: int | None = Field(..., description="The quote of this round the line is awarded to")
    cells: list[RfqComparisonCell | None] = Field(..., description="One per column; null: not quoted")


class RfqComparisonOut(Schema):
    id: int
    number: str
    state: RfqStateCode
    version: int
    round: int = Field(..., description="The round compared")
    rounds: int = Field(..., description="The RFQ's current round")
    currency: str
    rates_on: dt.date = Field(..., description="The day of the exchange rates used")
    cheapest_complete: int | None = Field(
        ..., description="The quote with the lowest total among those that quoted every line"
    )
    criteria: list[RfqCriterionOut]
    columns: list[RfqComparisonColumn]
    rows: list[RfqComparisonRow]


class RfqOrderOut(Schema):
    id: int
    number: str
    supplier: RfqRef
    currency: str
    gross_total: Decimal


class RfqOrdersOut(Schema):
    id: int
    number: str
    state: RfqStateCode
    version: int
    orders: list[RfqOrderOut] = Field(..., description="The draft purchase orders made, one per supplier")

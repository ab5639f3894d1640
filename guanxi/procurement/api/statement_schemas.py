"""API shapes of reconciliation statements (对账单). Every class name starts with "ReconciliationStatement" (the
OpenAPI document names its schemas by class: two modules' classes of one name collide). States, line kinds and
answers are Literals of their codes, not the TextChoices (an enum is a schema named by its class)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.procurement.api.schemas import Day, Id, LineKey, Version

MAX_ANSWERS = 5000
ReconciliationStatementStateCode = Literal["draft", "sent", "disputed", "confirmed"]
ReconciliationStatementLineKind = Literal["receipt", "return", "invoice"]
ReconciliationStatementAnswerCode = Literal["confirmed", "disputed"]


# --- Input -------------------------------------------------------------------------------------------------


class ReconciliationStatementIn(InputSchema):
    supplier: Id = Field(..., description="A supplier the caller sees")
    period_start: Day | None = Field(None, description="Default (with period_end): last calendar month")
    period_end: Day | None = Field(None, description="On or after the start, within a year")
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = Field(
        None, description="Default: CNY"
    )


class ReconciliationStatementVersionIn(InputSchema):
    version: Version


class ReconciliationStatementAnswerLineIn(InputSchema):
    answer: ReconciliationStatementAnswerCode
    note: Annotated[str, Field(max_length=500)] = Field("", description="What is disputed (required then)")


class ReconciliationStatementAnswerIn(InputSchema):
    """The supplier's answers (entered by the buyer): every line confirmed confirms and locks the statement;
    any disputed line makes it disputed (answered again once sorted out)."""

    version: Version
    answers: Annotated[dict[LineKey, ReconciliationStatementAnswerLineIn], Field(max_length=MAX_ANSWERS)] = (
        Field(default_factory=dict, description="{statement line id: {answer, note}}")
    )
    confirm_all: bool = Field(False, description="true: every line not in `answers` is confirmed")


# --- Output ------------------------------------------------------------------------------------------------


class ReconciliationStatementRef(Schema):
    id: int
    name: str


class ReconciliationStatementLineOut(Schema):
    id: int
    kind: ReconciliationStatementLineKind
    document_number: str = Field(..., description="The receipt's, the return's or our invoice's number")
    order_number: str
    day: dt.date
    description: str
    quantity: Decimal | None
    amount: Decimal = Field(..., description="With tax; returns and invoices are negative")
    answer: Literal["", ReconciliationStatementAnswerCode] = Field(..., description='"": not answered yet')
    answer_note: str


class ReconciliationStatementSummary(Schema):
    id: int
    number: str
    state: ReconciliationStatementStateCode
    supplier: ReconciliationStatementRef
    owner: ReconciliationStatementRef | None
    currency: str
    period_start: dt.date
    period_end: dt.date
    received_total: Decimal
    returned_total: Decimal
    invoiced_total: Decimal
    difference: Decimal = Field(..., description="Received − returned − invoiced")
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    version: int
    created_at: dt.datetime


class ReconciliationStatementOut(ReconciliationStatementSummary):
    company_id: int
    team: ReconciliationStatementRef | None
    locked: bool = Field(..., description="A confirmed statement is never changed")
    lines: list[ReconciliationStatementLineOut]


class ReconciliationStatementPage(Schema):
    items: list[ReconciliationStatementSummary]
    next_cursor: str | None
    prev_cursor: str | None

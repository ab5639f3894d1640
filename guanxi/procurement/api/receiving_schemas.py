"""API shapes of delivery notes (送货单 / ASN), goods receipts with inspection (收货 / 质检) and returns to
suppliers (退货). Every class name starts with "DeliveryNote", "Receipt", "SupplierReturn" or "Receiving" (the
OpenAPI document names its schemas by class: two modules' classes of one name collide). States, reasons and
kinds are a Literal of their stored codes (guanxi.procurement.choices_receipts), not the TextChoices: an enum
is a schema of the document named by its class. The input's shape is checked here; every rule (what is still
open, the over-delivery tolerance, the backdating window, who may receive) is the services'."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.procurement.api.schemas import Day, Id, Quantity, Version

MAX_LINES = 500  # as guanxi.procurement.services.receipts and delivery_notes
SEARCH = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL text cannot hold NUL)
Rejected = Annotated[Decimal, Field(ge=0, le=10**9, max_digits=13, decimal_places=3)]
DeliveryNoteStateCode = Literal["open", "partial", "received", "cancelled"]
ReceiptRejectReasonCode = Literal["quality", "damaged", "wrong_item", "excess", "other"]
SupplierReturnKindCode = Literal["quality", "commercial"]
Text64 = Annotated[str, Field(max_length=64)]
Text100 = Annotated[str, Field(max_length=100)]
Text500 = Annotated[str, Field(max_length=500)]


# --- Query parameters of the lists -------------------------------------------------------------------------


class _ReceivingListQuery(Schema):
    supplier: Id | None = None
    order: Id | None = Field(None, description="Only those with a line of this purchase order")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class DeliveryNoteQuery(_ReceivingListQuery):
    state: Literal["", "transit", "open", "partial", "received", "cancelled"] = Field(
        "", description='"" all, a state, or "transit" (open or partially received)'
    )
    q: str = Field(
        "",
        max_length=100,
        pattern=SEARCH,
        description="In the number, the supplier's name, the tracking number, or the note's code",
    )


class ReceiptQuery(_ReceivingListQuery):
    q: str = Field(
        "",
        max_length=100,
        pattern=SEARCH,
        description="In the number, the supplier's name or the note's number",
    )


class SupplierReturnQuery(_ReceivingListQuery):
    kind: Literal["", "quality", "commercial"] = ""
    q: str = Field(
        "", max_length=100, pattern=SEARCH, description="In the number, the supplier's name or the reason"
    )


# --- Input -------------------------------------------------------------------------------------------------


class DeliveryNoteLineIn(InputSchema):
    order_line: Id = Field(
        ..., description="A line of a purchase order with the supplier (sent or confirmed)"
    )
    quantity: Quantity = Field(
        ..., description="Shipped: at most what is open, with the over-delivery tolerance"
    )


class DeliveryNoteIn(InputSchema):
    ship_date: Day | None = Field(None, description="Default: today")
    expected_on: Day | None = Field(None, description="When the goods arrive (on or after the ship date)")
    carrier: Text100 = ""
    tracking_number: Text100 = ""
    supplier_reference: Text64 = Field("", description="The supplier's own delivery number")
    note: Text500 = ""
    lines: Annotated[list[DeliveryNoteLineIn], Field(min_length=1, max_length=MAX_LINES)] = Field(
        ..., description="Lines of orders with one supplier"
    )


class DeliveryNoteVersionIn(InputSchema):
    version: Version


class _ReceivingInspectionIn(InputSchema):
    rejected: Rejected = Field(Decimal(0), description="Rejected by inspection (a reason is then required)")
    accepted: Rejected | None = Field(None, description="Default: received − rejected")
    reject_reason: Literal["", ReceiptRejectReasonCode] = Field("", description="Required with a rejection")
    reject_note: Text500 = ""


class ReceiptLineIn(_ReceivingInspectionIn):
    order_line: Id = Field(
        ..., description="A line of a purchase order with the supplier (sent or confirmed)"
    )
    received: Quantity = Field(
        ...,
        description="What arrived; what is accepted counts against the open quantity (with the tolerance)",
    )


class ReceiptIn(InputSchema):
    received_on: Day | None = Field(
        None,
        description="When the goods arrived. Default: today; never ahead, dated back within the settings",
    )
    note: Text500 = ""
    lines: Annotated[list[ReceiptLineIn], Field(min_length=1, max_length=MAX_LINES)] = Field(
        ..., description="Lines of orders with one supplier"
    )


class DeliveryNoteReceiveLineIn(_ReceivingInspectionIn):
    note_line: Id = Field(..., description="A line of this delivery note (each at most once)")
    received: Quantity | None = Field(None, description="Default: what is still to come on the note's line")


class DeliveryNoteReceiveIn(InputSchema):
    received_on: Day | None = Field(
        None,
        description="When the goods arrived. Default: today; never ahead, dated back within the settings",
    )
    note: Text500 = ""
    lines: Annotated[list[DeliveryNoteReceiveLineIn], Field(min_length=1, max_length=MAX_LINES)] | None = (
        Field(
            None,
            description="Default: every line's rest arrives and is accepted. Given: only these lines. An error "
            "of `lines[i]` names the i-th line given or, without lines, the i-th line still to come",
        )
    )


class SupplierReturnLineIn(InputSchema):
    order_line: Id
    quantity: Quantity = Field(..., description="At most what was accepted and not yet returned")


class SupplierReturnIn(InputSchema):
    kind: SupplierReturnKindCode = Field(..., description="quality: the supplier's fault; commercial: ours")
    reason: Text500 = Field(..., description="Why the goods go back (required)")
    returned_on: Day | None = Field(None, description="Default: today")
    lines: Annotated[list[SupplierReturnLineIn], Field(min_length=1, max_length=MAX_LINES)] = Field(
        ..., description="Lines of orders with one supplier"
    )


# --- Output ------------------------------------------------------------------------------------------------


class ReceivingRef(Schema):
    id: int
    name: str


class ReceivingDocRef(Schema):
    id: int
    number: str


class _ReceivingLineOut(Schema):
    id: int
    order_line: int
    order: ReceivingDocRef
    position: int
    product_id: int | None
    description: str
    unit_id: int | None


class _ReceivingDocOut(Schema):
    id: int
    number: str
    supplier: ReceivingRef
    created_at: dt.datetime


class _ReceivingDocDetail(Schema):
    company_id: int
    owner: ReceivingRef | None = Field(..., description="The buyer (of the first order)")
    team: ReceivingRef | None
    note: str
    created_by: ReceivingRef | None


class DeliveryNoteSummary(_ReceivingDocOut):
    state: DeliveryNoteStateCode
    code: str = Field(..., description="On the note's QR code: GET /delivery-notes/by-code/{code}")
    ship_date: dt.date
    expected_on: dt.date | None
    carrier: str
    tracking_number: str
    supplier_reference: str
    version: int


class DeliveryNoteLineOut(_ReceivingLineOut):
    quantity: Decimal = Field(..., description="Shipped")
    received_quantity: Decimal
    to_come: Decimal = Field(..., description="Shipped and not received yet")


class ReceiptSummary(_ReceivingDocOut):
    delivery_note: ReceivingDocRef | None
    received_on: dt.date
    backdated: bool
    note: str


class DeliveryNoteOut(DeliveryNoteSummary, _ReceivingDocDetail):
    lines: list[DeliveryNoteLineOut]
    receipts: list[ReceiptSummary] = Field(..., description="The receipts made against this note")


class DeliveryNotePage(Schema):
    items: list[DeliveryNoteSummary]
    next_cursor: str | None
    prev_cursor: str | None


class ReceiptLineOut(_ReceivingLineOut):
    note_line: int | None
    received_quantity: Decimal
    accepted_quantity: Decimal
    rejected_quantity: Decimal
    reject_reason: Literal["", ReceiptRejectReasonCode]
    reject_note: str


class ReceiptOut(ReceiptSummary, _ReceivingDocDetail):
    lines: list[ReceiptLineOut]


class ReceiptPage(Schema):
    items: list[ReceiptSummary]
    next_cursor: str | None
    prev_cursor: str | None


class SupplierReturnSummary(_ReceivingDocOut):
    kind: SupplierReturnKindCode
    returned_on: dt.date
    reason: str


class SupplierReturnLineOut(_ReceivingLineOut):
    quantity: Decimal


class SupplierReturnOut(SupplierReturnSummary, _ReceivingDocDetail):
    lines: list[SupplierReturnLineOut]


class SupplierReturnPage(Schema):
    items: list[SupplierReturnSummary]
    next_cursor: str | None
    prev_cursor: str | None

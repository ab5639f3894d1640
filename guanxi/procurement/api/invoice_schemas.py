"""API shapes of supplier invoices (供应商发票) and their three-way match (三单匹配). Every class name starts with
"SupplierInvoice" (the OpenAPI document names its schemas by class: two modules' classes of one name collide).
States and match problems are Literals of their codes, not the TextChoices (an enum is a schema named by its
class)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.procurement.api.schemas import Day, Id, Price, Quantity, Version

MAX_LINES = 500  # as guanxi.procurement.services.invoices
SupplierInvoiceStateCode = Literal["matched", "exception", "pending", "released", "cancelled"]
SupplierInvoiceProblemCode = Literal["price", "tax", "total"]
Amount = Annotated[Decimal, Field(ge=0, lt=10**13, max_digits=17, decimal_places=4)]
TaxPercent = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=4)]


# --- Input -------------------------------------------------------------------------------------------------


class SupplierInvoiceLineIn(InputSchema):
    order_line: Id = Field(
        ..., description="A line of a sent order of the supplier with something accepted and not invoiced"
    )
    quantity: Quantity = Field(
        ..., description="At most what was accepted on receipts, not returned and not invoiced before"
    )
    unit_price: Price | None = Field(
        None, description="Without tax, as the fapiao states it (default: the order's price)"
    )
    tax_percent: TaxPercent | None = Field(None, description="Default: the order line's tax rate")


class SupplierInvoiceIn(InputSchema):
    fapiao_number: Annotated[str, Field(max_length=40)] = Field(
        ..., description="发票号码: 8 to 20 digits (full-width digits and spaces are fine)"
    )
    fapiao_code: Annotated[str, Field(max_length=40)] = Field(
        "", description="发票代码: 10 or 12 digits; empty on a digital fapiao"
    )
    invoice_date: Day
    due_date: Day | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = Field(
        None, description="The orders' currency (default: CNY)"
    )
    stated_gross: Amount = Field(..., description="The total with tax the fapiao states")
    note: Annotated[str, Field(max_length=500)] = ""
    lines: Annotated[list[SupplierInvoiceLineIn], Field(min_length=1, max_length=MAX_LINES)]


class SupplierInvoiceVersionIn(InputSchema):
    version: Version


class SupplierInvoiceCancelIn(InputSchema):
    version: Version
    reason: Annotated[str, Field(max_length=500)] = Field("", description="Why it is cancelled (required)")


# --- Output ------------------------------------------------------------------------------------------------


class SupplierInvoiceRef(Schema):
    id: int
    name: str


class SupplierInvoiceOrderRef(Schema):
    id: int
    number: str


class SupplierInvoiceProblem(Schema):
    code: SupplierInvoiceProblemCode
    label: str = Field(..., description="What the match found, in the caller's language")


class SupplierInvoiceLineOut(Schema):
    id: int
    order_line_id: int
    order: SupplierInvoiceOrderRef
    position: int = Field(..., description="The order line's position")
    product_id: int | None
    description: str
    unit_id: int | None
    quantity: Decimal
    unit_price: Decimal
    tax_percent: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal
    order_price: Decimal = Field(..., description="The order's unit price when the invoice was matched")
    price_difference: Decimal = Field(..., description="(invoice price − order price) × quantity")
    matched: bool
    problems: list[SupplierInvoiceProblem]


class SupplierInvoiceSummary(Schema):
    id: int
    number: str
    state: SupplierInvoiceStateCode
    supplier: SupplierInvoiceRef
    owner: SupplierInvoiceRef | None
    fapiao_number: str
    fapiao_code: str
    invoice_date: dt.date
    due_date: dt.date | None
    currency: str
    stated_gross: Decimal
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    version: int
    created_at: dt.datetime


class SupplierInvoiceOut(SupplierInvoiceSummary):
    company_id: int
    team: SupplierInvoiceRef | None
    created_by: SupplierInvoiceRef | None
    note: str
    stated_difference: Decimal = Field(..., description="The stated total − the lines' total with tax")
    problems: list[SupplierInvoiceProblem] = Field(..., description="The invoice's own (its total)")
    exceptions: int = Field(..., description="Lines with problems, and the invoice's own problems")
    lines: list[SupplierInvoiceLineOut]


class SupplierInvoicePage(Schema):
    items: list[SupplierInvoiceSummary]
    next_cursor: str | None
    prev_cursor: str | None


class SupplierInvoiceOpenLine(Schema):
    """An order line with something accepted and not yet invoiced: what an invoice's line points at."""

    id: int = Field(..., description="The order line (an invoice line's `order_line`)")
    order: SupplierInvoiceOrderRef
    supplier: SupplierInvoiceRef
    currency: str
    position: int
    product_id: int | None
    description: str
    unit_id: int | None
    quantity: Decimal = Field(..., description="Ordered")
    unit_price: Decimal
    tax_percent: Decimal
    accepted_quantity: Decimal
    returned_quantity: Decimal
    invoiced_quantity: Decimal
    to_invoice: Decimal = Field(..., description="Accepted − returned − invoiced")


class SupplierInvoiceOpenLines(Schema):
    items: list[SupplierInvoiceOpenLine] = Field(..., description="By order, then position; at most 200")

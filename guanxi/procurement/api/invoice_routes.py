"""/api/v1/supplier-invoices: supplier invoices (供应商发票) and their three-way match (三单匹配) — the same services
and selectors as the pages (guanxi.procurement.services.invoices, selectors.invoices). An invoice is entered
with its fapiao number and its lines against purchase order lines and matched at once: ready for payment, or
held for its exceptions (a price above the order's beyond the tolerance, another tax rate, a stated total that
differs from the lines). Asking to release a held invoice starts an approval, decided through
/api/v1/approvals/{id}/approve|reject (never by whoever entered it)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.pagination import keyset_page
from guanxi.procurement.api.invoice_schemas import (
    SupplierInvoiceCancelIn,
    SupplierInvoiceIn,
    SupplierInvoiceOpenLines,
    SupplierInvoiceOut,
    SupplierInvoicePage,
    SupplierInvoiceStateCode,
    SupplierInvoiceVersionIn,
)
from guanxi.procurement.api.schemas import Id
from guanxi.procurement.choices_receipts import MatchProblem
from guanxi.procurement.models import SupplierInvoice
from guanxi.procurement.selectors import invoices as sel
from guanxi.procurement.services import invoices as svc

router = Router(tags=["purchasing"])
SEARCH = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL text cannot hold NUL)
SUMMARY = ["id", "number", "state", "fapiao_number", "fapiao_code", "invoice_date", "due_date", "stated_gross",
           "net_total", "tax_total", "gross_total", "version", "created_at"]  # fmt: skip
LINE = ["id", "order_line_id", "quantity", "unit_price", "tax_percent", "net", "tax", "gross", "order_price",
        "price_difference", "matched"]  # fmt: skip
OPEN_LINE = ["id", "position", "product_id", "description", "unit_id", "quantity", "unit_price", "tax_percent",
             "accepted_quantity", "returned_quantity", "invoiced_quantity", "to_invoice"]  # fmt: skip
SELECTED = ("supplier", "owner", "team", "created_by")


class SupplierInvoiceQuery(Schema):
    state: Literal["", SupplierInvoiceStateCode] = Field("", description='"" all, or a state')
    supplier: Id | None = None
    q: str = Field("", max_length=100, pattern=SEARCH, description="In our number or the fapiao number")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class SupplierInvoiceOpenLinesQuery(Schema):
    order: Id | None = Field(None, description="The lines of this order; or give a supplier")
    supplier: Id | None = Field(None, description="The lines of all the supplier's orders")


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def _problems(codes) -> list[dict]:
    labels = dict(MatchProblem.choices)
    return [{"code": c, "label": str(labels.get(c, c))} for c in codes or ()]


def _summary(inv: SupplierInvoice) -> dict:
    return {
        **{f: getattr(inv, f) for f in SUMMARY},
        "supplier": _ref(inv.supplier),
        "owner": _ref(inv.owner),
        "currency": inv.currency_id,
    }


def invoice_json(inv: SupplierInvoice) -> dict:
    """One invoice (read with its supplier, owner, team and creator) with its lines and what the match found."""
    lines = [
        {
            **{f: getattr(x, f) for f in LINE},
            "order": {"id": x.order_line.order_id, "number": x.order_line.order.number},
            "position": x.order_line.position,
            "product_id": x.order_line.product_id,
            "description": x.order_line.description,
            "unit_id": x.order_line.unit_id,
            "problems": _problems(x.problems),
        }
        for x in sel.invoice_lines(inv)
    ]
    return {
        **_summary(inv),
        "company_id": inv.company_id,
        "team": _ref(inv.team),
        "created_by": _ref(inv.created_by),
        "note": inv.note,
        "stated_difference": inv.stated_gross - inv.gross_total,
        "problems": _problems(inv.problems),
        "exceptions": sum(1 for x in lines if x["problems"]) + len(inv.problems or ()),
        "lines": lines,
    }


def _one(inv: SupplierInvoice) -> dict:
    """The invoice as a write left it (read again: the services update it with update())."""
    return invoice_json(SupplierInvoice.objects.select_related(*SELECTED).get(pk=inv.pk))


def _invoice(request, id: int) -> SupplierInvoice:
    return sel.invoice_get(actor=request.user, pk=id)


@router.get("/supplier-invoices", response={200: SupplierInvoicePage, **responses(*STD)})
def supplier_invoices_list(request, query: Query[SupplierInvoiceQuery]):
    """The supplier invoices the caller sees (scoped like purchase orders), newest invoice date first."""
    filters = sel.InvoiceFilters(state=query.state, supplier=query.supplier, q=query.q.strip())
    qs = sel.invoice_list(actor=request.user, filters=filters)
    page = keyset_page(qs, ordering=sel.INVOICE_ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [_summary(inv) for inv in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.get("/supplier-invoices/open-lines", response={200: SupplierInvoiceOpenLines, **responses(*STD)})
def supplier_invoices_open_lines(request, query: Query[SupplierInvoiceOpenLinesQuery]):
    """What may be invoiced: the order lines the caller sees with something accepted on receipts, not returned
    and not invoiced yet — of one order, or of all the supplier's orders (neither given: none)."""
    sel.require_reader(request.user)
    svc.require_enterer(request.user)
    lines = sel.invoice_form_lines(actor=request.user, order=query.order, supplier=query.supplier)
    items = [
        {
            **{f: getattr(x, f) for f in OPEN_LINE},
            "order": {"id": x.order_id, "number": x.order.number},
            "supplier": _ref(x.order.supplier),
            "currency": x.order.currency_id,
        }
        for x in lines
    ]
    return {"items": items}


@router.post("/supplier-invoices", response={201: SupplierInvoiceOut, **responses(*STD, 409)})
def supplier_invoices_create(request, payload: SupplierInvoiceIn):
    """Enter a supplier's fapiao against order lines and match it: `matched` (ready for payment) or
    `exception` (held; see each line's problems). Refused whole: a fapiao of the supplier entered before, lines
    of another supplier or currency, more than was accepted and not yet invoiced."""
    inv = svc.invoice_enter(actor=request.user, data=payload.dict())
    return Status(201, _one(inv))


@router.get("/supplier-invoices/{id}", response={200: SupplierInvoiceOut, **responses(*STD)})
def supplier_invoices_get(request, id: Id):
    """The invoice with its lines: per line the order's price, the difference and what the match found."""
    return invoice_json(_invoice(request, id))


@router.post("/supplier-invoices/{id}/release", response={200: SupplierInvoiceOut, **responses(*STD, 409)})
def supplier_invoices_release(request, id: Id, payload: SupplierInvoiceVersionIn):
    """Ask to release an invoice held for exceptions for payment: `pending` until the approval is decided
    (through /approvals; never by whoever entered it), or `released` at once when no approval is needed."""
    inv = svc.invoice_release(actor=request.user, invoice=_invoice(request, id), version=payload.version)
    return _one(inv)


@router.post("/supplier-invoices/{id}/cancel", response={200: SupplierInvoiceOut, **responses(*STD, 409)})
def supplier_invoices_cancel(request, id: Id, payload: SupplierInvoiceCancelIn):
    """Cancel a wrongly entered invoice (not one released for payment), with a reason: its quantities may be
    invoiced again and its fapiao entered again; a waiting release ends."""
    inv = svc.invoice_cancel(
        actor=request.user, invoice=_invoice(request, id), version=payload.version, reason=payload.reason
    )
    return _one(inv)

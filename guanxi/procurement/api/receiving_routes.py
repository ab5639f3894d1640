"""/api/v1/delivery-notes, /api/v1/receipts and /api/v1/supplier-returns: delivery notes (送货单 / ASN), goods
receipts with inspection (收货 / 质检) and returns to suppliers (退货) — the same services and selectors as the
receiving pages (guanxi.procurement.services.delivery_notes, receipts; selectors.receiving, receiving_pages).

Reading needs the purchase orders' view permission and reaches what the purchasing scope reaches (a
document carries the buyer and team of its first order); writing needs "Receive goods" besides. What is open,
the over-delivery tolerance, the backdating window and who may receive are the services' rules, as on the
pages. Errors of a line are keyed `lines[i].<field>`, i the line's index in the body (receiving a whole note
without lines: the index among the note's lines still to come, in their order)."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Query, Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.pagination import keyset_page
from guanxi.procurement.api.receiving_schemas import (
    DeliveryNoteIn,
    DeliveryNoteOut,
    DeliveryNotePage,
    DeliveryNoteQuery,
    DeliveryNoteReceiveIn,
    DeliveryNoteVersionIn,
    ReceiptIn,
    ReceiptOut,
    ReceiptPage,
    ReceiptQuery,
    SupplierReturnIn,
    SupplierReturnOut,
    SupplierReturnPage,
    SupplierReturnQuery,
)
from guanxi.procurement.api.schemas import Id
from guanxi.procurement.api.sourcing_json import ref
from guanxi.procurement.models import DeliveryNote, Receipt, SupplierReturn
from guanxi.procurement.selectors import receiving as sel
from guanxi.procurement.selectors import receiving_pages as pages
from guanxi.procurement.services.delivery_notes import (
    delivery_note_cancel,
    delivery_note_create,
    normalize_code,
    note_by_code,
)
from guanxi.procurement.services.receipts import receipt_from_note, receipt_post, return_post

router = Router(tags=["receiving"])
NOTE = ["id", "number", "state", "code", "ship_date", "expected_on", "carrier", "tracking_number",
        "supplier_reference", "version", "created_at"]  # fmt: skip
RECEIPT = ["id", "number", "received_on", "backdated", "note", "created_at"]
RETURN = ["id", "number", "kind", "returned_on", "reason", "created_at"]
ORDER_LINE = ["position", "product_id", "description", "unit_id"]
RECEIPT_LINE = ["received_quantity", "accepted_quantity", "rejected_quantity", "reject_reason", "reject_note"]
SELECTED = ("supplier", "owner", "team", "created_by")
Code = Annotated[str, Field(min_length=1, max_length=64, description="As scanned or typed")]


# --- Plain data of the answers -----------------------------------------------------------------------------


def _doc(obj) -> dict | None:
    return {"id": obj.pk, "number": obj.number} if obj is not None else None


def _line(x) -> dict:
    """What a note's, receipt's or return's line says of its order line (read with order_line__order)."""
    ol = x.order_line
    return {
        "id": x.pk,
        "order_line": ol.pk,
        "order": _doc(ol.order),
        **{f: getattr(ol, f) for f in ORDER_LINE},
    }


def _detail(doc) -> dict:
    return {
        "company_id": doc.company_id,
        "owner": ref(doc.owner),
        "team": ref(doc.team),
        "note": doc.note,
        "created_by": ref(doc.created_by),
    }


def note_summary(n: DeliveryNote) -> dict:
    return {**{f: getattr(n, f) for f in NOTE}, "supplier": ref(n.supplier)}


def receipt_summary(r: Receipt) -> dict:
    return {
        **{f: getattr(r, f) for f in RECEIPT},
        "supplier": ref(r.supplier),
        "delivery_note": _doc(r.delivery_note),
    }


def return_summary(b: SupplierReturn) -> dict:
    return {**{f: getattr(b, f) for f in RETURN}, "supplier": ref(b.supplier)}


def note_json(n: DeliveryNote, actor) -> dict:
    lines = [
        {
            **_line(x),
            "quantity": x.quantity,
            "received_quantity": x.received_quantity,
            "to_come": max(x.quantity - x.received_quantity, 0),
        }
        for x in sel.note_lines(n)
    ]
    receipts = [receipt_summary(r) for r in pages.note_receipts(actor=actor, note=n)]
    return {**note_summary(n), **_detail(n), "lines": lines, "receipts": receipts}


def receipt_json(r: Receipt) -> dict:
    lines = [
        {**_line(x), "note_line": x.note_line_id, **{f: getattr(x, f) for f in RECEIPT_LINE}}
        for x in sel.receipt_lines(r)
    ]
    return {**receipt_summary(r), **_detail(r), "lines": lines}


def return_json(b: SupplierReturn) -> dict:
    lines = [{**_line(x), "quantity": x.quantity} for x in pages.return_lines(b)]
    return {**return_summary(b), **_detail(b), "lines": lines}


def _page(qs, ordering: list[str], query, row) -> dict:
    page = keyset_page(
        sel.of_order(qs, order=query.order), ordering=ordering, cursor=query.cursor, limit=query.limit
    )
    return {
        "items": [row(x) for x in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


# --- Delivery notes ----------------------------------------------------------------------------------------


@router.get("/delivery-notes", response={200: DeliveryNotePage, **responses(*STD)})
def delivery_notes_list(request, query: Query[DeliveryNoteQuery]):
    """The delivery notes the caller sees, the latest ship date first."""
    q = query.q.strip()
    qs = pages.note_search(
        actor=request.user, supplier=query.supplier, state=query.state, q=q, code=normalize_code(q)
    )
    return _page(qs, pages.NOTE_ORDERING, query, note_summary)


@router.post("/delivery-notes", response={201: DeliveryNoteOut, **responses(*STD, 409)})
def delivery_notes_create(request, payload: DeliveryNoteIn):
    """Enter a supplier's delivery note against open lines of its orders (sent, confirmed or partially
    received): at most what is open on each, with the over-delivery tolerance. It gets a code for its QR code."""
    note = delivery_note_create(actor=request.user, data=payload.dict())
    return Status(
        201, note_json(DeliveryNote.objects.select_related(*SELECTED).get(pk=note.pk), request.user)
    )


# Before /delivery-notes/{id}/…: a path parameter takes any segment, and "by-code" is not an id.
@router.get("/delivery-notes/by-code/{code}", response={200: DeliveryNoteOut, **responses(*STD)})
def delivery_notes_by_code(request, code: Code):
    """The delivery note a scanned or typed code names (any width, case, spaces or dashes), if the caller may
    receive it: 404 otherwise."""
    return note_json(note_by_code(actor=request.user, code=code), request.user)


@router.get("/delivery-notes/{id}", response={200: DeliveryNoteOut, **responses(*STD)})
def delivery_notes_get(request, id: Id):
    """The note with its lines (shipped, received, still to come) and the receipts made against it."""
    return note_json(sel.note_get(actor=request.user, pk=id), request.user)


@router.post("/delivery-notes/{id}/cancel", response={200: DeliveryNoteOut, **responses(*STD, 409)})
def delivery_notes_cancel(request, id: Id, payload: DeliveryNoteVersionIn):
    """Cancel a note nothing was received against (the supplier did not ship, or sent another)."""
    note = delivery_note_cancel(
        actor=request.user, note=sel.note_get(actor=request.user, pk=id), version=payload.version
    )
    return note_json(DeliveryNote.objects.select_related(*SELECTED).get(pk=note.pk), request.user)


@router.post("/delivery-notes/{id}/receive", response={201: ReceiptOut, **responses(*STD, 409)})
def delivery_notes_receive(request, id: Id, payload: DeliveryNoteReceiveIn):
    """Receive a note in transit: without `lines`, everything still to come arrives and is accepted; with
    them, only those lines, each with what arrived and what inspection rejected (and why). Answers with the
    receipt; the note is then partially received or received."""
    note = sel.note_get(actor=request.user, pk=id)
    data: dict = {"received_on": payload.received_on, "note": payload.note}
    if payload.lines is not None:  # (a line not on the note, or twice, is refused by its index)
        data["lines"] = [{k: v for k, v in x.dict().items() if v is not None} for x in payload.lines]
    return Status(201, _receipt(receipt_from_note(actor=request.user, note=note, data=data)))


# --- Goods receipts ----------------------------------------------------------------------------------------


def _receipt(r: Receipt) -> dict:
    """The receipt as the write left it (read again: the number is assigned last, with update())."""
    return receipt_json(Receipt.objects.select_related(*SELECTED, "delivery_note").get(pk=r.pk))


@router.get("/receipts", response={200: ReceiptPage, **responses(*STD)})
def receipts_list(request, query: Query[ReceiptQuery]):
    """The goods receipts the caller sees, the latest receipt date first."""
    qs = pages.receipt_search(actor=request.user, supplier=query.supplier, q=query.q.strip())
    return _page(qs, pages.RECEIPT_ORDERING, query, receipt_summary)


@router.post("/receipts", response={201: ReceiptOut, **responses(*STD, 409)})
def receipts_create(request, payload: ReceiptIn):
    """Goods that came without a delivery note, received against order lines (of orders with one supplier,
    sent, confirmed or partially received): per line what arrived, what inspection rejected and why. What is
    accepted counts against the open quantity, with the over-delivery tolerance; nothing is written unless
    every line is right."""
    return Status(201, _receipt(receipt_post(actor=request.user, data=payload.dict())))


@router.get("/receipts/{id}", response={200: ReceiptOut, **responses(*STD)})
def receipts_get(request, id: Id):
    """The receipt with its lines: received, accepted, rejected (with the reason)."""
    return receipt_json(sel.receipt_get(actor=request.user, pk=id))


# --- Returns to suppliers ----------------------------------------------------------------------------------


@router.get("/supplier-returns", response={200: SupplierReturnPage, **responses(*STD)})
def supplier_returns_list(request, query: Query[SupplierReturnQuery]):
    """The returns to suppliers the caller sees, the latest first."""
    qs = pages.return_search(actor=request.user, supplier=query.supplier, kind=query.kind, q=query.q.strip())
    return _page(qs, pages.RETURN_ORDERING, query, return_summary)


@router.post("/supplier-returns", response={201: SupplierReturnOut, **responses(*STD, 409)})
def supplier_returns_create(request, payload: SupplierReturnIn):
    """Send accepted goods back (at most what was accepted and not yet returned): the quantity is open on its
    order again, and a received order waits for it."""
    back = return_post(actor=request.user, data=payload.dict())
    return Status(201, return_json(SupplierReturn.objects.select_related(*SELECTED).get(pk=back.pk)))


@router.get("/supplier-returns/{id}", response={200: SupplierReturnOut, **responses(*STD)})
def supplier_returns_get(request, id: Id):
    return return_json(sel.return_get(actor=request.user, pk=id))

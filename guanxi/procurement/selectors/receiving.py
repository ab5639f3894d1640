"""Reads of delivery notes, goods receipts and returns: scoped like purchase orders (the buyer and team they
carry, copied from their first order), for users who may see purchase orders."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest

from guanxi.core.exceptions import NotFoundError
from guanxi.core.roles import grants_for
from guanxi.core.selectors.record_rules import scope_q
from guanxi.procurement.choices_receipts import NoteState
from guanxi.procurement.models import (
    DeliveryNote,
    DeliveryNoteLine,
    Receipt,
    ReceiptLine,
    SupplierReturn,
    SupplierReturnLine,
)
from guanxi.procurement.permissions import AREA, Action
from guanxi.procurement.selectors.orders import require_reader


def receiving_visible(model, *, actor) -> QuerySet:
    if not grants_for(actor).can(Action.ORDER_VIEW):
        return model.objects.none()
    q = scope_q(actor, area=AREA, mode="view")
    return model.objects.all() if q is None else model.objects.filter(q)


def _get(model, actor, pk, related=()):
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    row = (
        receiving_visible(model, actor=actor).select_related("supplier", *related).filter(pk=pk).first()
        if 0 < pk < 2**63
        else None
    )
    if row is None:
        raise NotFoundError()
    return row


def note_get(*, actor, pk) -> DeliveryNote:
    return _get(DeliveryNote, actor, pk)


def receipt_get(*, actor, pk) -> Receipt:
    return _get(Receipt, actor, pk, ("delivery_note",))


def return_get(*, actor, pk) -> SupplierReturn:
    return _get(SupplierReturn, actor, pk)


def note_list(*, actor, supplier: int | None = None, state: str = "", q: str = "") -> QuerySet[DeliveryNote]:
    require_reader(actor)
    qs = receiving_visible(DeliveryNote, actor=actor)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(supplier__name__icontains=q) | Q(tracking_number__icontains=q)
        )
    return qs.select_related("supplier").order_by("-ship_date", "-id")


def receipt_list(*, actor, supplier: int | None = None) -> QuerySet[Receipt]:
    require_reader(actor)
    qs = receiving_visible(Receipt, actor=actor)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    return qs.select_related("supplier", "delivery_note").order_by("-received_on", "-id")


def return_list(*, actor, supplier: int | None = None) -> QuerySet[SupplierReturn]:
    require_reader(actor)
    qs = receiving_visible(SupplierReturn, actor=actor)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    return qs.select_related("supplier").order_by("-returned_on", "-id")


# Each document's lines and the column that names the document (for `of_order`).
_LINES = {
    DeliveryNote: (DeliveryNoteLine, "note_id"),
    Receipt: (ReceiptLine, "receipt_id"),
    SupplierReturn: (SupplierReturnLine, "supplier_return_id"),
}


def of_order(qs: QuerySet, *, order: int | None) -> QuerySet:
    """The delivery notes, receipts or returns of `qs` (already scoped) with a line of this purchase order;
    all of them when no order is given. A subquery, not a join: a document with several lines of the order
    is one row, and the list's keyset ordering is left alone."""
    if not order:
        return qs
    lines, key = _LINES[qs.model]
    return qs.filter(pk__in=lines._default_manager.filter(order_line__order_id=order).values(key))


def receipt_lines(receipt: Receipt):
    return receipt.lines.select_related("order_line__order", "order_line__unit", "order_line__product")


def note_lines(note: DeliveryNote):
    return note.lines.select_related("order_line__order", "order_line__unit", "order_line__product")


def on_the_way(lines) -> dict[int, Decimal]:
    """Per order line, what delivery notes in transit (open or partially received) announce and has not arrived:
    a second note cannot announce it again (the caller locks the lines: two notes at once wait for each other)."""
    rows = (
        DeliveryNoteLine.objects.filter(
            order_line__in=list(lines), note__state__in=[NoteState.OPEN, NoteState.PARTIAL]
        )
        .values("order_line")
        .order_by()
        .annotate(
            q=Sum(
                Greatest(F("quantity") - F("received_quantity"), Value(Decimal(0))),
                output_field=DecimalField(max_digits=18, decimal_places=3),
            )
        )
    )
    return {r["order_line"]: r["q"] for r in rows if r["q"]}

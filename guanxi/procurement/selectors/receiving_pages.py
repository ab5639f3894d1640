"""Reads that only the receiving pages need: the delivery notes still in transit and the latest receipts (the
hub), the lists' searches and their supplier choices, the order lines a delivery note, a receipt or a return
may take, the other orders of the same supplier a delivery note may add, and the receipts of a note. Every read
goes through the scoped selectors (guanxi.procurement.selectors.receiving / orders)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.roles import grants_for
from guanxi.parties.models import Party
from guanxi.procurement.choices import OrderState
from guanxi.procurement.choices_receipts import NoteState
from guanxi.procurement.models import (
    DeliveryNote,
    DeliveryNoteLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasingSettings,
    Receipt,
    SupplierReturn,
)
from guanxi.procurement.permissions import Action
from guanxi.procurement.selectors import receiving as sel
from guanxi.procurement.selectors.orders import order_visible

# What the lists page by (keyset): the selectors' own orders.
NOTE_ORDERING = ["-ship_date", "-id"]
RECEIPT_ORDERING = ["-received_on", "-id"]
RETURN_ORDERING = ["-returned_on", "-id"]
IN_TRANSIT = (NoteState.OPEN, NoteState.PARTIAL)
# Orders that take goods (as guanxi.procurement.services.receiving.RECEIVABLE) and that goods go back from.
RECEIVABLE = (OrderState.SENT, OrderState.CONFIRMED, OrderState.PARTIAL)
RETURNABLE = (*RECEIVABLE, OrderState.RECEIVED, OrderState.CLOSED)
MAX_CHOICES = 500


def may_receive(actor) -> bool:
    return grants_for(actor).can(Action.RECEIPT_POST)


def backdate_days() -> int:
    return PurchasingSettings.current().backdate_days


def notes_in_transit(*, actor) -> QuerySet[DeliveryNote]:
    """The delivery notes not (fully) received yet, the soonest expected first."""
    return (
        sel.note_list(actor=actor)
        .filter(state__in=IN_TRANSIT)
        .order_by(F("expected_on").asc(nulls_last=True), "ship_date", "id")
    )


def note_search(*, actor, supplier: int | None, state: str, q: str, code: str = "") -> QuerySet[DeliveryNote]:
    """The delivery notes list: state "transit" is open or partially received; q finds a number, a supplier, a
    tracking number, or (`code`: q as guanxi.procurement.services.delivery_notes.normalize_code reads it) a
    note's code."""
    if state and state != "transit" and state not in NoteState.values:
        raise ValidationError({"state": _("Choose a state from the list.")})
    qs = sel.note_list(actor=actor, supplier=supplier, state="" if state == "transit" else state)
    if state == "transit":
        qs = qs.filter(state__in=IN_TRANSIT)
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(supplier__name__icontains=q)
            | Q(tracking_number__icontains=q)
            | Q(code=code or q)
        )
    return qs


def receipt_search(*, actor, supplier: int | None, q: str) -> QuerySet[Receipt]:
    qs = sel.receipt_list(actor=actor, supplier=supplier).select_related("created_by")
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(supplier__name__icontains=q) | Q(delivery_note__number__icontains=q)
        )
    return qs


def return_search(*, actor, supplier: int | None, kind: str, q: str) -> QuerySet[SupplierReturn]:
    qs = sel.return_list(actor=actor, supplier=supplier)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(supplier__name__icontains=q) | Q(reason__icontains=q))
    return qs


def _suppliers(model, actor) -> QuerySet[Party]:
    ids = sel.receiving_visible(model, actor=actor).values("supplier_id")
    return Party.objects.filter(pk__in=ids).only("id", "name").order_by("name")[:MAX_CHOICES]


def note_suppliers(*, actor) -> QuerySet[Party]:
    return _suppliers(DeliveryNote, actor)


def receipt_suppliers(*, actor) -> QuerySet[Party]:
    return _suppliers(Receipt, actor)


def return_suppliers(*, actor) -> QuerySet[Party]:
    return _suppliers(SupplierReturn, actor)


def _lines(qs):
    return qs.select_related("order", "unit", "product").order_by("order_id", "position", "id")


def open_lines(orders) -> list[PurchaseOrderLine]:
    """The lines of these orders with something still to come (a delivery note's or a receipt's rows)."""
    return [x for x in _lines(PurchaseOrderLine.objects.filter(order__in=orders)) if x.open_quantity > 0]


def returnable_lines(order: PurchaseOrder) -> list[PurchaseOrderLine]:
    """The lines of an order with goods accepted and not yet sent back."""
    return list(_lines(order.lines.filter(accepted_quantity__gt=F("returned_quantity"))))


def has_returnable(order: PurchaseOrder) -> bool:
    return order.lines.filter(accepted_quantity__gt=F("returned_quantity")).exists()


def receivable_orders(*, actor, ids) -> list[PurchaseOrder]:
    """The orders with these ids the user reaches that take goods, of the first one's supplier."""
    rows = list(
        order_visible(actor=actor)
        .filter(pk__in=[i for i in ids if i], state__in=RECEIVABLE)
        .select_related("supplier")
        .order_by("pk")
    )
    return [o for o in rows if o.supplier_id == rows[0].supplier_id] if rows else []


def other_orders(*, actor, supplier_id: int, exclude) -> QuerySet[PurchaseOrder]:
    """The supplier's other orders that take goods (a delivery note may ship against several)."""
    return (
        order_visible(actor=actor)
        .filter(supplier_id=supplier_id, state__in=RECEIVABLE)
        .exclude(pk__in=exclude)
        .only("id", "number", "ordered_on")
        .order_by("-ordered_on", "-id")[:50]
    )


def note_receipts(*, actor, note: DeliveryNote) -> QuerySet[Receipt]:
    return (
        sel.receiving_visible(Receipt, actor=actor)
        .filter(delivery_note=note)
        .select_related("supplier", "delivery_note", "created_by")
        .order_by("received_on", "id")
    )


def order_notes_in_transit(*, actor, order: PurchaseOrder) -> list[DeliveryNote]:
    """The delivery notes in transit with lines of this order (received by their code rather than by hand)."""
    ids = DeliveryNoteLine.objects.filter(order_line__order=order).values("note_id")
    return list(sel.note_list(actor=actor).filter(pk__in=ids, state__in=IN_TRANSIT)[:10])


def return_lines(back: SupplierReturn):
    return back.lines.select_related("order_line__order", "order_line__unit", "order_line__product")


def receipt_orders(lines) -> list[PurchaseOrder]:
    """The orders a receipt's lines belong to, once each, in the order they come."""
    seen: dict[int, PurchaseOrder] = {}
    for line in lines:
        seen.setdefault(line.order_line.order_id, line.order_line.order)
    return list(seen.values())

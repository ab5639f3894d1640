"""Receiving goods (收货 / 质检) on a page: a delivery note in one step ("Receive everything as shipped") or line
by line — received, rejected by inspection with a reason, a note — or an order's open lines without a note; on
the day the goods arrived (today unless dated back, within the settings' window: the service says so if not).
A refusal shows each message beside its line and keeps everything typed. And a receipt's page: its lines
received / accepted / rejected, the orders and the note it was made against, "dated back"."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.procurement import forms_receiving as forms
from guanxi.procurement.choices_receipts import RejectReason
from guanxi.procurement.forms import num
from guanxi.procurement.selectors import receiving as sel
from guanxi.procurement.selectors import receiving_pages as pages
from guanxi.procurement.selectors.orders import order_get
from guanxi.procurement.services.receipts import receipt_from_note, receipt_post
from guanxi.procurement.services.receiving import require_receiver
from guanxi.procurement.views.common import record_tabs

NAV = "receiving"


@dataclass
class Item:
    """A line of the receive page: a note line's (shipped, received so far) or an order line's (ordered)."""

    id: int
    order_line: object
    expected: Decimal  # shipped on the note, or ordered
    rest: Decimal  # still to come on the note, or open on the order
    row: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


def _note_items(note) -> list[Item]:
    """The note's lines with something still to come, in id order (the order the service reads them in)."""
    items = [
        Item(x.pk, x.order_line, x.quantity, x.quantity - x.received_quantity) for x in sel.note_lines(note)
    ]
    return sorted((i for i in items if i.rest > 0), key=lambda i: i.id)


def _order_items(order) -> list[Item]:
    return [Item(x.pk, x, x.quantity, x.open_quantity) for x in pages.open_lines([order])]


def _page(request, *, note, order, items, data, rows, errors, ids=()):
    by_id, other = forms.row_errors(errors, list(ids))
    typed = {r["id"]: r for r in rows}
    for item in items:
        item.row = typed.get(item.id) or {"received": num(item.rest) if note else ""}
        item.errors = by_id.get(item.id, {})
    ctx = {
        "note": note,
        "order": order,
        "supplier": note.supplier if note else order.supplier,
        "items": items,
        "data": data,
        "errors": other,
        "summary": {k: v for k, v in other.items() if k not in forms.RECEIPT_HEADER},
        "row_errors": bool(by_id),
        "reasons": RejectReason.choices,
        "backdate_days": pages.backdate_days(),
        "today": timezone.localdate(),
        "notes_in_transit": pages.order_notes_in_transit(actor=request.user, order=order) if order else [],
        "nav": NAV,
    }
    return render(request, "procurement/receiving/receive.html", ctx)


def _posted(request, receipt):
    messages.success(request, _("Goods receipt %(number)s is posted.") % {"number": receipt.number})
    return redirect(receipt.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def note_receive_view(request, pk):
    """A delivery note received: everything as shipped ("all"), or as typed line by line."""
    require_receiver(request.user)
    note = sel.note_get(actor=request.user, pk=pk)
    if note.state not in pages.IN_TRANSIT:
        messages.error(request, _("This delivery note was received or cancelled already."))
        return redirect(note.get_absolute_url())
    items = _note_items(note)
    if request.method == "GET":
        data = {"received_on": timezone.localdate().isoformat()}
        return _page(request, note=note, order=None, items=items, data=data, rows=[], errors={})
    data = forms.header_from(request.POST, forms.RECEIPT_HEADER)
    if "all" in request.POST:
        rows, ids, payload = [], [i.id for i in items], {}
    else:
        rows = forms.receipt_rows(request.POST, [i.id for i in items])
        lines, ids = forms.receipt_payload(rows, "note_line")
        payload = {"lines": lines}
    try:
        receipt = receipt_from_note(actor=request.user, note=note, data={**data, **payload})
    except ValidationError as exc:
        return _page(
            request,
            note=note,
            order=None,
            items=items,
            data=data,
            rows=rows,
            errors=exc.message_dict,
            ids=ids,
        )
    return _posted(request, receipt)


@login_required
@require_http_methods(["GET", "POST"])
def order_receive_view(request, pk):
    """Goods that came without a delivery note, received against the order's open lines."""
    require_receiver(request.user)
    order = order_get(actor=request.user, pk=pk)
    if order.state not in pages.RECEIVABLE:
        messages.error(
            request, _("Goods are received against an order that was sent to the supplier and is still open.")
        )
        return redirect(order.get_absolute_url())
    items = _order_items(order)
    if request.method == "GET":
        data = {"received_on": timezone.localdate().isoformat()}
        return _page(request, note=None, order=order, items=items, data=data, rows=[], errors={})
    data = forms.header_from(request.POST, forms.RECEIPT_HEADER)
    rows = forms.receipt_rows(request.POST, [i.id for i in items])
    lines, ids = forms.receipt_payload(rows, "order_line")
    try:
        receipt = receipt_post(actor=request.user, data={**data, "lines": lines})
    except ValidationError as exc:
        return _page(
            request,
            note=None,
            order=order,
            items=items,
            data=data,
            rows=rows,
            errors=exc.message_dict,
            ids=ids,
        )
    return _posted(request, receipt)


@login_required
def receipt_detail(request, pk):
    receipt = sel.receipt_get(actor=request.user, pk=pk)
    tabs, active, tab_html = record_tabs(request, "procurement.receipt", receipt)
    lines = list(sel.receipt_lines(receipt))
    orders = pages.receipt_orders(lines)
    ctx = {
        "r": receipt,
        "lines": lines,
        "orders": orders,
        "returnable": [o for o in orders if o.state in pages.RETURNABLE and pages.has_returnable(o)]
        if pages.may_receive(request.user)
        else [],
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": NAV,
    }
    return render(request, "procurement/receiving/receipt.html", ctx)

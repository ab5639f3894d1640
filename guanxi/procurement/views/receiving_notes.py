"""Delivery notes (送货单 / ASN) on their pages: entered by a buyer for the supplier from a purchase order's page —
the lines still open with what is shipped of each (the open quantity until changed; more orders of the same
supplier may be added), the ship date, when it is expected, the carrier and tracking number, the supplier's own
delivery number — and a note's page: its code (printed as a QR code), its lines shipped and received, the
receipts made against it, Receive, Cancel (while nothing was received) and the registry's Print. A refusal shows
each message beside its line and keeps everything typed; the services decide everything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.procurement import forms_receiving as forms
from guanxi.procurement.choices_receipts import NoteState
from guanxi.procurement.selectors import receiving as sel
from guanxi.procurement.selectors import receiving_pages as pages
from guanxi.procurement.services.delivery_notes import delivery_note_cancel, delivery_note_create
from guanxi.procurement.services.receiving import require_receiver
from guanxi.procurement.views.common import int_or_none, record_tabs

DOC = "procurement.deliverynote"
NAV = "receiving"


def _form(request, orders, data: dict, rows: list[dict], errors: dict, ids=()):
    """The form; after a refusal, each message beside its line (`ids`: the line of each posted row)."""
    lines = pages.open_lines(orders)
    by_id, other = forms.row_errors(errors, list(ids))
    typed = {r["id"]: r["quantity"] for r in rows}
    ctx = {
        "orders": orders,
        "supplier": orders[0].supplier,
        "data": data,
        "rows": [{"line": x, "quantity": typed.get(x.pk, ""), "errors": by_id.get(x.pk, {})} for x in lines],
        "errors": other,
        "summary": {k: v for k, v in other.items() if k not in forms.NOTE_HEADER},
        "row_errors": bool(by_id),
        "more_orders": pages.other_orders(
            actor=request.user, supplier_id=orders[0].supplier_id, exclude=[o.pk for o in orders]
        ),
        "nav": NAV,
    }
    return render(request, "procurement/receiving/note_form.html", ctx)


def _no_order(request):
    messages.error(
        request, _("A delivery note ships against an order that was sent to the supplier and is still open.")
    )
    return redirect(reverse("procurement:orders") + "?state=open")


@login_required
@require_http_methods(["GET", "POST"])
def note_create_view(request):
    """?order=<id> (repeated): the orders whose open lines the note ships; "Add the lines of another order"
    shows the form again with that order's lines too."""
    require_receiver(request.user)
    if request.method == "GET":
        orders = pages.receivable_orders(actor=request.user, ids=forms.ids_from(request.GET, "order"))
        if not orders:
            return _no_order(request)
        data = {"ship_date": timezone.localdate().isoformat()}
        rows = forms.quantity_rows({}, pages.open_lines(orders), fill=True)
        return _form(request, orders, data, rows, {})
    post = request.POST
    ids = forms.ids_from(post, "order")
    adding = "add_order" in post
    if adding:
        ids.append(int_or_none(post.get("another")) or 0)
    orders = pages.receivable_orders(actor=request.user, ids=ids)
    if not orders:
        return _no_order(request)
    data = forms.header_from(post, forms.NOTE_HEADER)
    rows = forms.quantity_rows(post, pages.open_lines(orders), fill=adding)  # the added order's lines filled
    if adding:
        return _form(request, orders, data, rows, {})
    payload, ids = forms.quantity_payload(rows)
    try:
        note = delivery_note_create(actor=request.user, data={**data, "lines": payload})
    except ValidationError as exc:
        return _form(request, orders, data, rows, exc.message_dict, ids)
    messages.success(
        request,
        _(
            "Delivery note %(number)s is entered: print it for the supplier, or receive it when the goods arrive."
        )
        % {"number": note.number},
    )
    return redirect(note.get_absolute_url())


@login_required
def note_detail(request, pk):
    note = sel.note_get(actor=request.user, pk=pk)
    tabs, active, tab_html = record_tabs(request, DOC, note)
    may_receive = pages.may_receive(request.user)
    lines = list(sel.note_lines(note)) if active == "overview" else []
    for line in lines:
        line.to_come = max(line.quantity - line.received_quantity, 0)
    ctx = {
        "n": note,
        "lines": lines,
        "receipts": list(pages.note_receipts(actor=request.user, note=note)) if active == "overview" else [],
        "orders": pages.receipt_orders(lines),
        "can": {
            "receive": may_receive and note.state in pages.IN_TRANSIT,
            "cancel": may_receive and note.state == NoteState.OPEN,
        },
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": NAV,
    }
    return render(request, "procurement/receiving/note.html", ctx)


@login_required
@require_POST
def note_cancel_view(request, pk):
    note = sel.note_get(actor=request.user, pk=pk)
    try:
        note = delivery_note_cancel(actor=request.user, note=note, version=request.POST.get("version"))
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
        return redirect(note.get_absolute_url())
    except ConflictError:
        messages.error(
            request, _("Someone changed this delivery note meanwhile: look at it again and repeat.")
        )
        return redirect(note.get_absolute_url())
    messages.success(request, _("Delivery note %(number)s is cancelled.") % {"number": note.number})
    return redirect(note.get_absolute_url())

"""Receiving (收货): the hub — a box where the receiving clerk scans or types a delivery note's code (a USB scanner
types it and presses Enter) and lands on the note's receive page, the delivery notes still in transit and the
latest receipts — and the lists of delivery notes (送货单), goods receipts and returns (退货) with their filters,
pages by cursor. Entering a note: guanxi.procurement.views.receiving_notes; receiving:
guanxi.procurement.views.receiving_receive; returns: guanxi.procurement.views.receiving_returns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from guanxi.core.exceptions import NotFoundError
from guanxi.core.pagination import keyset_page
from guanxi.procurement.choices_receipts import NoteState, ReturnKind
from guanxi.procurement.selectors import receiving_pages as pages
from guanxi.procurement.selectors.orders import require_reader
from guanxi.procurement.services.delivery_notes import normalize_code, note_by_code
from guanxi.procurement.views.common import PAGE_SIZE, error_text, int_or_none, query

NAV = "receiving"
HUB_ROWS = 20


def _hub(request, *, code: str = "", error: str = ""):
    require_reader(request.user)
    ctx = {
        "in_transit": list(pages.notes_in_transit(actor=request.user)[:HUB_ROWS]),
        "receipts": list(pages.receipt_search(actor=request.user, supplier=None, q="")[:10]),
        "may_receive": pages.may_receive(request.user),
        "code": code,
        "code_error": error,
        "today": timezone.localdate(),
        "tab": "hub",
        "nav": NAV,
    }
    return render(request, "procurement/receiving/hub.html", ctx)


@login_required
def receiving_hub(request):
    return _hub(request)


@login_required
def receiving_scan(request):
    """The code a scanner or a hand typed: the note's receive page, or the hub again with why not."""
    code = request.GET.get("code", "").strip()[:64]
    try:
        note = note_by_code(actor=request.user, code=code)
    except NotFoundError as exc:
        return _hub(request, code=code, error=str(exc.message))
    return redirect(reverse("procurement:delivery_note_receive", args=[note.pk]))


def _list(request, template: str, rows: str, ctx: dict, qs, ordering):
    error, page = None, None
    try:
        page = keyset_page(qs(), ordering=ordering, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except ValidationError as exc:
        error = error_text(exc)
    ctx.update(
        page=page,
        error=error,
        nav=NAV,
        may_receive=pages.may_receive(request.user),
        today=timezone.localdate(),
    )
    if request.htmx and request.htmx.target == f"{ctx['tab']}-results":
        return render(request, f"procurement/receiving/{rows}", ctx)
    return render(request, f"procurement/receiving/{template}", ctx)


def _filters(request) -> tuple[int | None, str]:
    return int_or_none(request.GET.get("supplier")), request.GET.get("q", "").strip()[:100]


@login_required
def note_list_view(request):
    require_reader(request.user)
    supplier, q = _filters(request)
    state = request.GET.get("state", "").strip()[:12]
    ctx = {
        "supplier": supplier,
        "q": q,
        "state": state,
        "filtered": bool(supplier or q or state),
        "query": query(supplier=supplier, q=q, state=state),
        "states": NoteState.choices,
        "suppliers": pages.note_suppliers(actor=request.user),
        "tab": "notes",
    }
    return _list(
        request,
        "notes.html",
        "_note_rows.html",
        ctx,
        lambda: pages.note_search(
            actor=request.user, supplier=supplier, state=state, q=q, code=normalize_code(q)
        ),
        pages.NOTE_ORDERING,
    )


@login_required
def receipt_list_view(request):
    require_reader(request.user)
    supplier, q = _filters(request)
    ctx = {
        "supplier": supplier,
        "q": q,
        "filtered": bool(supplier or q),
        "query": query(supplier=supplier, q=q),
        "suppliers": pages.receipt_suppliers(actor=request.user),
        "tab": "receipts",
    }
    return _list(
        request,
        "receipts.html",
        "_receipt_rows.html",
        ctx,
        lambda: pages.receipt_search(actor=request.user, supplier=supplier, q=q),
        pages.RECEIPT_ORDERING,
    )


@login_required
def return_list_view(request):
    require_reader(request.user)
    supplier, q = _filters(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ReturnKind.values else ""
    ctx = {
        "supplier": supplier,
        "q": q,
        "kind": kind,
        "filtered": bool(supplier or q or kind),
        "query": query(supplier=supplier, q=q, kind=kind),
        "kinds": ReturnKind.choices,
        "suppliers": pages.return_suppliers(actor=request.user),
        "tab": "returns",
    }
    return _list(
        request,
        "returns.html",
        "_return_rows.html",
        ctx,
        lambda: pages.return_search(actor=request.user, supplier=supplier, kind=kind, q=q),
        pages.RETURN_ORDERING,
    )

"""Purchase orders (采购订单): the list (state incl. "open", supplier, mine, search; pages by cursor), an
order's page (header, lines with requested / first confirmed / planned dates and what was received, totals
with 大写, revisions, the registry's tabs — approval path, attachments, activities — and History) with the
operations the user may take now, and the option lists the order form loads (suppliers, their contacts).
The operations post to guanxi.procurement.views.order_actions; the form is guanxi.procurement.views.order_form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from guanxi.core.pagination import keyset_page
from guanxi.procurement.choices import CHANGEABLE_STATES, OrderState
from guanxi.procurement.selectors import orders as sel
from guanxi.procurement.selectors import pages
from guanxi.procurement.views.common import PAGE_SIZE, error_text, int_or_none, query, record_tabs

DOC = "procurement.purchaseorder"

# What each operation starts from (the services decide; the page only offers what can work now).
SEND_FROM = (OrderState.APPROVED, OrderState.SENT, OrderState.CONFIRMED)
CONFIRM_FROM = (OrderState.SENT, OrderState.CONFIRMED, OrderState.PARTIAL)
CANCEL_FROM = (
    OrderState.DRAFT,
    OrderState.PENDING,
    OrderState.APPROVED,
    OrderState.SENT,
    OrderState.CONFIRMED,
)
CLOSE_FROM = (OrderState.SENT, OrderState.CONFIRMED, OrderState.PARTIAL, OrderState.RECEIVED)


@login_required
def order_list_view(request):
    sel.require_reader(request.user)
    f = sel.OrderFilters(
        state=request.GET.get("state", "").strip()[:12],
        supplier=int_or_none(request.GET.get("supplier")),
        owner="me" if request.GET.get("owner") == "me" else "",
        q=request.GET.get("q", "").strip()[:100],
    )
    error, page = None, None
    try:
        page = keyset_page(
            sel.order_list(actor=request.user, filters=f),
            ordering=sel.ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {
        "page": page,
        "filters": f,
        "filtered": bool(f.state or f.supplier or f.owner or f.q),
        "query": query(state=f.state, supplier=f.supplier, owner=f.owner, q=f.q),
        "error": error,
        "states": OrderState.choices,
        "suppliers": pages.order_suppliers(actor=request.user),
        "may_create": sel.may_change(request.user),
        "nav": "purchase_orders",
    }
    if request.htmx and request.htmx.target == "order-results":
        return render(request, "procurement/partials/order_rows.html", ctx)
    return render(request, "procurement/orders/list.html", ctx)


def operations(order, may_change: bool) -> dict:
    """The operations the page offers for the order's state (each service checks again)."""
    state = order.state
    if not may_change:
        return {}
    return {
        "edit": state == OrderState.DRAFT,
        "submit": state == OrderState.DRAFT,
        "send": state in SEND_FROM,
        "confirm": state in CONFIRM_FROM,
        "change": state in CHANGEABLE_STATES,
        "cancel": state in CANCEL_FROM,
        "close": state in CLOSE_FROM,
    }


def detail_context(request, order, *, op: str = "", op_errors: dict | None = None, posted=None) -> dict:
    """The order's page; after a refused operation, that operation's form open with its errors and input."""
    tabs, active, tab_html = record_tabs(request, DOC, order)
    may_change = pages.order_may_change(actor=request.user, order=order)
    lines = sel.order_lines(order)
    posted = posted or {}
    can = operations(order, may_change)
    # The confirmation's date per line: what was typed when it was refused, else the planned date.
    dates = [
        (line, posted.get(f"date-{line.pk}", line.planned_date.isoformat() if line.planned_date else ""))
        for line in lines
    ]
    return {
        "o": order,
        "lines": lines,
        "confirm_dates": dates,
        "revisions": list(sel.order_revisions(order)[:20]) if active == "overview" else [],
        "can": can,
        "may_change": may_change,
        "send_to": posted.get("email", pages.send_to_default(order)) if can.get("send") else "",
        "op": op,
        "op_errors": op_errors or {},
        "reason": posted.get("reason", ""),
        "today": timezone.localdate(),
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": "purchase_orders",
    }


@login_required
def order_detail(request, pk):
    order = sel.order_get(actor=request.user, pk=pk)
    return render(request, "procurement/orders/detail.html", detail_context(request, order))


@login_required
def supplier_options(request):
    """<option>s of the suppliers that may receive orders, matching what was typed (the order form, htmx)."""
    sel.require_reader(request.user)
    q = request.GET.get("supplier_q", "").strip()[:100]
    rows = pages.orderable_suppliers(actor=request.user, q=q, limit=50)
    return render(request, "procurement/partials/supplier_options.html", {"suppliers": rows, "q": q})


@login_required
def contact_options(request):
    """<option>s of the chosen supplier's people (the order form, htmx, when the supplier changes)."""
    sel.require_reader(request.user)
    supplier = pages.supplier_for_form(actor=request.user, pk=request.GET.get("supplier"))
    contacts = pages.supplier_contacts(actor=request.user, supplier=supplier)
    return render(request, "procurement/partials/contact_options.html", {"contacts": contacts})

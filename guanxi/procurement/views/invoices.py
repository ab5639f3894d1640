"""Supplier invoices (供应商发票) and their three-way match (三单匹配): the list (state, supplier, search by our
number or the fapiao number; pages by cursor), entering an invoice from a purchase order (?order=) or a
supplier (?supplier=) — the lines with something accepted and not yet invoiced, prefilled with that quantity
and the order's price — and an invoice's page: per line the order, quantity, invoice price against the order's,
the difference, tax and what the match found; the invoice's own problems; totals; asking to release a held
invoice for payment (an approval, decided on the page) and cancelling a wrong entry. Thin: the services
(guanxi.procurement.services.invoices) decide everything; a refusal is shown beside what it is about, with what
was typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.core.models import Currency
from guanxi.core.pagination import keyset_page
from guanxi.procurement import forms_invoices as forms
from guanxi.procurement.choices_receipts import InvoiceState, MatchProblem
from guanxi.procurement.selectors import invoices as sel
from guanxi.procurement.services import invoices as svc
from guanxi.procurement.views.common import PAGE_SIZE, error_text, int_or_none, query, record_tabs

DOC = "procurement.supplierinvoice"
CANCEL_FROM = (InvoiceState.MATCHED, InvoiceState.EXCEPTION, InvoiceState.PENDING)
OPERATIONS = ("release", "cancel")


@login_required
def invoice_list_view(request):
    sel.require_reader(request.user)
    f = sel.InvoiceFilters(
        state=request.GET.get("state", "").strip()[:12],
        supplier=int_or_none(request.GET.get("supplier")),
        q=request.GET.get("q", "").strip()[:100],
    )
    error, page = None, None
    try:
        page = keyset_page(
            sel.invoice_list(actor=request.user, filters=f),
            ordering=sel.INVOICE_ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {
        "page": page,
        "filters": f,
        "filtered": bool(f.state or f.supplier or f.q),
        "query": query(state=f.state, supplier=f.supplier, q=f.q),
        "error": error,
        "states": InvoiceState.choices,
        "suppliers": sel.invoice_suppliers(actor=request.user),
        "may_enter": sel.may_enter(request.user),
        "nav": "supplier_invoices",
    }
    if request.htmx and request.htmx.target == "invoice-results":
        return render(request, "procurement/invoices/_rows.html", ctx)
    return render(request, "procurement/invoices/list.html", ctx)


# --- Entering an invoice --------------------------------------------------------------------------------


def _source(request):
    """Where the form starts: an order (?order=) or a supplier (?supplier=); (order, supplier)."""
    order = sel.order_for_invoice(actor=request.user, pk=request.GET.get("order"))
    if order is not None:
        return order, order.supplier
    return None, sel.supplier_for_invoice(actor=request.user, pk=request.GET.get("supplier"))


def _form_context(request, order, supplier, lines, data, values, row_errors=None, header=None) -> dict:
    row_errors, header = row_errors or {}, header or {}
    return {
        "order": order,
        "supplier": supplier,
        "rows": [(line, values.get(line.pk, {}), row_errors.get(line.pk, {})) for line in lines],
        "data": data,
        "errors": header,
        "summary": {k: v for k, v in header.items() if k not in (*forms.INVOICE_HEADER, "lines")},
        "row_errors": bool(row_errors),
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "suppliers": sel.invoiceable_suppliers(actor=request.user) if supplier is None else [],
        "expected": forms.expected_gross(lines, data["currency"])
        if request.method == "GET" and lines
        else None,
        "nav": "supplier_invoices",
    }


@login_required
@require_http_methods(["GET", "POST"])
def invoice_create_view(request):
    sel.require_reader(request.user)
    svc.require_enterer(request.user)
    order, supplier = _source(request)
    if request.method == "GET":
        lines = sel.invoice_form_lines(
            actor=request.user, order=order.pk if order else None, supplier=supplier.pk if supplier else None
        )
        currency = order.currency_id if order else (lines[0].order.currency_id if lines else "CNY")
        data = {**dict.fromkeys(forms.INVOICE_HEADER, ""), "currency": currency}
        data["invoice_date"] = timezone.localdate().isoformat()
        values = forms.line_values(lines)
        ctx = _form_context(request, order, supplier, lines, data, values)
        return render(request, "procurement/invoices/form.html", ctx)
    lines = sel.invoice_form_lines(
        actor=request.user,
        order=order.pk if order else None,
        supplier=supplier.pk if supplier else None,
        include=forms.posted_line_ids(request.POST),
    )
    data = forms.invoice_header_from(request.POST)
    values = forms.line_values(lines, request.POST)
    payload, ids = forms.payload_lines(lines, values)
    try:
        inv = svc.invoice_enter(actor=request.user, data={**data, "lines": payload})
    except ValidationError as exc:
        row_errors, header = forms.line_errors(exc.message_dict, ids)
        ctx = _form_context(request, order, supplier, lines, data, values, row_errors, header)
        return render(request, "procurement/invoices/form.html", ctx)
    if inv.state == InvoiceState.MATCHED:
        text = _("Supplier invoice %(number)s is entered and matched: ready for payment.")
    else:
        text = _("Supplier invoice %(number)s is entered and held for its exceptions.")
    messages.success(request, text % {"number": inv.number})
    return redirect(inv.get_absolute_url())


# --- An invoice's page ----------------------------------------------------------------------------------


def problem_labels(codes) -> list[str]:
    labels = dict(MatchProblem.choices)
    return [str(labels.get(code, code)) for code in codes or ()]


def detail_context(request, inv, *, op: str = "", op_errors: dict | None = None, posted=None) -> dict:
    tabs, active, tab_html = record_tabs(request, DOC, inv)
    may_enter = sel.may_enter(request.user)
    lines = sel.invoice_lines(inv) if active == "overview" else []
    posted = posted or {}
    return {
        "inv": inv,
        "lines": [(line, problem_labels(line.problems)) for line in lines],
        "problems": problem_labels(inv.problems),
        "exceptions": sum(1 for line in lines if line.problems) + len(inv.problems or ()),
        "stated_difference": inv.stated_gross - inv.gross_total,
        "can": {
            "release": may_enter and inv.state == InvoiceState.EXCEPTION,
            "cancel": may_enter and inv.state in CANCEL_FROM,
        },
        "op": op,
        "op_errors": op_errors or {},
        "reason": posted.get("reason", ""),
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": "supplier_invoices",
    }


@login_required
def invoice_detail(request, pk):
    inv = sel.invoice_get(actor=request.user, pk=pk)
    return render(request, "procurement/invoices/detail.html", detail_context(request, inv))


@login_required
@require_POST
def invoice_action(request, pk, action):
    """Ask to release a held invoice for payment, or cancel a wrong entry (with a reason)."""
    if action not in OPERATIONS:
        raise Http404
    inv = sel.invoice_get(actor=request.user, pk=pk)
    version = request.POST.get("version")
    try:
        if action == "release":
            inv = svc.invoice_release(actor=request.user, invoice=inv, version=version)
            if inv.state == InvoiceState.PENDING:
                text = _("Releasing %(number)s for payment waits for approval.")
            else:
                text = _("Supplier invoice %(number)s is released for payment.")
        else:
            inv = svc.invoice_cancel(
                actor=request.user, invoice=inv, version=version, reason=request.POST.get("reason", "")
            )
            text = _("Supplier invoice %(number)s is cancelled: its quantities may be invoiced again.")
    except ValidationError as exc:
        inv.refresh_from_db()
        ctx = detail_context(request, inv, op=action, op_errors=exc.message_dict, posted=request.POST)
        return render(request, "procurement/invoices/detail.html", ctx)
    except ConflictError:
        messages.error(request, _("Someone changed this invoice meanwhile: look at it again and repeat."))
        return redirect(inv.get_absolute_url())
    messages.success(request, text % {"number": inv.number})
    return redirect(inv.get_absolute_url())

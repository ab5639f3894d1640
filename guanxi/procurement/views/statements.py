"""Reconciliation statements (对账单): the list (state, supplier; pages by cursor), drawing one up for a supplier,
a period (last month unless changed) and a currency, and a statement's page — its lines (goods received,
returned, invoices), the totals and the difference, "Send to the supplier", and the supplier's answer per line
(confirm, or dispute with a note; "Confirm all") until every line is confirmed and the statement is locked.
Thin: the services (guanxi.procurement.services.statements) decide everything; a refusal is shown beside what
it is about, with what was typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.core.models import Currency
from guanxi.core.pagination import keyset_page
from guanxi.procurement import forms_invoices as forms
from guanxi.procurement.choices_receipts import StatementState, SupplierAnswer
from guanxi.procurement.selectors import invoices as sel
from guanxi.procurement.services import invoices as invoice_svc
from guanxi.procurement.services import statements as svc
from guanxi.procurement.views.common import PAGE_SIZE, error_text, int_or_none, query, record_tabs

DOC = "procurement.reconciliationstatement"
HEADER = ("supplier", "period_start", "period_end", "currency")
ANSWERABLE = (StatementState.SENT, StatementState.DISPUTED)


@login_required
def statement_list_view(request):
    sel.require_reader(request.user)
    f = sel.StatementFilters(
        state=request.GET.get("state", "").strip()[:12],
        supplier=int_or_none(request.GET.get("supplier")),
    )
    error, page = None, None
    try:
        page = keyset_page(
            sel.statement_list(actor=request.user, filters=f),
            ordering=sel.STATEMENT_ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {
        "page": page,
        "filters": f,
        "filtered": bool(f.state or f.supplier),
        "query": query(state=f.state, supplier=f.supplier),
        "error": error,
        "states": StatementState.choices,
        "suppliers": sel.statement_suppliers(actor=request.user),
        "may_enter": sel.may_enter(request.user),
        "nav": "statements",
    }
    if request.htmx and request.htmx.target == "statement-results":
        return render(request, "procurement/statements/_rows.html", ctx)
    return render(request, "procurement/statements/list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def statement_create_view(request):
    sel.require_reader(request.user)
    invoice_svc.require_enterer(request.user)
    errors: dict = {}
    if request.method == "GET":
        start, end = svc.statement_period_default()
        supplier = sel.supplier_for_invoice(actor=request.user, pk=request.GET.get("supplier"))
        data = {
            "supplier": supplier.pk if supplier else "",
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "currency": "CNY",
        }
    else:
        data = {k: request.POST.get(k, "").strip()[:40] for k in HEADER}
        try:
            s = svc.statement_create(actor=request.user, data=data)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request,
                _("Statement %(number)s is drawn up: check it, then send it to the supplier.")
                % {"number": s.number},
            )
            return redirect(s.get_absolute_url())
    ctx = {
        "data": data,
        "errors": errors,
        "summary": {k: v for k, v in errors.items() if k not in HEADER},
        "suppliers": sel.statement_new_suppliers(actor=request.user),
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "nav": "statements",
    }
    return render(request, "procurement/statements/form.html", ctx)


def detail_context(request, s, *, op_errors: dict | None = None, posted=None) -> dict:
    tabs, active, tab_html = record_tabs(request, DOC, s)
    may_enter = sel.may_enter(request.user)
    lines = sel.statement_lines(s) if active == "overview" else []
    row_errors, rest = forms.answer_errors(op_errors or {})
    answering = may_enter and s.state in ANSWERABLE
    rows = []
    for line in lines:
        if posted is not None:
            answer = posted.get(f"answer-{line.pk}", "")
            note = posted.get(f"note-{line.pk}", "")
        else:
            answer, note = line.answer, line.answer_note
        rows.append((line, answer, note, row_errors.get(line.pk, {})))
    return {
        "s": s,
        "rows": rows,
        "can": {"send": may_enter and s.state == StatementState.DRAFT, "answer": answering},
        "answers": SupplierAnswer.choices,
        "op_errors": rest,
        "row_errors": bool(row_errors),
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": "statements",
    }


@login_required
def statement_detail(request, pk):
    s = sel.statement_get(actor=request.user, pk=pk)
    return render(request, "procurement/statements/detail.html", detail_context(request, s))


@login_required
@require_POST
def statement_action(request, pk, action):
    """Send the statement to the supplier, or record the supplier's answers (one per line, or "confirm all")."""
    if action not in ("send", "answer"):
        raise Http404
    s = sel.statement_get(actor=request.user, pk=pk)
    version = request.POST.get("version")
    try:
        if action == "send":
            s = svc.statement_send(actor=request.user, statement=s, version=version)
            text = _("Statement %(number)s is sent to the supplier: record its answer per line.")
        else:
            ids = [line.pk for line in sel.statement_lines(s)]
            if request.POST.get("all") == SupplierAnswer.CONFIRMED:
                answers: dict = {pk: {"answer": SupplierAnswer.CONFIRMED} for pk in ids}
            else:
                answers = forms.answers_from(request.POST, ids)
                if not answers:
                    raise ValidationError({"answers": _("Confirm or dispute at least one line.")})
            s = svc.statement_answer(actor=request.user, statement=s, version=version, answers=answers)
            if s.state == StatementState.CONFIRMED:
                text = _("The supplier confirmed statement %(number)s: it is locked.")
            elif s.state == StatementState.DISPUTED:
                text = _(
                    "The supplier disputes lines of statement %(number)s: sort them out and answer again."
                )
            else:
                text = _("The supplier's answers to statement %(number)s are recorded.")
    except ValidationError as exc:
        s.refresh_from_db()
        posted = request.POST if action == "answer" and "all" not in request.POST else None
        ctx = detail_context(request, s, op_errors=exc.message_dict, posted=posted)
        return render(request, "procurement/statements/detail.html", ctx)
    except ConflictError:
        messages.error(request, _("Someone changed this statement meanwhile: look at it again and repeat."))
        return redirect(s.get_absolute_url())
    messages.success(request, text % {"number": s.number})
    return redirect(s.get_absolute_url())

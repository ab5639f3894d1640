"""Requests for quotation (询价单): the list (state, mine, search; pages by cursor), an RFQ's page (lines,
criteria, invited suppliers with who answered — never what a sealed quote says —, the operations the user may
take now, the registry's tabs and History) and the form of a draft (header, lines, weighted criteria). The
operations: guanxi.procurement.views.rfq_actions; quotes and the comparison: views.rfq_quotes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.catalog.models import Unit
from guanxi.core.exceptions import ConflictError
from guanxi.core.models import Currency
from guanxi.core.pagination import keyset_page
from guanxi.procurement import forms, forms_sourcing
from guanxi.procurement.choices import CriterionKind, RfqState
from guanxi.procurement.selectors import pages
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.services import rfqs as svc
from guanxi.procurement.views.common import PAGE_SIZE, error_text, query, record_tabs

DOC = "procurement.rfq"
ORDERING = ["-created_at", "-id"]
EXTRA_ROWS = 3


@login_required
def rfq_list_view(request):
    sel.require_reader(request.user)
    f = sel.RfqFilters(
        state=request.GET.get("state", "").strip()[:12],
        owner="me" if request.GET.get("owner") == "me" else "",
        q=request.GET.get("q", "").strip()[:100],
    )
    error, page = None, None
    try:
        page = keyset_page(
            sel.rfq_list(actor=request.user, filters=f),
            ordering=ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {
        "page": page,
        "filters": f,
        "filtered": bool(f.state or f.owner or f.q),
        "query": query(state=f.state, owner=f.owner, q=f.q),
        "error": error,
        "states": RfqState.choices,
        "may_create": sel.may_change(request.user),
        "now": timezone.now(),
        "nav": "rfqs",
    }
    if request.htmx and request.htmx.target == "rfq-results":
        return render(request, "procurement/partials/rfq_rows.html", ctx)
    return render(request, "procurement/rfqs/list.html", ctx)


def detail_context(request, rfq, *, op: str = "", op_errors: dict | None = None, posted=None) -> dict:
    tabs, active, tab_html = record_tabs(request, DOC, rfq)
    may_change = sel.rfq_visible(actor=request.user, mode="edit").filter(pk=rfq.pk).exists()
    now = timezone.now()
    before_deadline = now < rfq.deadline
    state = rfq.state
    can = {}
    if may_change:
        can = {
            "edit": state == RfqState.DRAFT,
            "publish": state == RfqState.DRAFT,
            "invite": state == RfqState.DRAFT or (state == RfqState.OPEN and before_deadline),
            "quote": state == RfqState.OPEN and before_deadline,
            "extend": state == RfqState.OPEN,
            "open": state == RfqState.OPEN and not before_deadline,
            "open_early": state == RfqState.OPEN and before_deadline and sel.may_open_early(request.user),
            "round": state == RfqState.OPENED,
            "cancel": state in (RfqState.DRAFT, RfqState.OPEN, RfqState.OPENED),
        }
    invited = sel.invitations_of(rfq)
    taken = {row.invitation.supplier_id for row in invited}
    suppliers: list = []
    if can.get("invite"):
        suppliers = pages.invitable_for(actor=request.user, categories=sel.rfq_categories(rfq), taken=taken)
    return {
        "r": rfq,
        "lines": sel.rfq_lines(rfq),
        "criteria": sel.rfq_criteria(rfq),
        "invited": invited,
        "suppliers": suppliers,
        "can": can,
        "compared": state in (RfqState.OPENED, RfqState.AWARDED, RfqState.ORDERED) or rfq.round > 1,
        "op": op,
        "op_errors": op_errors or {},
        "posted": posted or {},
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": "rfqs",
    }


@login_required
def rfq_detail(request, pk):
    rfq = sel.rfq_get(actor=request.user, pk=pk)
    return render(request, "procurement/rfqs/detail.html", detail_context(request, rfq))


def _form_context(request, rfq, data: dict, rows: list[dict], criteria: dict, errors: dict, extra: int):
    header = forms.other_errors(errors, "lines")
    return {
        "r": rfq,
        "data": data,
        "criteria": criteria,
        "kinds": CriterionKind.choices,
        "rows": forms.rows_shown(rows, errors, "lines", forms_sourcing.LINE_FIELDS, extra),
        "errors": header,
        "criteria_errors": [m for k, v in header.items() if k.startswith("criteria") for m in v],
        "summary": {
            k: v for k, v in header.items() if k not in forms_sourcing.HEADER and not k.startswith("criteria")
        },
        "products": pages.bought_products(actor=request.user),
        "units": Unit.objects.filter(active=True).order_by("code"),
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "nav": "rfqs",
    }


@login_required
@require_http_methods(["GET", "POST"])
def rfq_create_view(request):
    return _rfq_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def rfq_edit(request, pk):
    rfq = sel.rfq_get(actor=request.user, pk=pk, mode="edit")
    if rfq.state != RfqState.DRAFT:
        messages.error(
            request, _("Only a draft is edited: once published, suppliers quote on what they were sent.")
        )
        return redirect(rfq.get_absolute_url())
    return _rfq_form(request, rfq)


def _rfq_form(request, rfq):
    svc.require_changer(request.user)
    errors: dict = {}
    if request.method == "GET":
        if rfq is None:
            deadline = timezone.localtime() + dt.timedelta(days=7)
            data = {
                "currency": "CNY",
                "deadline": deadline.replace(hour=17, minute=0).strftime("%Y-%m-%dT%H:%M"),
            }
            rows, criteria = [], forms_sourcing.criteria_shown(svc.DEFAULT_CRITERIA)
        else:
            data = {
                "title": rfq.title,
                "currency": rfq.currency_id,
                "deadline": timezone.localtime(rfq.deadline).strftime("%Y-%m-%dT%H:%M"),
                "notes": rfq.notes,
                "version": rfq.version,
            }
            rows = [forms_sourcing.line_row(x) for x in rfq.lines.all()]
            criteria = forms_sourcing.criteria_shown(rfq.criteria.all())
        extra = EXTRA_ROWS if rows else EXTRA_ROWS + 1
        return render(
            request,
            "procurement/rfqs/form.html",
            _form_context(request, rfq, data, rows, criteria, errors, extra),
        )
    data = forms_sourcing.header_from(request.POST)
    data["version"] = request.POST.get("version", "")
    rows = forms_sourcing.lines_from(request.POST)
    crit, criteria = forms_sourcing.criteria_from(request.POST)
    if "add_rows" not in request.POST:
        payload: dict = {k: v for k, v in data.items() if k != "version"}
        payload["lines"] = forms.payload_lines(rows)
        payload["criteria"] = crit
        try:
            if rfq is None:
                rfq = svc.rfq_create(actor=request.user, data=payload)
                messages.success(
                    request, _("RFQ %(number)s added: invite the suppliers.") % {"number": rfq.number}
                )
            else:
                rfq = svc.rfq_update(actor=request.user, rfq=rfq, version=data["version"], data=payload)
                messages.success(request, _("RFQ %(number)s saved.") % {"number": rfq.number})
            return redirect(rfq.get_absolute_url())
        except ValidationError as exc:
            errors = exc.message_dict
        except ConflictError as exc:
            errors = {"__all__": [str(exc.message)]}
    extra = EXTRA_ROWS * 2 if "add_rows" in request.POST else EXTRA_ROWS
    return render(
        request,
        "procurement/rfqs/form.html",
        _form_context(request, rfq, data, rows, criteria, errors, extra),
    )

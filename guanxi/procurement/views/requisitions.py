"""Purchase requisitions (请购单): the list (mine / all for buyers, by state; buyers pick approved ones and make an
RFQ or a purchase order of them), the form of a draft (lines: product or text, quantity, unit, estimated unit
price), a requisition's page (its lines and where each went, the approval path, submit / cancel). Thin: the
services decide; a refusal shows the page again with its messages and the input kept."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.catalog.models import Unit
from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.core.models import Currency
from guanxi.core.pagination import keyset_page
from guanxi.procurement import forms
from guanxi.procurement.choices import RequisitionState
from guanxi.procurement.models import PurchaseOrder, Rfq
from guanxi.procurement.selectors import pages
from guanxi.procurement.selectors import requisitions as sel
from guanxi.procurement.services import requisitions as svc
from guanxi.procurement.views.common import PAGE_SIZE, error_text, query, record_tabs

DOC = "procurement.requisition"
LINE_FIELDS = ("product", "description", "quantity", "unit", "estimated_price")
HEADER = ("needed_by", "cost_centre", "justification", "supplier", "currency")


def _list_context(request, *, error: str = "", picked=()) -> dict:
    process = sel.may_process(request.user)
    f = sel.RequisitionFilters(
        state=request.GET.get("state", "approved" if process and "state" not in request.GET else "").strip()[
            :12
        ],
        mine=request.GET.get("mine") == "1" or not process,
        q=request.GET.get("q", "").strip()[:100],
    )
    page = None
    try:
        page = keyset_page(
            sel.requisition_list(actor=request.user, filters=f),
            ordering=sel.ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        error = error or error_text(exc)
    return {
        "page": page,
        "filters": f,
        "filtered": bool(f.state or f.q),
        "query": query(state=f.state, mine="1" if f.mine and process else "", q=f.q),
        "error": error,
        "states": RequisitionState.choices,
        "process": process,
        "picked": {str(x) for x in picked},
        "suppliers": pages.orderable_suppliers(actor=request.user) if process else [],
        "may_create": sel.may_create(request.user),
        "nav": "requisitions",
    }


@login_required
def requisition_list_view(request):
    sel.require_reader(request.user)
    return render(request, "procurement/requisitions/list.html", _list_context(request))


@login_required
@require_POST
def requisitions_source(request):
    """Buyers: the picked approved requisitions become one draft RFQ or one draft purchase order."""
    ids = request.POST.getlist("requisition")[:100]
    doc: PurchaseOrder | Rfq
    try:
        if request.POST.get("to") == "order":
            supplier = request.POST.get("supplier")
            doc = svc.requisitions_to_order(actor=request.user, requisitions=ids, supplier=supplier)
            text = _("Purchase order %(number)s drafted from the requisitions.")
        else:
            doc = svc.requisitions_to_rfq(actor=request.user, requisitions=ids)
            text = _("RFQ %(number)s drafted: invite the suppliers.")
    except ValidationError as exc:
        ctx = _list_context(request, error=error_text(exc), picked=ids)
        return render(request, "procurement/requisitions/list.html", ctx)
    messages.success(request, text % {"number": doc.number})
    return redirect(doc.get_absolute_url())


def _detail(request, req, *, errors: dict | None = None):
    tabs, active, tab_html = record_tabs(request, DOC, req)
    mine = req.requester_id == request.user.pk and sel.may_create(request.user)
    return render(
        request,
        "procurement/requisitions/detail.html",
        {
            "q": req,
            "lines": sel.requisition_lines(req),
            "can": {
                "edit": mine and req.state == RequisitionState.DRAFT,
                "submit": mine and req.state == RequisitionState.DRAFT,
                "cancel": mine
                and req.state
                in (RequisitionState.DRAFT, RequisitionState.PENDING, RequisitionState.APPROVED),
            },
            "errors": errors or {},
            "tabs": tabs,
            "active": active,
            "tab_html": tab_html,
            "nav": "requisitions",
        },
    )


@login_required
def requisition_detail(request, pk):
    return _detail(request, sel.requisition_get(actor=request.user, pk=pk))


@login_required
@require_POST
def requisition_action(request, pk, action):
    if action not in ("submit", "cancel"):
        raise Http404
    req = sel.requisition_get(actor=request.user, pk=pk, mode="edit")
    version = request.POST.get("version")
    try:
        if action == "submit":
            req = svc.requisition_submit(actor=request.user, requisition=req, version=version)
            text = (
                _("Requisition %(number)s waits for approval.")
                if req.state == RequisitionState.PENDING
                else _("Requisition %(number)s is approved: the buyers will source it.")
            )
        else:
            req = svc.requisition_cancel(actor=request.user, requisition=req, version=version)
            text = _("Requisition %(number)s is cancelled.")
    except ValidationError as exc:
        req.refresh_from_db()
        return _detail(request, req, errors=exc.message_dict)
    except ConflictError:
        messages.error(request, _("Someone changed this requisition meanwhile: look at it again and repeat."))
        return redirect(req.get_absolute_url())
    except GuanxiError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc.message))
        return redirect(req.get_absolute_url())
    messages.success(request, text % {"number": req.number})
    return redirect(req.get_absolute_url())


def _line_row(x) -> dict:
    return {
        "product": x.product_id or "",
        "description": x.description,
        "quantity": forms.num(x.quantity),
        "unit": x.unit_id or "",
        "estimated_price": forms.num(x.estimated_price) if x.estimated_price else "",
    }


def _rows_from(post) -> list[dict]:
    rows = []
    for i in range(300):
        if f"lines-{i}-quantity" not in post:
            break
        row = {f: post.get(f"lines-{i}-{f}", "").strip()[:500] for f in LINE_FIELDS}
        if any(row.values()):
            rows.append(row)
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def requisition_form(request, pk=None):
    sel.require_creator(request.user)
    req = sel.requisition_get(actor=request.user, pk=pk, mode="edit") if pk else None
    if req is not None and req.state != RequisitionState.DRAFT:
        messages.error(request, _("Only a draft is edited."))
        return redirect(req.get_absolute_url())
    errors: dict = {}
    if request.method == "GET":
        if req is None:
            data = {
                "currency": "CNY",
                "needed_by": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
            }
            rows: list[dict] = []
        else:
            data = {
                "needed_by": req.needed_by.isoformat(),
                "cost_centre": req.cost_centre,
                "justification": req.justification,
                "supplier": str(req.supplier_id or ""),
                "currency": req.currency_id,
                "version": str(req.version),
            }
            rows = [_line_row(x) for x in req.lines.all()]
    else:
        data = {k: request.POST.get(k, "").strip()[:2000] for k in HEADER}
        data["version"] = request.POST.get("version", "")
        rows = _rows_from(request.POST)
        if "add_rows" not in request.POST:
            payload = {
                **{k: v for k, v in data.items() if k != "version"},
                "lines": forms.payload_lines(rows),
            }
            try:
                if req is None:
                    req = svc.requisition_create(actor=request.user, data=payload)
                    messages.success(
                        request,
                        _("Requisition %(number)s saved: submit it when it is complete.")
                        % {"number": req.number},
                    )
                else:
                    req = svc.requisition_update(
                        actor=request.user, requisition=req, version=data["version"], data=payload
                    )
                    messages.success(request, _("Requisition %(number)s saved.") % {"number": req.number})
                return redirect(req.get_absolute_url())
            except ValidationError as exc:
                errors = exc.message_dict
            except ConflictError as exc:
                errors = {"__all__": [str(exc.message)]}
    extra = 6 if "add_rows" in request.POST else (2 if rows else 3)
    header = forms.other_errors(errors, "lines")
    return render(
        request,
        "procurement/requisitions/form.html",
        {
            "q": req,
            "data": data,
            "rows": forms.rows_shown(rows, errors, "lines", LINE_FIELDS, extra),
            "errors": header,
            "summary": {k: v for k, v in header.items() if k not in HEADER},
            "products": pages.bought_products(actor=request.user),
            "units": Unit.objects.filter(active=True).order_by("code"),
            "currencies": Currency.objects.filter(active=True).order_by("code"),
            "suppliers": pages.orderable_suppliers(actor=request.user),
            "nav": "requisitions",
        },
    )

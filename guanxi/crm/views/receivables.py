"""Receivables: the order's Collections and fapiao tab posts here (plan, collection, fapiao request, issued
fapiao), and the Receivables page lists the orders with money to come, per rep, with what is overdue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import GuanxiError
from guanxi.core.pagination import keyset_page
from guanxi.crm.models import FapiaoRequest
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.selectors.receivables import open_orders, receivable_totals
from guanxi.crm.services import receivables as svc
from guanxi.crm.views.common import error_text


def _back(order):
    return redirect(order.get_absolute_url() + "?tab=receivables")


def _run(request, order, action, done: str):
    try:
        action()
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except GuanxiError as exc:
        messages.error(request, str(exc.message))
    return _back(order)


@login_required
@require_POST
def plan(request, pk):
    order = sel.order_get(actor=request.user, pk=pk, mode="edit")
    rows = []
    for i in range(24):
        day, amount = (
            request.POST.get(f"i-{i}-due_date", "").strip(),
            request.POST.get(f"i-{i}-amount", "").strip(),
        )
        if day or amount:
            rows.append(
                {
                    "due_date": day,
                    "amount": amount,
                    "remind_days_before": request.POST.get(f"i-{i}-remind", "3"),
                }
            )
    return _run(
        request,
        order,
        lambda: svc.plan_set(actor=request.user, order=order, instalments=rows),
        _("Collection plan saved."),
    )


@login_required
@require_POST
def collection(request, pk):
    order = sel.order_get(actor=request.user, pk=pk, mode="edit")
    data = {k: request.POST.get(k, "") for k in ("received_on", "amount", "method", "bank_reference", "note")}
    return _run(
        request,
        order,
        lambda: svc.collection_record(actor=request.user, order=order, data=data),
        _("Collection recorded."),
    )


@login_required
@require_POST
def fapiao_request(request, pk):
    order = sel.order_get(actor=request.user, pk=pk, mode="edit")
    data = {
        k: request.POST[k] for k in ("kind", "amount", "title", "tax_number", "note") if k in request.POST
    }
    return _run(
        request,
        order,
        lambda: svc.fapiao_request_create(actor=request.user, order=order, data=data),
        _("Fapiao request made."),
    )


@login_required
@require_POST
def fapiao_issue(request, pk, request_pk):
    order = sel.order_get(actor=request.user, pk=pk, mode="edit")
    r = get_object_or_404(FapiaoRequest, pk=request_pk, order=order)
    data = {k: request.POST.get(k, "") for k in ("fapiao_number", "issued_on", "tracking_number")}
    return _run(
        request,
        order,
        lambda: svc.fapiao_issue(actor=request.user, request=r, data=data),
        _("Fapiao recorded as issued."),
    )


@login_required
def receivables(request):
    owner = request.GET.get("owner", "")[:20]
    qs = open_orders(actor=request.user, owner=owner).select_related("customer", "owner")
    page = keyset_page(
        qs, ordering=["-ordered_on", "-id"], cursor=request.GET.get("cursor") or None, limit=25
    )
    ctx = {"page": page, "owner": owner, "totals": receivable_totals(qs), "nav": "receivables"}
    return render(request, "crm/receivables.html", ctx)

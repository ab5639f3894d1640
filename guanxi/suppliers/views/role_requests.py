"""Adding the supplier role to a registered company: ask (with its unified social credit code and a reason),
see what waits for one's consent, decide or withdraw. Thin: guanxi.suppliers.services.role_requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.suppliers.selectors import role_requests as sel
from guanxi.suppliers.services import role_requests as svc


@login_required
@require_http_methods(["GET", "POST"])
def role_requests(request):
    may_ask = svc.may_ask(request.user)
    data = {"uscc": request.GET.get("uscc", "")[:60], "reason": ""}
    errors: dict = {}
    if request.method == "POST":
        if not may_ask:
            raise PermissionDeniedError()
        data = {k: request.POST.get(k, "")[:600] for k in ("uscc", "reason")}
        try:
            made = svc.supplier_role_request(actor=request.user, uscc=data["uscc"], reason=data["reason"])
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Asked: the company's owner or an administrator decides."))
            return redirect(made.get_absolute_url())
    return render(
        request,
        "suppliers/role_requests.html",
        {
            "may_ask": may_ask,
            "data": data,
            "errors": errors,
            "waiting": sel.role_requests_waiting_for(actor=request.user),
            "asked": sel.role_requests_asked_by(actor=request.user),
            "nav": "supplier_role_requests",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_request_detail(request, pk):
    req = sel.role_request_get(actor=request.user, pk=pk)
    errors: list[str] = []
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op in ("accept", "decline"):
                req = svc.supplier_role_decide(
                    actor=request.user, request=req, accept=op == "accept", note=request.POST.get("note", "")
                )
            elif op == "withdraw":
                req = svc.supplier_role_withdraw(actor=request.user, request=req)
        except ValidationError as exc:
            errors = [m for msgs in exc.message_dict.values() for m in msgs]
        except (ConflictError, PermissionDeniedError) as exc:
            errors = [str(exc.message)]
        else:
            messages.success(
                request, _("The request is now “%(state)s”.") % {"state": req.get_state_display()}
            )
            return redirect(req.get_absolute_url())
    pending = req.state == "pending"
    return render(
        request,
        "suppliers/role_request.html",
        {
            "r": req,
            "errors": errors,
            "may_decide": pending and svc.may_decide(request.user, req),
            "may_withdraw": pending and req.requested_by_id == request.user.pk,
            "nav": "supplier_role_requests",
        },
    )

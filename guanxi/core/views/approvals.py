"""Approvals pages: the inbox ("waiting for me", and what I submitted), one request with its path and the
decision, and Settings → My delegation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.approval_forms import DecisionForm, DelegationForm
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import ApprovalDelegation
from guanxi.core.models.approvals import RequestStatus
from guanxi.core.selectors import approvals as sel
from guanxi.core.services import approval_delegations as delegation_svc
from guanxi.core.services import approvals as svc

PAGE = 25


@login_required
def inbox(request):
    show = request.GET.get("show") if request.GET.get("show") in ("waiting", "submitted") else "waiting"
    cursor = request.GET.get("cursor") or None
    try:
        if show == "waiting":
            page = sel.inbox_page(actor=request.user, cursor=cursor, limit=PAGE)
        else:
            page = sel.submitted_page(actor=request.user, cursor=cursor, limit=PAGE)
    except ValidationError:
        return redirect(f"{request.path}?show={show}")  # a stale page link: start again
    return render(
        request,
        "core/approvals/inbox.html",
        {
            "page": page,
            "show": show,
            "waiting_count": sel.inbox_count(actor=request.user) if show == "submitted" else None,
            "nav": "approvals",
            "form": DecisionForm(),
        },
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def request_detail(request, pk):
    view = sel.approval_request_view(actor=request.user, pk=pk)
    return render(
        request,
        "core/approvals/request.html",
        {"view": view, "form": DecisionForm(), "nav": "approvals", "statuses": RequestStatus},
    )


@login_required
@require_POST
def decide(request, pk):
    req = sel.approval_request_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision")
    back = _back(request, request.path.rsplit("decide/", 1)[0])
    if decision not in ("approve", "reject") or not form.is_valid():
        messages.error(request, _("Choose approve or reject; a comment has at most 2000 characters."))
        return redirect(back)
    behalf = request.POST.get("on_behalf_of")
    behalf_id = int(behalf) if behalf and behalf.isdigit() else None
    comment = form.cleaned_data["comment"]
    try:
        if decision == "approve":
            done = svc.approval_approve(
                actor=request.user, request=req, comment=comment, on_behalf_of=behalf_id
            )
        else:
            done = svc.approval_reject(
                actor=request.user, request=req, comment=comment, on_behalf_of=behalf_id
            )
    except ValidationError as exc:
        view = sel.approval_request_view(actor=request.user, pk=pk)
        for message in exc.messages:
            form.add_error("comment", message)
        return render(
            request,
            "core/approvals/request.html",
            {"view": view, "form": form, "nav": "approvals"},
            status=422,
        )
    except (ConflictError, PermissionDeniedError) as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    if done.status == RequestStatus.APPROVED:
        messages.success(request, _("Approved: “%(title)s” is approved.") % {"title": done.title})
    elif done.status == RequestStatus.REJECTED:
        messages.success(
            request, _("Rejected: “%(title)s” goes back to the requester.") % {"title": done.title}
        )
    else:
        messages.success(
            request, _("Approved: “%(title)s” goes on to the next level.") % {"title": done.title}
        )
    return redirect(back)


@login_required
@require_POST
def withdraw(request, pk):
    req = sel.approval_request_get(actor=request.user, pk=pk)
    try:
        svc.approval_withdraw(actor=request.user, request=req)
    except (ConflictError, PermissionDeniedError) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect(_back(request, request.path.rsplit("withdraw/", 1)[0]))


@login_required
def delegation(request):
    """Settings → My delegation: who decides my approvals while I am away, and whose I decide."""
    form = DelegationForm(request.POST or None, actor=request.user, initial={"starts_on": sel.today()})
    if request.method == "POST" and form.is_valid():
        try:
            delegation_svc.approval_delegation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Your approvals go to %(name)s from %(start)s until %(end)s.")
                % {
                    "name": form.cleaned_data["delegate"],
                    "start": form.cleaned_data["starts_on"],
                    "end": form.cleaned_data["ends_on"],
                },
            )
            return redirect("core:delegation")
    return render(
        request,
        "core/approvals/delegation.html",
        {
            "form": form,
            "given": sel.delegations_given(actor=request.user)[:50],
            "received": sel.delegations_received(actor=request.user)[:50],
            "today": sel.today(),
            "section": "delegation",
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def delegation_end(request, pk):
    delegation = ApprovalDelegation.objects.filter(pk=pk, delegator=request.user).first()
    if delegation is None:
        raise Http404
    try:
        delegation_svc.approval_delegation_end(actor=request.user, delegation=delegation)
    except ConflictError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Delegation ended: your approvals come to you again."))
    return redirect("core:delegation")

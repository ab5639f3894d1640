"""Settings → Approval rules (administrators): the rules of each approvable document type in the order they
are tried, warnings where some documents would find no rule, and submissions that failed because of the
rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core import registry
from guanxi.core.approval_forms import RuleForm
from guanxi.core.approvals_registry import approvable
from guanxi.core.exceptions import ConflictError
from guanxi.core.models import ApprovalProblem, ApprovalRule
from guanxi.core.selectors import approvals as sel
from guanxi.core.services import approval_rules as rule_svc
from guanxi.core.services import approvals as svc


@login_required
def rule_list(request):
    types = sel.rules_overview(actor=request.user)
    problems = sel.problems_open(actor=request.user)
    for p in problems:
        doc = registry.document_type(p.document_type)
        spec = approvable(p.document_type)
        p.type_label = str(doc.label) if doc else p.document_type  # type: ignore[attr-defined]
        p.value_rows = sel.value_rows(spec, p.values)  # type: ignore[attr-defined]
    return render(
        request,
        "core/settings/approval_rules.html",
        {"types": types, "problems": problems, "section": "approval_rules"},
    )


def _rule(request, pk) -> ApprovalRule:
    rule = sel.rules_list(actor=request.user).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


@login_required
def rule_edit(request, pk=None, document=None):
    sel.rules_list(actor=request.user)  # administrators only, before saying what exists
    rule = _rule(request, pk) if pk else None
    code = rule.document_type if rule else document
    spec = approvable(code or "")
    if spec is None:
        raise Http404
    form = RuleForm(request.POST or None, spec=spec, rule=rule)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            if rule is None:
                rule = rule_svc.approval_rule_create(
                    actor=request.user, document_type=spec.document, **values
                )
                messages.success(request, _("Rule “%(name)s” created.") % {"name": rule.name})
            else:
                rule_svc.approval_rule_update(
                    actor=request.user, rule=rule, version=form.cleaned_data.get("version"), **values
                )
                messages.success(request, _("Rule “%(name)s” saved.") % {"name": values["name"]})
            return redirect("core:approval_rules")
        except ValidationError as exc:
            form.add_service_errors(exc)
        except ConflictError as exc:
            form.add_error(None, str(exc.message))
    return render(
        request,
        "core/settings/approval_rule_form.html",
        {
            "form": form,
            "rule": rule,
            "type_label": spec.document_type.label,
            "section": "approval_rules",
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def rule_delete(request, pk):
    rule = _rule(request, pk)
    rule_svc.approval_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Rule “%(name)s” deleted.") % {"name": rule.name})
    return redirect("core:approval_rules")


@login_required
@require_POST
def rule_move(request, pk):
    rule = _rule(request, pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    order = list(
        ApprovalRule.objects.filter(document_type=rule.document_type)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    position = min(max(1, order.index(rule.pk) + 1 + step), len(order))
    try:
        rule_svc.approval_rule_move(actor=request.user, rule=rule, position=position)
    except (ValidationError, ConflictError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("core:approval_rules")


@login_required
@require_POST
def problem_dismiss(request, pk):
    sel.problems_open(actor=request.user, limit=1)  # administrators only
    problem = ApprovalProblem.objects.filter(pk=pk).first()
    if problem is None:
        raise Http404
    svc.approval_problem_dismiss(actor=request.user, problem=problem)
    return redirect("core:approval_rules")

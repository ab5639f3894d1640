"""A supplier's qualification on its page: what it supplies (categories), its reviews — start one, enter and
submit the answers, review it (someone else), withdraw it. Thin: the rules live in
guanxi.suppliers.services.categories and qualifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.catalog.selectors.catalog import category_tree
from guanxi.core.exceptions import ConflictError, GuanxiError, PermissionDeniedError
from guanxi.suppliers.models import QualificationState
from guanxi.suppliers.selectors import qualifications as sel
from guanxi.suppliers.selectors.categories import supplied_categories
from guanxi.suppliers.selectors.suppliers import supplier_in_scope
from guanxi.suppliers.services import qualifications as svc
from guanxi.suppliers.services.categories import supplier_categories_set
from guanxi.suppliers.services.documents import may_enter_documents

TAB = "?tab=supplier_qualification"


def _refused(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return (
            [m for msgs in exc.message_dict.values() for m in msgs]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
    return [str(getattr(exc, "message", exc))]


@login_required
@require_http_methods(["GET", "POST"])
def supplier_categories_edit(request, party_pk):
    party = supplier_in_scope(actor=request.user, pk=party_pk, mode="edit")
    if not may_enter_documents(request.user, party):
        raise PermissionDeniedError(
            _("Only procurement users who may change this supplier enter what it supplies.")
        )
    chosen = {c.category_id for c in supplied_categories(party)}
    errors: list[str] = []
    if request.method == "POST":
        posted = request.POST.getlist("categories")[:200]
        try:
            supplier_categories_set(actor=request.user, party=party, categories=posted)
        except (ValidationError, GuanxiError) as exc:
            errors = _refused(exc)
            chosen = {int(x) for x in posted if x.isdigit() and len(x) < 16}
        else:
            messages.success(request, _("What %(name)s supplies was saved.") % {"name": party.name})
            return redirect(party.get_absolute_url() + TAB)
    tree = category_tree(actor=request.user, active=True)
    return render(
        request,
        "suppliers/supplier_categories_form.html",
        {"party": party, "tree": tree, "chosen": chosen, "errors": errors, "nav": "parties"},
    )


@login_required
@require_POST
def qualification_start(request, party_pk):
    party = supplier_in_scope(actor=request.user, pk=party_pk, mode="edit")
    try:
        q = svc.qualification_start(
            actor=request.user, party=party, questionnaire=request.POST.get("questionnaire")
        )
    except (ValidationError, GuanxiError) as exc:
        for m in _refused(exc):
            messages.error(request, m)
        return redirect(party.get_absolute_url() + TAB)
    return redirect(q.get_absolute_url())


def _scores(post) -> dict:
    return {k[6:]: v for k, v in post.items() if k.startswith("score-")}


def _answers(post) -> dict:
    return {k[7:]: v for k, v in post.items() if k.startswith("answer-")}


@login_required
@require_http_methods(["GET", "POST"])
def qualification_detail(request, pk):
    q = sel.qualification_get(actor=request.user, pk=pk)
    errors: dict = {}
    posted: dict = {}
    if request.method == "POST":
        op, version = request.POST.get("op", ""), request.POST.get("version")
        posted = {**_answers(request.POST), **{f"s{k}": v for k, v in _scores(request.POST).items()}}
        try:
            if op in ("save", "submit"):
                q = svc.qualification_answers_save(
                    actor=request.user, qualification=q, answers=_answers(request.POST), version=version
                )
                if op == "submit":
                    q = svc.qualification_submit(actor=request.user, qualification=q, version=q.version)
            elif op in ("pass", "fail"):
                q = svc.qualification_review(
                    actor=request.user, qualification=q, decision=op, version=version,
                    scores=_scores(request.POST), note=request.POST.get("note", ""),
                )  # fmt: skip
            elif op == "withdraw":
                q = svc.qualification_withdraw(actor=request.user, qualification=q, version=version)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        except (ConflictError, GuanxiError) as exc:
            errors = {"__all__": [str(exc.message)]}
        else:
            messages.success(request, _("The review is now “%(state)s”.") % {"state": q.get_state_display()})
            return redirect(q.get_absolute_url())
    may_enter = may_enter_documents(request.user, q.party)
    rows = sel.answer_rows(q)
    for r in rows:
        r.error = (errors.get(f"answers.{r.question.pk}") or errors.get(f"scores.{r.question.pk}") or [""])[0]
        r.posted = posted.get(str(r.question.pk), r.value)
        r.posted_score = posted.get(f"s{r.question.pk}", r.score if r.score is not None else "")
    general = [m for k, msgs in errors.items() if not k.startswith(("answers.", "scores.")) for m in msgs]
    return render(
        request,
        "suppliers/qualification.html",
        {
            "q": q,
            "rows": rows,
            "general_errors": general,
            "may_answer": may_enter and q.state == QualificationState.DRAFT,
            "may_review": q.state == QualificationState.SUBMITTED and svc.may_review(request.user, q),
            "may_withdraw": may_enter and q.state in svc.OPEN,
            "score_now": svc.weighted_score(q),
            "documents_problems": svc.documents_problems(q.party),
            "note": request.POST.get("note", "") if request.method == "POST" else "",
            "nav": "parties",
        },
    )

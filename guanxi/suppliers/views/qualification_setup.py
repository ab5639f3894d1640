"""Setting up supplier qualification: questionnaires (their questions, pass mark, copies) and what each
category of the catalogue requires of its suppliers. Thin: the rules live in
guanxi.suppliers.services.questionnaires and categories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.catalog.selectors.catalog import category_get, category_tree
from guanxi.core.exceptions import ConflictError, GuanxiError, PermissionDeniedError
from guanxi.suppliers.models import Question, QuestionKind
from guanxi.suppliers.models.documents import DocumentKind
from guanxi.suppliers.selectors import qualifications as sel
from guanxi.suppliers.selectors.categories import requirement_rows
from guanxi.suppliers.services import questionnaires as svc
from guanxi.suppliers.services.categories import category_requirement_set, may_set_up

QUESTION_FIELDS = ("text", "kind", "weight", "expected", "target", "options", "required")


def _errors(exc: Exception) -> dict:
    if isinstance(exc, ValidationError):
        return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return {"__all__": [str(getattr(exc, "message", exc))]}


def _require_reader(user) -> None:
    if not sel.may_read_setup(user):
        raise PermissionDeniedError()


@login_required
@require_http_methods(["GET", "POST"])
def qualification_setup(request):
    _require_reader(request.user)
    errors: dict = {}
    data = {"name": "", "pass_score": "60"}
    if request.method == "POST":
        data = {k: request.POST.get(k, "")[:300] for k in data}
        try:
            q = svc.questionnaire_save(actor=request.user, data=data)
        except (ValidationError, GuanxiError) as exc:
            errors = _errors(exc)
        else:
            return redirect(q.get_absolute_url())
    rows = requirement_rows()
    tree = category_tree(actor=request.user, active=True)
    for c in tree:
        req = rows.get(c.pk)
        kinds = [DocumentKind(k).label for k in req.documents if k in DocumentKind.values] if req else []
        setattr(c, "requirement", req)  # for the template  # noqa: B010
        setattr(c, "required_kinds", kinds)  # noqa: B010
    return render(
        request,
        "suppliers/qualification_setup.html",
        {
            "questionnaires": sel.questionnaires(actor=request.user),
            "tree": tree,
            "may_set_up": may_set_up(request.user),
            "data": data,
            "errors": errors,
            "nav": "qualification_setup",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_detail(request, pk):
    q = sel.questionnaire_get(actor=request.user, pk=pk)
    errors: dict = {}
    new_question: dict = {"kind": QuestionKind.YES_NO, "required": True, "expected": "yes"}
    header = {"name": q.name, "pass_score": q.pass_score, "active": q.active}
    if request.method == "POST":
        op, version = request.POST.get("op", ""), request.POST.get("version")
        try:
            if op == "header":
                header = {k: request.POST.get(k, "")[:300] for k in ("name", "pass_score")}
                header["active"] = request.POST.get("active") == "on"
                svc.questionnaire_save(actor=request.user, questionnaire=q, data=header, version=version)
            elif op == "add":
                new_question = {k: request.POST.get(k, "")[:4000] for k in QUESTION_FIELDS}
                new_question["required"] = request.POST.get("required") == "on"
                svc.question_add(actor=request.user, questionnaire=q, data=new_question, version=version)
            elif op == "remove":
                question = Question.objects.filter(
                    questionnaire=q, pk=request.POST.get("question") or 0
                ).first()
                if question is not None:
                    svc.question_remove(actor=request.user, question=question, version=version)
            elif op == "copy":
                copy = svc.questionnaire_copy(actor=request.user, questionnaire=q)
                messages.success(request, _("Copied: change the copy."))
                return redirect(copy.get_absolute_url())
        except (ValidationError, ConflictError, GuanxiError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(q.get_absolute_url())
    return render(
        request,
        "suppliers/questionnaire.html",
        {
            "q": q,
            "questions": list(q.questions.all()),
            "frozen": svc.is_frozen(q),
            "may_set_up": may_set_up(request.user),
            "header": header,
            "new": new_question,
            "kinds": QuestionKind.choices,
            "errors": errors,
            "nav": "qualification_setup",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_requirement_edit(request, category_pk):
    if not may_set_up(request.user):
        raise PermissionDeniedError()
    category = category_get(actor=request.user, pk=category_pk)
    current = requirement_rows().get(category.pk)
    chosen = set(current.documents) if current else set()
    questionnaire = current.questionnaire_id if current else None
    errors: dict = {}
    if request.method == "POST":
        chosen = set(request.POST.getlist("documents")[:20])
        questionnaire = request.POST.get("questionnaire", "")
        try:
            category_requirement_set(
                actor=request.user, category=category, documents=sorted(chosen), questionnaire=questionnaire,
                version=request.POST.get("version"),
            )  # fmt: skip
        except (ValidationError, ConflictError, GuanxiError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("What %(category)s requires was saved.") % {"category": category})
            return redirect("suppliers:qualification_setup")
    return render(
        request,
        "suppliers/category_requirement_form.html",
        {
            "category": category,
            "current": current,
            "kinds": DocumentKind.choices,
            "chosen": chosen,
            "questionnaire": str(questionnaire or ""),
            "questionnaires": sel.questionnaires(actor=request.user, active=True),
            "errors": errors,
            "nav": "qualification_setup",
        },
    )

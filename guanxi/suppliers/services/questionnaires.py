"""Questionnaire templates (供应商调查表): a name, a pass mark and questions, each with a kind, a required
flag and a scoring weight. Set up by whoever may set up supplier qualification (supplier.setup). A
questionnaire that a qualification used is frozen — its reviews must stay readable against the questions
asked — and is changed by copying it. How an answer scores: `answer_score`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_number, clean_text
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.core.text import fold
from guanxi.suppliers.models import Qualification, Question, QuestionKind, Questionnaire
from guanxi.suppliers.services.categories import may_set_up

MAX_QUESTIONS = 100
MAX_OPTIONS = 20
HUNDRED = Decimal(100)


def _require(actor) -> None:
    if not may_set_up(actor):
        raise PermissionDeniedError(_("Only users who set up supplier qualification change questionnaires."))


def is_frozen(questionnaire: Questionnaire) -> bool:
    return Qualification.objects.filter(questionnaire=questionnaire).exists()


def _locked(questionnaire: Questionnaire, version: Any) -> Questionnaire:
    current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if version not in (None, "") and str(current.version) != str(version):
        raise ConflictError()
    return current


def _header(data: dict) -> dict:
    errors: dict = {}
    name = clean_text(errors, "name", data.get("name"), max_length=200, required=True)
    raw = data.get("pass_score")
    mark = clean_number(
        errors, "pass_score", "60" if raw in (None, "") else raw, places=2, low=Decimal(0), high=HUNDRED
    )
    if errors:
        raise ValidationError(errors)
    return {"name": name, "pass_score": mark, "active": bool(data.get("active", True))}


@transaction.atomic
def questionnaire_save(
    *, actor, data: dict, questionnaire: Questionnaire | None = None, version: Any = None
) -> Questionnaire:
    """Create one (questionnaire=None) or change its name, pass mark and whether it is offered."""
    _require(actor)
    values = _header(data)
    if questionnaire is None:
        q = Questionnaire.objects.create(**values, created_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, target=q, changes={"name": [None, q.name]})
        return q
    q = _locked(questionnaire, version)
    if values["pass_score"] != q.pass_score and is_frozen(q):
        raise ValidationError(
            {"pass_score": _("Reviews used this pass mark: copy the questionnaire to change it.")}
        )
    changes = {k: [str(getattr(q, k)), str(v)] for k, v in values.items() if getattr(q, k) != v}
    if changes:
        for k, v in values.items():
            setattr(q, k, v)
        q.version += 1
        q.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=q, changes=changes)
    return q


def _options(errors: dict, raw: Any) -> list[dict]:
    """Choice options: a list of {"label", "score"} or lines "label = score" (the form's textarea)."""
    if isinstance(raw, str):
        items: list = []
        for line in raw.replace("\r\n", "\n").split("\n"):
            if line.strip():
                label, _sep, score = line.rpartition("=") if "=" in line else (line, "", "0")
                items.append({"label": label, "score": score})
        raw = items
    out: list[dict] = []
    for i, item in enumerate(raw or []):
        item = item if isinstance(item, dict) else {}
        label = clean_text(errors, f"options.{i}.label", item.get("label"), max_length=200, required=True)
        points = clean_number(
            errors, f"options.{i}.score", item.get("score", 0), places=2, low=Decimal(0), high=HUNDRED
        )
        if label and any(fold(o["label"]) == fold(label) for o in out):
            errors[f"options.{i}.label"] = _("Each option once.")
        out.append({"label": label, "score": str(points) if points is not None else "0"})
    if len(out) > MAX_OPTIONS:
        errors["options"] = _("At most %(n)d options.") % {"n": MAX_OPTIONS}
    return out


def clean_question(data: dict) -> dict:
    errors: dict = {}
    text = clean_text(errors, "text", data.get("text"), max_length=500, required=True)
    kind = str(data.get("kind") or QuestionKind.YES_NO)
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose a kind of question.")
    weight = clean_number(errors, "weight", data.get("weight") or 0, places=0, low=Decimal(0), high=HUNDRED)
    values: dict[str, Any] = {"text": text, "kind": kind, "required": bool(data.get("required")), "options": [],
                    "expected": "", "target": None}  # fmt: skip
    if kind == QuestionKind.CHOICE:
        values["options"] = _options(errors, data.get("options"))
        if len(values["options"]) < 2 and "options" not in errors:
            errors["options"] = _("Give at least two options.")
    elif kind == QuestionKind.YES_NO:
        values["expected"] = str(data.get("expected") or "yes")
        if values["expected"] not in ("yes", "no"):
            errors["expected"] = _("Choose yes or no.")
    elif kind == QuestionKind.NUMBER and data.get("target") not in (None, ""):
        values["target"] = clean_number(
            errors, "target", data.get("target"), places=2, low=Decimal(-(10**12)), high=Decimal(10**12)
        )
    if kind == QuestionKind.NUMBER and values["target"] is None and weight:
        errors["target"] = _("A scored number question needs a target.")
    if errors:
        raise ValidationError(errors)
    return {**values, "weight": int(weight or 0)}


@transaction.atomic
def question_add(*, actor, questionnaire: Questionnaire, data: dict, version: Any = None) -> Question:
    _require(actor)
    q = _locked(questionnaire, version)
    if is_frozen(q):
        raise ValidationError({"questionnaire": _("Reviews used this questionnaire: copy it to change it.")})
    if q.questions.count() >= MAX_QUESTIONS:
        raise ValidationError({"questionnaire": _("At most %(n)d questions.") % {"n": MAX_QUESTIONS}})
    values = clean_question(data)
    position = (q.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question.objects.create(questionnaire=q, position=position, **values)
    q.version += 1
    q.save(update_fields=["version"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=q, changes={"question": [None, question.text]}
    )
    return question


@transaction.atomic
def question_remove(*, actor, question: Question, version: Any = None) -> None:
    _require(actor)
    q = _locked(question.questionnaire, version)
    if is_frozen(q):
        raise ValidationError({"questionnaire": _("Reviews used this questionnaire: copy it to change it.")})
    text = question.text
    question.delete()
    q.version += 1
    q.save(update_fields=["version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=q, changes={"question": [text, None]})


@transaction.atomic
def questionnaire_copy(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    """A new, changeable questionnaire with the same questions (the original stays as the reviews knew it)."""
    _require(actor)
    name = (_("%(name)s (copy)") % {"name": questionnaire.name})[:200]
    copy = Questionnaire.objects.create(name=name, pass_score=questionnaire.pass_score, created_by=actor)
    Question.objects.bulk_create(
        [
            Question(
                questionnaire=copy,
                position=x.position,
                text=x.text,
                kind=x.kind,
                required=x.required,
                weight=x.weight,
                options=x.options,
                expected=x.expected,
                target=x.target,
            )  # fmt: skip
            for x in questionnaire.questions.all()
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=copy,
        changes={"copied_from": [None, questionnaire.name]},
    )
    return copy


def answer_score(question: Question, value: str) -> Decimal | None:
    """0–100 for an answer, or None when the reviewer scores it (text) or it is not answered."""
    if value == "":
        return None
    if question.kind == QuestionKind.YES_NO:
        return HUNDRED if value == question.expected else Decimal(0)
    if question.kind == QuestionKind.CHOICE:
        for option in question.options:
            if option.get("label") == value:
                return Decimal(str(option.get("score", "0")))
        return Decimal(0)
    if question.kind == QuestionKind.NUMBER and question.target is not None:
        return HUNDRED if Decimal(value) >= question.target else Decimal(0)
    return None

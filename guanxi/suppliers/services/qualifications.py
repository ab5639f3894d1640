"""Qualification reviews (资格审查): a supplier answers a questionnaire (a buyer enters the answers until the
supplier portal exists), the answers are submitted, and someone else — with supplier.qualification_review,
who neither entered the answers nor any of the supplier's qualification or bank data — reviews them: the
weighted score of the answers (scored automatically, text answers by the reviewer) against the pass mark, and
the documents the supplier's categories require, present and not expired. Passing makes a candidate
qualified (a lifecycle step by the reviewer). Approving a supplier needs what `approval_blockers` checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_number, clean_text, small_int
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record
from guanxi.core.text import fold
from guanxi.parties.choices import SupplierStatus as S
from guanxi.parties.models import Party
from guanxi.suppliers.models import (
    Qualification,
    QualificationAnswer,
    QualificationState,
    QuestionKind,
    Questionnaire,
)
from guanxi.suppliers.permissions import Action
from guanxi.suppliers.selectors.categories import requirements_for
from guanxi.suppliers.selectors.documents import documents_of
from guanxi.suppliers.services.documents import entered_by, may_enter_documents
from guanxi.suppliers.services.questionnaires import HUNDRED, answer_score

OPEN = (QualificationState.DRAFT, QualificationState.SUBMITTED)


def _lock(qualification: Qualification, version: Any, *states: str) -> Qualification:
    current = (
        Qualification.objects.select_for_update()
        .select_related("party", "questionnaire")
        .get(pk=qualification.pk)
    )
    if version not in (None, "") and str(current.version) != str(version):
        raise ConflictError()
    if states and current.state not in states:
        raise ValidationError(
            {
                "state": _("Not possible while the review is “%(state)s”.")
                % {"state": current.get_state_display()}
            }
        )
    return current


def _bump(q: Qualification, **fields) -> None:
    for k, v in fields.items():
        setattr(q, k, v)
    q.version += 1
    q.save(update_fields=[*fields, "version"])


def _require_entry(actor, party: Party) -> None:
    if not may_enter_documents(actor, party):
        raise PermissionDeniedError(
            _("Only procurement users who may change this supplier enter its qualification.")
        )


@transaction.atomic
def qualification_start(*, actor, party: Party, questionnaire: Any) -> Qualification:
    _require_entry(actor, party)
    pk = questionnaire.pk if isinstance(questionnaire, Questionnaire) else small_int(questionnaire)
    chosen = Questionnaire.objects.filter(pk=pk, active=True).first() if pk is not None else None
    if chosen is None:
        raise ValidationError({"questionnaire": _("Choose an active questionnaire.")})
    if party.supplier_status in (S.BLOCKED, S.PHASED_OUT):
        raise ValidationError({"questionnaire": _("A blocked or phased-out supplier is not reviewed.")})
    try:
        with transaction.atomic():
            q = Qualification.objects.create(party=party, questionnaire=chosen, created_by=actor)
    except IntegrityError as exc:
        raise ValidationError(
            {"questionnaire": _("A review of this questionnaire is open for this supplier: finish it first.")}
        ) from exc
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=q,
        changes={"questionnaire": [None, chosen.name]},
        also=[party],
    )
    return q


def _clean_value(errors: dict, key: str, question, raw: Any) -> str:
    value = clean_text(errors, key, raw, max_length=2000, multiline=question.kind == QuestionKind.TEXT)
    if value == "" or key in errors:
        return value
    if question.kind == QuestionKind.YES_NO and value not in ("yes", "no"):
        errors[key] = _("Answer yes or no.")
    elif question.kind == QuestionKind.CHOICE:
        # The option as written in the questionnaire: "ＩＳＯ　９００１" typed full-width is "ISO 9001".
        option = next((o["label"] for o in question.options if fold(o.get("label", "")) == fold(value)), None)
        if option is None:
            errors[key] = _("Choose one of the options.")
        return option or value
    elif question.kind == QuestionKind.NUMBER:
        number = clean_number(errors, key, value, places=4, low=Decimal(-(10**12)), high=Decimal(10**12))
        return "" if number is None else str(number)
    return value


@transaction.atomic
def qualification_answers_save(
    *, actor, qualification: Qualification, answers: dict, version: Any
) -> Qualification:
    """answers: {question id: value}; questions not named keep their answer. Only while being answered."""
    q = _lock(qualification, version, QualificationState.DRAFT)
    _require_entry(actor, q.party)
    questions = {x.pk: x for x in q.questionnaire.questions.all()}
    errors: dict = {}
    cleaned: dict[int, str] = {}
    for raw_key, raw in (answers or {}).items():
        pk = small_int(raw_key)
        if pk not in questions:
            errors[f"answers.{raw_key}"] = _("Not a question of this questionnaire.")
            continue
        cleaned[pk] = _clean_value(errors, f"answers.{pk}", questions[pk], raw)
    if errors:
        raise ValidationError(errors)
    existing = {a.question_id: a for a in q.answers.all()}
    changes: dict = {}
    for pk, value in cleaned.items():
        answer = existing.get(pk) or QualificationAnswer(qualification=q, question=questions[pk])
        if answer.pk and answer.value == value:
            continue
        changes[f"answer {questions[pk].position}"] = [answer.value if answer.pk else None, value]
        answer.value, answer.auto_score = value, answer_score(questions[pk], value)
        answer.score, answer.answered_by = answer.auto_score, actor
        answer.save()
    if changes:
        _bump(q)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=q, changes=changes)
    return q


@transaction.atomic
def qualification_submit(*, actor, qualification: Qualification, version: Any) -> Qualification:
    q = _lock(qualification, version, QualificationState.DRAFT)
    _require_entry(actor, q.party)
    answered = {a.question_id for a in q.answers.all() if a.value != ""}
    missing = [x for x in q.questionnaire.questions.all() if x.required and x.pk not in answered]
    if missing:
        raise ValidationError(
            {f"answers.{x.pk}": _("This question needs an answer.") for x in missing}
            | {"state": _("Answer every required question before submitting.")}
        )
    _bump(q, state=QualificationState.SUBMITTED, submitted_at=timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=q,
        changes={"state": [QualificationState.DRAFT, q.state]},
    )
    return q


def weighted_score(q: Qualification, manual: dict[int, Decimal] | None = None) -> Decimal | None:
    """Σ score × weight / Σ weight over the weighted questions (unanswered ones score 0); None when no question
    is weighted or a weighted text answer has no score yet."""
    manual = manual or {}
    answers = {a.question_id: a for a in q.answers.all()}
    total = weights = Decimal(0)
    for x in q.questionnaire.questions.all():
        if not x.weight:
            continue
        a = answers.get(x.pk)
        score = manual.get(x.pk, a.score if a else None)
        if score is None and x.kind == QuestionKind.TEXT and a is not None and a.value:
            return None
        total += (score or Decimal(0)) * x.weight
        weights += x.weight
    return (total / weights).quantize(Decimal("0.01")) if weights else None


def documents_problems(party: Party) -> list[str]:
    """The required documents the supplier lacks or has let expire, as sentences."""
    required = requirements_for(party).documents
    docs = documents_of(party)
    current = {r.doc.kind: r for r in docs["documents"]}
    out = []
    for kind in required:
        row = current.get(kind)
        if row is None:
            out.append(_("%(doc)s is missing.") % {"doc": kind.label})
        elif row.state == "expired":
            out.append(_("%(doc)s has expired.") % {"doc": kind.label})
    return out


def may_review(actor, q: Qualification) -> bool:
    return grants_for(actor).can(Action.REVIEW)


def _reviewer_entered(actor, q: Qualification) -> bool:
    uid = getattr(actor, "pk", None)
    return (
        q.created_by_id == uid or q.answers.filter(answered_by_id=uid).exists() or entered_by(q.party, actor)
    )


@transaction.atomic
def qualification_review(
    *,
    actor,
    qualification: Qualification,
    decision: str,
    version: Any,
    scores: dict | None = None,
    note: Any = "",
) -> Qualification:
    """decision "pass" or "fail"; scores: {question id: 0–100} for text answers (or to correct one)."""
    q = _lock(qualification, version, QualificationState.SUBMITTED)
    if not may_review(actor, q):
        raise PermissionDeniedError(_("Only qualification reviewers decide reviews."))
    if _reviewer_entered(actor, q):
        raise PermissionDeniedError(
            _("You entered qualification or bank data of %(name)s: someone else reviews it.")
            % {"name": q.party.name}
        )
    errors: dict = {}
    if decision not in ("pass", "fail"):
        errors["decision"] = _("Pass or fail the review.")
    why = clean_text(errors, "note", note, max_length=1000, required=decision == "fail")
    questions = {x.pk: x for x in q.questionnaire.questions.all()}
    manual: dict[int, Decimal] = {}
    for raw_key, raw in (scores or {}).items():
        pk = small_int(raw_key)
        if pk not in questions:
            errors[f"scores.{raw_key}"] = _("Not a question of this questionnaire.")
        elif raw not in (None, ""):
            value = clean_number(errors, f"scores.{pk}", raw, places=2, low=Decimal(0), high=HUNDRED)
            if value is not None:
                manual[pk] = value
    if errors:
        raise ValidationError(errors)
    score = weighted_score(q, manual)
    problems = documents_problems(q.party)
    if decision == "pass":
        if score is None and any(x.weight for x in questions.values()):
            errors["scores"] = _("Score every weighted text answer first.")
        elif score is not None and score < q.questionnaire.pass_score:
            errors["decision"] = _("The score %(score)s is below the pass mark %(mark)s.") % {
                "score": score,
                "mark": q.questionnaire.pass_score,
            }
        elif problems:
            errors["decision"] = " ".join(problems)
        if errors:
            raise ValidationError(errors)
    for answer in q.answers.filter(question_id__in=list(manual)):
        answer.score = manual[answer.question_id]
        answer.save(update_fields=["score"])
    state = QualificationState.PASSED if decision == "pass" else QualificationState.FAILED
    _bump(q, state=state, score=score, documents_ok=not problems, review_note=why, reviewed_by=actor,
          reviewed_at=timezone.now())  # fmt: skip
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=q,
        changes={
            "state": [QualificationState.SUBMITTED, state],
            "score": [None, str(score)],
            "note": [None, why],
        },
        also=[q.party],
    )
    from guanxi.suppliers.services.lifecycle import may_change_lifecycle, supplier_status_change

    if (
        state == QualificationState.PASSED
        and q.party.supplier_status == S.CANDIDATE
        and may_change_lifecycle(actor, q.party)
    ):
        reason = _("Qualification review passed (%(name)s, score %(score)s)") % {
            "name": q.questionnaire.name,
            "score": score if score is not None else "–",
        }
        supplier_status_change(actor=actor, party=q.party, action="qualify", reason=reason[:500])
    return q


@transaction.atomic
def qualification_withdraw(*, actor, qualification: Qualification, version: Any) -> Qualification:
    q = _lock(qualification, version, *OPEN)
    _require_entry(actor, q.party)
    old = q.state
    _bump(q, state=QualificationState.WITHDRAWN)
    audit_record(actor=actor, action=AuditAction.UPDATE, target=q, changes={"state": [old, q.state]})
    return q


def approval_blockers(party: Party) -> list[str]:
    """Why the supplier may not be approved yet: required documents missing or expired, required questionnaires
    without a passed review. Empty: it may."""
    problems = documents_problems(party)
    required = requirements_for(party).questionnaires
    if required:
        passed = set(
            Qualification.objects.filter(
                party=party, state=QualificationState.PASSED, questionnaire__in=required
            ).values_list("questionnaire_id", flat=True)
        )
        problems += [
            _("The review “%(name)s” has not been passed.") % {"name": x.name}
            for x in required
            if x.pk not in passed
        ]
    return problems

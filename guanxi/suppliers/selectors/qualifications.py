"""Qualification reviews and questionnaires as the pages and the API read them: a review is seen by whoever
reaches its supplier; questionnaires and category requirements by whoever may set them up or enter reviews."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from guanxi.core.exceptions import NotFoundError
from guanxi.core.roles import grants_for
from guanxi.parties.models import Party
from guanxi.suppliers.models import Qualification, QualificationAnswer, Question, Questionnaire
from guanxi.suppliers.permissions import Action
from guanxi.suppliers.selectors.suppliers import supplier_scope


def qualifications_visible(*, actor) -> QuerySet[Qualification]:
    return Qualification.objects.filter(party__in=supplier_scope(actor=actor).values("pk"))


def qualification_get(*, actor, pk) -> Qualification:
    try:
        q = (
            qualifications_visible(actor=actor)
            .select_related("party", "questionnaire", "created_by", "reviewed_by")
            .filter(pk=int(pk))
            .first()
        )
    except (TypeError, ValueError):
        q = None
    if q is None:
        raise NotFoundError()
    return q


def qualifications_of(party: Party) -> list[Qualification]:
    return list(
        Qualification.objects.filter(party=party)
        .select_related("questionnaire", "created_by", "reviewed_by")
        .order_by("-created_at", "-id")[:50]
    )


@dataclass
class AnswerRow:
    question: Question
    answer: QualificationAnswer | None
    error: str = ""  # what the page shows: the refusal of this answer, the value and score posted
    posted: object = ""
    posted_score: object = ""

    @property
    def value(self) -> str:
        return self.answer.value if self.answer else ""

    @property
    def score(self):
        return self.answer.score if self.answer else None


def answer_rows(q: Qualification) -> list[AnswerRow]:
    """Every question of the questionnaire in order, with its answer (or none yet): two queries."""
    answers = {a.question_id: a for a in q.answers.select_related("answered_by")}
    return [AnswerRow(x, answers.get(x.pk)) for x in q.questionnaire.questions.all()]


def may_read_setup(actor) -> bool:
    grants = grants_for(actor)
    return grants.can(Action.SETUP) or grants.can(Action.DOCUMENTS) or grants.can(Action.REVIEW)


def questionnaires(*, actor, active: bool | None = None) -> QuerySet[Questionnaire]:
    if not may_read_setup(actor):
        return Questionnaire.objects.none()
    qs = Questionnaire.objects.annotate(
        used=Exists(Qualification.objects.filter(questionnaire=OuterRef("pk")))
    )
    return qs if active is None else qs.filter(active=active)


def questionnaire_get(*, actor, pk) -> Questionnaire:
    try:
        q = questionnaires(actor=actor).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        q = None
    if q is None:
        raise NotFoundError()
    return q

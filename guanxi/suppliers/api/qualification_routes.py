"""/api/v1/suppliers/{id}/qualification and /api/v1/qualifications: what a supplier supplies, what that
requires, and its qualification reviews — started, answered and submitted by procurement users who may change
the supplier, decided by a reviewer who entered none of its data — with the services of the supplier page's
Qualification tab (guanxi.suppliers.services.categories, qualifications)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.suppliers.models import Qualification
from guanxi.suppliers.selectors import qualifications as sel
from guanxi.suppliers.selectors.categories import requirements_for, supplied_categories
from guanxi.suppliers.selectors.suppliers import supplier_in_scope
from guanxi.suppliers.services import qualifications as svc
from guanxi.suppliers.services.categories import supplier_categories_set

router = Router(tags=["supplier qualification"])
Id = Annotated[int, Field(ge=1, le=2**53)]
Answers = Annotated[dict[str, Annotated[str, Field(max_length=2000)]], Field(max_length=200)]


class SuppliedOut(Schema):
    category: int
    name: str
    preferred: bool


class ReviewSummary(Schema):
    id: int
    questionnaire: int = Field(alias="questionnaire_id")
    questionnaire_name: str
    state: str
    score: Decimal | None
    created_at: datetime
    reviewed_at: datetime | None

    @staticmethod
    def resolve_questionnaire_name(obj: Qualification) -> str:
        return obj.questionnaire.name


class QualificationOverview(Schema):
    supplier: int
    status: str
    supplies: list[SuppliedOut]
    required_documents: list[str]
    required_questionnaires: list[int]
    approval_blockers: list[str] = Field(description="Why it may not be approved yet (empty: it may)")
    reviews: list[ReviewSummary]


class CategoriesIn(InputSchema):
    categories: Annotated[list[Id], Field(max_length=50)]


class AnswerOut(Schema):
    question: int
    text: str
    kind: str
    required: bool
    weight: int
    value: str
    score: Decimal | None


class QualificationOut(ReviewSummary):
    supplier: int = Field(alias="party_id")
    version: int
    pass_score: Decimal
    documents_ok: bool | None
    review_note: str
    created_by: str | None
    reviewed_by: str | None
    answers: list[AnswerOut]

    @staticmethod
    def resolve_pass_score(obj: Qualification) -> Decimal:
        return obj.questionnaire.pass_score

    @staticmethod
    def resolve_created_by(obj: Qualification) -> str | None:
        return obj.created_by.username if obj.created_by else None

    @staticmethod
    def resolve_reviewed_by(obj: Qualification) -> str | None:
        return obj.reviewed_by.username if obj.reviewed_by else None

    @staticmethod
    def resolve_answers(obj: Qualification) -> list[dict]:
        return [
            {
                "question": r.question.pk,
                "text": r.question.text,
                "kind": r.question.kind,
                "required": r.question.required,
                "weight": r.question.weight,
                "value": r.value,
                "score": r.score,
            }  # fmt: skip
            for r in sel.answer_rows(obj)
        ]


class StartIn(InputSchema):
    questionnaire: Id


class VersionIn(InputSchema):
    version: int


class AnswersIn(VersionIn):
    answers: Answers = Field(description="{question id: answer}; yes/no as yes or no, a choice by its label")


class ReviewIn(VersionIn):
    decision: Literal["pass", "fail"]
    scores: Annotated[dict[str, Annotated[Decimal, Field(ge=0, le=100)]], Field(max_length=200)] = {}
    note: Annotated[str, Field(max_length=1000)] = ""


def _overview(party) -> dict:
    supplied = supplied_categories(party)
    reqs = requirements_for(party, supplied)
    return {
        "supplier": party.pk,
        "status": party.supplier_status,
        "supplies": [
            {"category": s.category_id, "name": str(s.category), "preferred": s.preferred} for s in supplied
        ],
        "required_documents": [k.value for k in reqs.documents],
        "required_questionnaires": [q.pk for q in reqs.questionnaires],
        "approval_blockers": svc.approval_blockers(party),
        "reviews": sel.qualifications_of(party),
    }


@router.get("/suppliers/{id}/qualification", response={200: QualificationOverview, **responses(*STD)})
def supplier_qualification(request, id: Id):
    return _overview(supplier_in_scope(actor=request.user, pk=id))


@router.put("/suppliers/{id}/categories", response={200: QualificationOverview, **responses(*STD)})
def supplier_categories(request, id: Id, payload: CategoriesIn):
    """What the supplier supplies, as a whole list (a category it is preferred in stays until "unprefer")."""
    party = supplier_in_scope(actor=request.user, pk=id)
    supplier_categories_set(actor=request.user, party=party, categories=payload.categories)
    return _overview(party)


@router.post("/suppliers/{id}/qualifications", response={201: QualificationOut, **responses(*STD)})
def qualifications_start(request, id: Id, payload: StartIn):
    party = supplier_in_scope(actor=request.user, pk=id)
    q = svc.qualification_start(actor=request.user, party=party, questionnaire=payload.questionnaire)
    return Status(201, sel.qualification_get(actor=request.user, pk=q.pk))


@router.get("/qualifications/{id}", response={200: QualificationOut, **responses(*STD)})
def qualifications_get(request, id: Id):
    return sel.qualification_get(actor=request.user, pk=id)


@router.post("/qualifications/{id}/answers", response={200: QualificationOut, **responses(*STD, 409)})
def qualifications_answer(request, id: Id, payload: AnswersIn):
    q = sel.qualification_get(actor=request.user, pk=id)
    svc.qualification_answers_save(
        actor=request.user, qualification=q, answers=payload.answers, version=payload.version
    )
    return sel.qualification_get(actor=request.user, pk=id)


@router.post("/qualifications/{id}/submit", response={200: QualificationOut, **responses(*STD, 409)})
def qualifications_submit(request, id: Id, payload: VersionIn):
    q = sel.qualification_get(actor=request.user, pk=id)
    svc.qualification_submit(actor=request.user, qualification=q, version=payload.version)
    return sel.qualification_get(actor=request.user, pk=id)


@router.post("/qualifications/{id}/review", response={200: QualificationOut, **responses(*STD, 409)})
def qualifications_review(request, id: Id, payload: ReviewIn):
    """Pass or fail (a note is required to fail); scores for text answers, 0–100."""
    q = sel.qualification_get(actor=request.user, pk=id)
    svc.qualification_review(
        actor=request.user, qualification=q, decision=payload.decision, version=payload.version,
        scores=payload.scores, note=payload.note,
    )  # fmt: skip
    return sel.qualification_get(actor=request.user, pk=id)


@router.post("/qualifications/{id}/withdraw", response={200: QualificationOut, **responses(*STD, 409)})
def qualifications_withdraw(request, id: Id, payload: VersionIn):
    q = sel.qualification_get(actor=request.user, pk=id)
    svc.qualification_withdraw(actor=request.user, qualification=q, version=payload.version)
    return sel.qualification_get(actor=request.user, pk=id)

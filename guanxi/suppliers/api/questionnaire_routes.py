"""/api/v1/questionnaires and /api/v1/category-requirements: setting up supplier qualification over the API,
with the services of the setup pages (guanxi.suppliers.services.questionnaires, categories). Read by whoever
sets up, enters or reviews qualifications; changed by supplier.setup. A questionnaire a review used is
frozen (409-free: a 422 saying so); copy it to change it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status

from guanxi.catalog.selectors.catalog import category_get
from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.exceptions import NotFoundError
from guanxi.suppliers.models import CategoryRequirement, Question, Questionnaire
from guanxi.suppliers.selectors import qualifications as sel
from guanxi.suppliers.services import questionnaires as svc
from guanxi.suppliers.services.categories import category_requirement_set

router = Router(tags=["supplier qualification"])
Id = Annotated[int, Field(ge=1, le=2**53)]
Score = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class OptionIO(InputSchema):
    label: Annotated[str, Field(max_length=200)]
    score: Score


class QuestionOut(Schema):
    id: int
    position: int
    text: str
    kind: str
    required: bool
    weight: int
    options: list[dict]
    expected: str
    target: Decimal | None


class QuestionnaireOut(Schema):
    id: int
    name: str
    pass_score: Decimal
    active: bool
    version: int
    frozen: bool
    created_at: datetime
    questions: list[QuestionOut]

    @staticmethod
    def resolve_frozen(obj: Questionnaire) -> bool:
        used = getattr(obj, "used", None)  # annotated by the selector's lists
        return svc.is_frozen(obj) if used is None else bool(used)

    @staticmethod
    def resolve_questions(obj: Questionnaire) -> list[Question]:
        return list(obj.questions.all())


class QuestionnaireIn(InputSchema):
    name: Annotated[str, Field(max_length=200)]
    pass_score: Score = Decimal(60)
    active: bool = True


class QuestionnairePatch(QuestionnaireIn):
    version: int


class QuestionIn(InputSchema):
    version: int | None = Field(None, description="The questionnaire's version you saw")
    text: Annotated[str, Field(max_length=500)]
    kind: Literal["yes_no", "number", "choice", "text"] = "yes_no"
    required: bool = True
    weight: Annotated[int, Field(ge=0, le=100)] = 0
    options: Annotated[list[OptionIO], Field(max_length=20)] = []
    expected: Literal["yes", "no"] = "yes"
    target: Annotated[Decimal, Field(ge=-(10**12), le=10**12, decimal_places=2)] | None = None


class RequirementIn(InputSchema):
    documents: Annotated[list[str], Field(max_length=20)] = []
    questionnaire: Id | None = None
    version: int | None = None


class RequirementOut(Schema):
    category: int = Field(alias="category_id")
    documents: list[str]
    questionnaire: int | None = Field(None, alias="questionnaire_id")
    version: int


@router.get("/questionnaires", response={200: list[QuestionnaireOut], **responses(*STD)})
def questionnaires_list(request, active: bool | None = None):
    return list(sel.questionnaires(actor=request.user, active=active).prefetch_related("questions")[:200])


@router.post("/questionnaires", response={201: QuestionnaireOut, **responses(*STD)})
def questionnaires_create(request, payload: QuestionnaireIn):
    return Status(201, svc.questionnaire_save(actor=request.user, data=payload.dict()))


@router.get("/questionnaires/{id}", response={200: QuestionnaireOut, **responses(*STD)})
def questionnaires_get(request, id: Id):
    return sel.questionnaire_get(actor=request.user, pk=id)


@router.patch("/questionnaires/{id}", response={200: QuestionnaireOut, **responses(*STD, 409)})
def questionnaires_update(request, id: Id, payload: QuestionnairePatch):
    q = sel.questionnaire_get(actor=request.user, pk=id)
    data = payload.dict()
    return svc.questionnaire_save(actor=request.user, questionnaire=q, data=data, version=data.pop("version"))


@router.post("/questionnaires/{id}/questions", response={201: QuestionnaireOut, **responses(*STD, 409)})
def questionnaires_add_question(request, id: Id, payload: QuestionIn):
    q = sel.questionnaire_get(actor=request.user, pk=id)
    data = payload.dict()
    svc.question_add(actor=request.user, questionnaire=q, data=data, version=data.pop("version"))
    return Status(201, Questionnaire.objects.get(pk=q.pk))


@router.delete(
    "/questionnaires/{id}/questions/{question_id}", response={200: QuestionnaireOut, **responses(*STD, 409)}
)
def questionnaires_remove_question(request, id: Id, question_id: Id, version: int | None = None):
    q = sel.questionnaire_get(actor=request.user, pk=id)
    question = Question.objects.filter(questionnaire=q, pk=question_id).first()
    if question is None:
        raise NotFoundError()
    svc.question_remove(actor=request.user, question=question, version=version)
    return Questionnaire.objects.get(pk=q.pk)


@router.post("/questionnaires/{id}/copy", response={201: QuestionnaireOut, **responses(*STD)})
def questionnaires_copy(request, id: Id):
    q = sel.questionnaire_get(actor=request.user, pk=id)
    return Status(201, svc.questionnaire_copy(actor=request.user, questionnaire=q))


@router.put("/category-requirements/{category_id}", response={200: RequirementOut, **responses(*STD, 409)})
def category_requirements_set(request, category_id: Id, payload: RequirementIn) -> CategoryRequirement:
    """What the suppliers of a category (and of its subcategories) must give: document kinds, a questionnaire."""
    category = category_get(actor=request.user, pk=category_id)
    return category_requirement_set(
        actor=request.user, category=category, documents=payload.documents,
        questionnaire=payload.questionnaire, version=payload.version,
    )  # fmt: skip

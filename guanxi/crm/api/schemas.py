"""API shapes of the sales app. Input schemas bound every field and refuse unknown ones. Every name starts
with "Opportunity" or "Pipeline": the OpenAPI document has one namespace for the shapes of all apps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.crm.choices import ContactRole, ForecastCategory, OpportunityState, StageKind

Id = Annotated[int, Field(ge=1, le=2**53)]
Amount = Annotated[Decimal, Field(ge=0, lt=10**13, max_digits=17, decimal_places=4)]
CloseDate = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]
Version = Annotated[int, Field(ge=1, le=2**31, description="The version you read; a stale one is a 409")]


class OpportunityContactIn(InputSchema):
    contact: Id
    role: ContactRole = ContactRole.OTHER


class _OpportunityFields(InputSchema):
    amount: Amount | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3, examples=["CNY"])] | None = None
    probability: Annotated[int, Field(ge=0, le=100)] | None = Field(
        None, description="Percent; null: the stage's probability"
    )
    forecast_category: ForecastCategory = ForecastCategory.PIPELINE
    next_step: Annotated[str, Field(max_length=200)] = ""
    competitors: Annotated[str, Field(max_length=200)] = ""
    description: Annotated[str, Field(max_length=10000)] = ""
    owner_id: Id | None = Field(None, description="Default: the caller")
    member_ids: Annotated[list[Id], Field(max_length=50)] = []
    contacts: Annotated[list[OpportunityContactIn], Field(max_length=50)] = []


class OpportunityIn(_OpportunityFields):
    """A new opportunity. Without `stage`, it starts in the first open stage of `pipeline_id` (default: the
    first pipeline in use)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    customer_id: Id
    expected_close: CloseDate
    pipeline_id: Id | None = None
    stage_id: Id | None = None
    lost_reason_id: Id | None = Field(None, description="Required when `stage_id` is a lost stage")
    lost_note: Annotated[str, Field(max_length=500)] = ""


class OpportunityPatch(InputSchema):
    """Change an opportunity; send the `version` you read. Stages change by /move, /win, /lose, /reopen."""

    version: Version
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    customer_id: Id | None = None
    expected_close: CloseDate | None = None
    amount: Amount | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    probability: Annotated[int, Field(ge=0, le=100)] | None = None
    forecast_category: ForecastCategory | None = None
    next_step: Annotated[str, Field(max_length=200)] | None = None
    competitors: Annotated[str, Field(max_length=200)] | None = None
    description: Annotated[str, Field(max_length=10000)] | None = None
    owner_id: Id | None = None
    member_ids: Annotated[list[Id], Field(max_length=50)] | None = None
    contacts: Annotated[list[OpportunityContactIn], Field(max_length=50)] | None = None


class OpportunityMoveIn(InputSchema):
    stage_id: Id
    version: Version
    lost_reason_id: Id | None = Field(None, description="Required when the stage is a lost stage")
    lost_note: Annotated[str, Field(max_length=500)] = ""


class OpportunityLoseIn(InputSchema):
    version: Version
    lost_reason_id: Id
    lost_note: Annotated[str, Field(max_length=500)] = ""


class OpportunityVersionIn(InputSchema):
    version: Version


class OpportunityReopenIn(InputSchema):
    version: Version
    stage_id: Id | None = Field(None, description="An open stage; default: the last open stage")


class OpportunityUser(Schema):
    id: int
    username: str
    name: str


class OpportunityRef(Schema):
    id: int
    name: str


class OpportunityContactOut(Schema):
    contact: OpportunityRef
    role: ContactRole


class OpportunityStageRef(Schema):
    id: int
    name: str
    kind: StageKind


class OpportunityOut(Schema):
    id: int
    name: str
    customer: OpportunityRef
    pipeline: OpportunityRef
    stage: OpportunityStageRef
    state: OpportunityState
    amount: Decimal | None
    currency: str
    weighted_amount: Decimal | None
    expected_close: dt.date
    probability: int
    probability_set: bool
    forecast_category: ForecastCategory
    next_step: str
    competitors: str
    description: str
    owner: OpportunityUser | None
    team: OpportunityRef | None
    members: list[OpportunityUser]
    contacts: list[OpportunityContactOut]
    lost_reason: OpportunityRef | None
    lost_note: str
    closed_on: dt.date | None
    stage_changed_at: dt.datetime
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class OpportunityPage(Schema):
    items: list[OpportunityOut]
    next_cursor: str | None
    prev_cursor: str | None


class OpportunityQuery(Schema):
    pipeline: Id | None = None
    stage: Id | None = None
    state: Literal["", "open", "won", "lost", "closed", "all"] = Field("open", description="Default: open")
    owner: Annotated[str, Field(max_length=20, description='"me" or a user id')] | None = None
    team: Id | None = None
    customer: Id | None = None
    close_month: (
        Annotated[str, Field(pattern=r"^\d{4}-(\d{2}|Q[1-4])$", examples=["2026-12", "2026-Q4"])] | None
    ) = None
    closed_in: Annotated[str, Field(pattern=r"^\d{4}-(\d{2}|Q[1-4])$", examples=["2026-Q4"])] | None = Field(
        None, description="Closed (won or lost) in this month or quarter"
    )
    category: ForecastCategory | None = Field(
        None, description="Forecast category; best_case includes commit"
    )
    amount_min: Amount | None = None
    amount_max: Amount | None = None
    q: Annotated[str, Field(max_length=100)] | None = None
    sort: Literal["close", "-close", "-updated", "name"] = "close"
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class PipelineStageOut(Schema):
    id: int
    name: str
    name_en: str
    name_zh: str
    kind: StageKind
    probability: int
    position: int


class PipelineOut(Schema):
    id: int
    name: str
    name_en: str
    name_zh: str
    stale_after_days: int
    stages: list[PipelineStageOut]


class PipelineLostReasonOut(Schema):
    id: int
    name: str
    name_en: str
    name_zh: str


class PipelineTotal(Schema):
    currency: str
    count: int
    amount: Decimal
    weighted: Decimal
    missing_rates: list[str]


class PipelineColumnOut(Schema):
    stage: PipelineStageOut
    total: PipelineTotal
    cards: list[OpportunityOut]


class PipelineBoardOut(Schema):
    pipeline: OpportunityRef
    total: PipelineTotal
    columns: list[PipelineColumnOut]


class ForecastCellOut(Schema):
    period: str
    won: Decimal
    commit: Decimal
    best_case: Decimal
    pipeline: Decimal
    weighted: Decimal
    target: Decimal
    count: int


class ForecastRowOut(Schema):
    owner: OpportunityUser | None
    cells: list[ForecastCellOut]
    total: ForecastCellOut


class ForecastOut(Schema):
    year: int
    by: Literal["month", "quarter"]
    currency: str
    missing_rates: list[str]
    rows: list[ForecastRowOut]
    total: ForecastRowOut


class ForecastTargetIn(InputSchema):
    owner_id: Id
    month: Annotated[int, Field(ge=1, le=12)]
    amount: Annotated[Decimal, Field(ge=0, lt=10**13, max_digits=17, decimal_places=4)] | None = Field(
        None, description="null removes the target"
    )
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None


class ForecastTargetsIn(InputSchema):
    year: Annotated[int, Field(ge=1900, le=2200)]
    targets: Annotated[list[ForecastTargetIn], Field(max_length=1200)]


class ForecastTargetOut(Schema):
    owner_id: int
    month: dt.date
    amount: Decimal
    currency: str

"""Shapes of the approvals API (/api/v1/approvals, /approval-rules, /approval-types, /delegations)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**53)]
Cursor = Annotated[str, Field(max_length=500)]
ConditionValue = (
    Annotated[str, Field(max_length=40)] | bool | int | float | Annotated[list[str], Field(max_length=50)]
)


class ApproverRef(Schema):
    id: int
    username: str
    name: str


class Page(Schema):
    next_cursor: str | None
    prev_cursor: str | None


class ListQuery(InputSchema):
    cursor: Cursor | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 25


# --- Requests ---------------------------------------------------------------------------------------------


class ValueOut(Schema):
    field: str
    label: str
    value: Any = Field(description='As submitted: numbers as text ("12000.00"), choices as their code')
    shown: str = Field(description="As a person reads it (a choice's label, a number with its unit)")


class InboxItem(Schema):
    id: int = Field(description="The approval request")
    document_type: str
    document_id: str
    title: str
    url: str | None
    type_label: str
    values: list[ValueOut]
    requester: ApproverRef | None
    submitted_at: dt.datetime
    level: int
    level_count: int
    waiting_since: dt.datetime | None
    on_behalf_of: ApproverRef | None = Field(
        description="Set when the caller decides as this user's delegate"
    )


class InboxPage(Page):
    items: list[InboxItem]
    count: int = Field(description="Everything waiting for the caller (all pages)")


class StepOut(Schema):
    approver: ApproverRef
    status: Literal["waiting", "pending", "approved", "rejected", "not_needed", "skipped"]
    skip_reason: str = Field(
        description="Why this approver is not asked: requester, last_changer, no_access, inactive"
    )
    decided_by: ApproverRef | None
    on_behalf: bool
    decided_at: dt.datetime | None
    comment: str


class LevelOut(Schema):
    position: int
    kind: Literal["role", "user", "team_manager"]
    approver_label: str
    mode: Literal["any", "all"]
    status: Literal["waiting", "pending", "approved", "rejected", "cancelled"]
    steps: list[StepOut]


class RequestOut(Schema):
    id: int
    document_type: str
    document_id: str
    title: str
    url: str | None
    status: Literal["pending", "approved", "rejected", "cancelled"]
    rule_name: str
    values: list[ValueOut]
    requester: ApproverRef | None
    submitted_by: ApproverRef | None
    last_changed_by: ApproverRef | None
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: ApproverRef | None
    level: int
    level_count: int
    levels: list[LevelOut]
    can_decide: bool = Field(description="The caller may approve or reject now")
    blocked: str = Field(description="Why the caller, an approver, may not decide (segregation of duties)")


class ApproveIn(InputSchema):
    comment: Annotated[str, Field(max_length=2000)] = ""
    on_behalf_of: Id | None = Field(None, description="As a delegate: decide for this approver")


class RejectIn(InputSchema):
    comment: Annotated[str, Field(max_length=2000, description="Required: the requester reads it")]
    on_behalf_of: Id | None = None


# --- Rules ------------------------------------------------------------------------------------------------


class ConditionIn(InputSchema):
    field: Annotated[str, Field(max_length=60)]
    op: Literal["gt", "gte", "lt", "lte", "eq", "in", "not_in", "is"]
    value: ConditionValue = Field(
        description="A number as text or a number; a list of choice codes; true/false"
    )


class ConditionOut(Schema):
    field: str
    op: str
    value: Any
    text: str


class RuleLevelIn(InputSchema):
    kind: Literal["role", "user", "team_manager"]
    role_id: Id | None = None
    user_id: Id | None = None
    mode: Literal["any", "all"] = "any"


class RuleLevelOut(Schema):
    position: int
    kind: str
    role: str | None = Field(description="The role's code")
    user: ApproverRef | None
    mode: str


class RuleIn(InputSchema):
    document_type: Annotated[str, Field(max_length=60)]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    conditions: Annotated[list[ConditionIn], Field(max_length=20)] = []
    levels: Annotated[list[RuleLevelIn], Field(max_length=10)] = []
    no_approval: bool = False
    is_active: bool = True


class RulePatch(InputSchema):
    version: Annotated[int, Field(ge=1, le=2**31, description="The version you read (optimistic locking)")]
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    conditions: Annotated[list[ConditionIn], Field(max_length=20)] | None = None
    levels: Annotated[list[RuleLevelIn], Field(max_length=10)] | None = None
    no_approval: bool | None = None
    is_active: bool | None = None
    position: Annotated[int, Field(ge=1, le=10000, description="1: tried first")] | None = None


class RuleOut(Schema):
    id: int
    document_type: str
    name: str
    position: int
    conditions: list[ConditionOut]
    levels: list[RuleLevelOut]
    no_approval: bool
    is_active: bool
    version: int


class RuleQuery(InputSchema):
    document_type: Annotated[str, Field(max_length=60)] = ""


class FieldOut(Schema):
    name: str
    label: str
    kind: str
    operators: list[str]
    choices: list[list[str]]
    suffix: str


class TypeOut(Schema):
    document_type: str
    label: str
    fields: list[FieldOut]


# --- Delegations ------------------------------------------------------------------------------------------


class DelegationIn(InputSchema):
    delegate_id: Id
    starts_on: dt.date
    ends_on: dt.date = Field(description="The last day it is in force (included)")
    note: Annotated[str, Field(max_length=200)] = ""
    delegator_id: Id | None = Field(None, description="Administrators: delegate for someone else")


class DelegationOut(Schema):
    id: int
    delegator: ApproverRef
    delegate: ApproverRef
    starts_on: dt.date
    ends_on: dt.date
    note: str
    status: Literal["active", "ended", "expired"]
    in_force: bool


class DelegationPage(Page):
    items: list[DelegationOut]


class DelegationQuery(ListQuery):
    role: Literal["given", "received", "all"] = "all"

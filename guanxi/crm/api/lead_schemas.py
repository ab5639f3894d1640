"""API shapes of leads. Every name starts with "Lead"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.crm.choices import LeadSource, LeadStatus

Id = Annotated[int, Field(ge=1, le=2**53)]
Version = Annotated[int, Field(ge=1, le=2**31, description="The version you read; a stale one is a 409")]


class _LeadFields(InputSchema):
    campaign: Annotated[str, Field(max_length=100)] | None = None
    person_name: Annotated[str, Field(max_length=100)] | None = None
    company_name: Annotated[str, Field(max_length=200)] | None = None
    job_title: Annotated[str, Field(max_length=100)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    wechat_id: Annotated[str, Field(max_length=40)] | None = None
    interest: Annotated[str, Field(max_length=2000)] | None = None
    owner_id: Id | None = None


class LeadIn(_LeadFields):
    """A new lead: a person's name, a company's, or both. Owned by the caller unless `owner_id` is given."""

    source: Literal["manual", "api", "import", "phone", "trade_fair", "referral", "other"] = "api"


class LeadPatch(_LeadFields):
    version: Version
    source: Literal["manual", "api", "import", "phone", "trade_fair", "referral", "other"] | None = None


class LeadStatusIn(InputSchema):
    version: Version
    status: Literal["new", "working", "qualified", "disqualified"]
    disqualify_reason_id: Id | None = Field(None, description="Required to disqualify")
    disqualify_note: Annotated[str, Field(max_length=500)] = ""


class LeadConvertOpportunity(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    stage_id: Id | None = None
    amount: Annotated[Decimal, Field(ge=0, lt=10**13, max_digits=17, decimal_places=4)] | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    expected_close: Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]


class LeadConvertIn(InputSchema):
    """`organization` / `contact`: an existing party's id, "new" to create it from the lead, or null for none."""

    version: Version
    organization: int | Literal["new"] | None = "new"
    contact: int | Literal["new"] | None = "new"
    opportunity: LeadConvertOpportunity | None = None


class LeadRef(Schema):
    id: int
    name: str


class LeadOut(Schema):
    id: int
    source: LeadSource
    campaign: str
    person_name: str
    company_name: str
    job_title: str
    phone: str
    email: str
    wechat_id: str
    interest: str
    status: LeadStatus
    owner: LeadRef | None
    team: LeadRef | None
    disqualify_reason: LeadRef | None
    disqualify_note: str
    organization: LeadRef | None
    contact: LeadRef | None
    opportunity: LeadRef | None
    converted_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class LeadPage(Schema):
    items: list[LeadOut]
    next_cursor: str | None
    prev_cursor: str | None


class LeadQuery(Schema):
    status: Literal["", "new", "working", "qualified", "disqualified", "converted", "all"] = Field(
        "", description="Default: open (new, working, qualified)"
    )
    source: LeadSource | None = None
    owner: Annotated[str, Field(max_length=20, description='"me", "none" or a user id')] | None = None
    q: Annotated[str, Field(max_length=100)] | None = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class LeadImportIn(InputSchema):
    csv: Annotated[str, Field(min_length=1, max_length=5_000_000, description="CSV text with a header row")]
    apply: bool = Field(False, description="false: check only; true: import, all rows or none")


class LeadImportError(Schema):
    line: int
    column: str
    message: str


class LeadImportOut(Schema):
    applied: bool
    created: int
    skipped: int  # a lead with the same phone or email exists already
    errors: list[LeadImportError]

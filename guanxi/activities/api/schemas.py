"""API shapes for activities. Input schemas bound every field and refuse unknown ones. Every name starts with
"Activity": the OpenAPI document has one namespace for the shapes of all apps."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import field_validator

from guanxi.activities.choices import (
    MAX_DURATION,
    MAX_REMIND_BEFORE,
    ActivityKind,
    ActivityPriority,
    ActivityStatus,
)
from guanxi.core.api.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**53)]
RecordType = Annotated[str, Field(min_length=3, max_length=60, examples=["parties.party"])]
_DUE = (
    "A timed activity gives `due_at` (ISO 8601; with an offset, else read in the server's time zone); an "
    "all-day one gives `all_day: true` and `due_date`."
)


class _Due(InputSchema):
    due_at: dt.datetime | None = None
    due_date: dt.date | None = None
    all_day: bool | None = None

    @field_validator("due_at", "due_date")
    @classmethod
    def check_range(cls, value):
        if value is not None and not 1900 <= value.year <= 2200:
            from django.utils.translation import gettext as _

            raise ValueError(_("Enter a date between 1900 and 2200."))
        return value


class ActivityIn(_Due):
    __doc__ = "Schedule an activity on a record (status `open`), or log one that happened (`done`). " + _DUE

    record_type: RecordType
    record_id: Id
    kind: ActivityKind = ActivityKind.CALL
    subject: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=10000)] = ""
    duration_minutes: Annotated[int, Field(ge=1, le=MAX_DURATION)] | None = None
    assignee_id: Id | None = Field(None, description="Default: the caller. Someone who may see the record.")
    participant_ids: Annotated[list[Id], Field(max_length=50)] = []
    contact_ids: Annotated[list[Id], Field(max_length=50)] = []
    location: Annotated[str, Field(max_length=200)] = ""
    priority: ActivityPriority = ActivityPriority.NORMAL
    remind_before_minutes: Annotated[int, Field(ge=0, le=MAX_REMIND_BEFORE)] | None = None
    status: Literal["open", "done"] = "open"
    outcome: Annotated[str, Field(max_length=2000)] = ""


class ActivityPatch(_Due):
    __doc__ = "Change an activity; send the `version` you read. " + _DUE

    version: Id
    kind: ActivityKind | None = None
    subject: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=10000)] | None = None
    duration_minutes: Annotated[int, Field(ge=1, le=MAX_DURATION)] | None = None
    assignee_id: Id | None = None
    participant_ids: Annotated[list[Id], Field(max_length=50)] | None = None
    contact_ids: Annotated[list[Id], Field(max_length=50)] | None = None
    location: Annotated[str, Field(max_length=200)] | None = None
    priority: ActivityPriority | None = None
    remind_before_minutes: Annotated[int, Field(ge=0, le=MAX_REMIND_BEFORE)] | None = None
    outcome: Annotated[str, Field(max_length=2000)] | None = Field(None, description="Done or cancelled only")


class ActivityCompleteIn(InputSchema):
    outcome: Annotated[str, Field(max_length=2000)] = ""
    version: Id | None = Field(None, description="The version you read; a stale one is a 409")


class ActivityTransitionIn(InputSchema):
    version: Id | None = Field(None, description="The version you read; a stale one is a 409")


class ActivityUser(Schema):
    id: int
    username: str
    name: str


class ActivityContact(Schema):
    id: int
    name: str


class ActivityRecord(Schema):
    type: str
    id: int
    label: str | None
    title: str | None
    url: str | None


class ActivityOut(Schema):
    id: int
    uid: str
    record: ActivityRecord
    kind: ActivityKind
    subject: str
    description: str
    due_at: dt.datetime
    due_date: dt.date
    all_day: bool
    overdue: bool
    duration_minutes: int | None
    assignee: ActivityUser | None
    participants: list[ActivityUser]
    contacts: list[ActivityContact]
    location: str
    priority: ActivityPriority
    status: ActivityStatus
    outcome: str
    remind_before_minutes: int | None
    remind_at: dt.datetime | None
    reminded_at: dt.datetime | None
    closed_at: dt.datetime | None
    follow_up_of_id: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: ActivityUser | None


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None
    prev_cursor: str | None


class ActivityQuery(Schema):
    mine: bool = Field(False, description="Only activities assigned to the caller")
    overdue: bool = Field(False, description="Only open activities past their due time (or day)")
    record_type: Annotated[str, Field(max_length=60)] | None = None
    record_id: Id | None = Field(None, description="With `record_type`: every activity of that record")
    kind: list[ActivityKind] = []
    status: list[ActivityStatus] = []
    assignee: Id | None = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50

"""/api/v1/numbering: each registered document type's pattern per company, the next and the last number
issued; administrators change the pattern and the reset. Numbers themselves are taken by the apps'
services (guanxi.core.services.numbering.number_next), never through the API."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.numbering import DOC_TYPE_PATTERN, PATTERN_MAX_LENGTH, Reset
from guanxi.core.selectors.numbering import SequenceRow, number_preview, sequence_get, sequence_rows
from guanxi.core.services.numbering import sequence_update

router = Router(tags=["numbering"])

Id = Annotated[int, Field(ge=1, le=2**53)]
DocType = Annotated[str, Field(max_length=60, pattern=DOC_TYPE_PATTERN, examples=["crm.quote"])]
PatternText = Annotated[
    str,
    Field(
        max_length=PATTERN_MAX_LENGTH,
        examples=["QT-{YYYY}-{seq:05}"],
        description="Literal text (letters, digits, - _ .) and the parts {YYYY} {YY} {MM} {DD} and {seq} or "
        "{seq:N} (zero-padded to N digits), {seq} exactly once",
    ),
]


class SequenceOut(Schema):
    doc_type: str
    label: str
    company_id: int
    company_name: str
    pattern: str
    reset: Reset
    version: int = Field(description="0: the registered defaults, never changed")
    next_number: str = Field(description="The number the next document of today would get")
    last_number: str = Field(description="The last number issued ('' before the first)")
    last_issued_at: datetime | None


class SequencePage(Schema):
    items: list[SequenceOut]
    next_cursor: str | None


class SequenceQuery(Schema):
    doc_type: DocType | None = None
    company: Id | None = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class SequencePatch(InputSchema):
    version: Annotated[int, Field(ge=0, le=2**31)]
    pattern: PatternText | None = None
    reset: Reset | None = None


class PreviewQuery(Schema):
    pattern: PatternText
    reset: Reset
    on: date | None = Field(None, description="The document date (default: today)")


class PreviewOut(Schema):
    next_number: str


def sequence_json(row: SequenceRow) -> dict:
    return {
        "doc_type": row.doc_type.code,
        "label": str(row.doc_type.label),
        "company_id": row.company.pk,
        "company_name": row.company.name,
        "pattern": row.pattern,
        "reset": row.reset,
        "version": row.version,
        "next_number": row.next_number,
        "last_number": row.last_number,
        "last_issued_at": row.last_issued_at,
    }


def _cursor(row: SequenceRow) -> str:
    raw = json.dumps([row.doc_type.code, row.company.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after(cursor: str) -> tuple[str, int]:
    try:
        code, company_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(code, str) or not isinstance(company_id, int) or isinstance(company_id, bool):
            raise ValueError
        return code, company_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            {"cursor": _("This page link is not valid any more. Start from the first page.")}
        ) from None


@router.get("/numbering", response={200: SequencePage, **responses(*STD)})
def numbering_list(request, query: Query[SequenceQuery]):
    """Every registered document type for every active company (administrators), by type then company."""
    rows = sequence_rows(actor=request.user, doc_type=query.doc_type, company_id=query.company)
    if query.cursor:
        after = _after(query.cursor)
        keys = [r.key for r in rows]
        rows = rows[keys.index(after) + 1 :] if after in keys else [r for r in rows if r.key > after]
    page = rows[: query.limit]
    more = len(rows) > query.limit
    return {"items": [sequence_json(r) for r in page], "next_cursor": _cursor(page[-1]) if more else None}


@router.get("/numbering/{doc_type}/{company_id}", response={200: SequenceOut, **responses(*STD)})
def numbering_get(request, doc_type: DocType, company_id: Id):
    return sequence_json(sequence_get(actor=request.user, doc_type=doc_type, company_id=company_id))


@router.patch("/numbering/{doc_type}/{company_id}", response={200: SequenceOut, **responses(*STD, 409)})
def numbering_update(request, doc_type: DocType, company_id: Id, payload: SequencePatch):
    """Change the pattern or the reset. Numbers already issued keep theirs; the counter goes on."""
    row = sequence_get(actor=request.user, doc_type=doc_type, company_id=company_id)
    sequence_update(
        actor=request.user,
        doc_type=doc_type,
        company=row.company,
        pattern=payload.pattern if payload.pattern is not None else row.pattern,
        reset=payload.reset if payload.reset is not None else row.reset,
        version=payload.version,
    )
    return sequence_json(sequence_get(actor=request.user, doc_type=doc_type, company_id=company_id))


@router.get("/numbering/{doc_type}/{company_id}/preview", response={200: PreviewOut, **responses(*STD)})
def numbering_preview(request, doc_type: DocType, company_id: Id, query: Query[PreviewQuery]):
    """The number the next document would get with this pattern and reset; nothing is saved."""
    row = sequence_get(actor=request.user, doc_type=doc_type, company_id=company_id)
    number = number_preview(
        actor=request.user,
        doc_type=doc_type,
        company=row.company,
        pattern=query.pattern,
        reset=query.reset,
        on=query.on,
    )
    return {"next_number": number}

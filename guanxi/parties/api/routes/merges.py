"""/api/v1/parties/duplicates and /api/v1/parties/merges: suggested duplicates, merge, undo, "not duplicates".
The same services and rules as the pages (guanxi.parties.services.merge)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.parties.api.schemas import Id
from guanxi.parties.models import PartyMerge
from guanxi.parties.selectors import merges as sel
from guanxi.parties.selectors.duplicate_pairs import duplicate_pairs, latest_scan
from guanxi.parties.selectors.parties import party_get
from guanxi.parties.services import duplicate_scan as scan_svc
from guanxi.parties.services import merge as svc

router = Router(tags=["duplicates"])


class PartyRef(Schema):
    id: int
    name: str
    kind: str


class DuplicatePairOut(Schema):
    first: PartyRef
    second: PartyRef
    reasons: list[str]  # identifier, name, similar, phone, domain: strongest first


class DuplicatesQuery(Schema):
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    offset: Annotated[int, Field(ge=0, le=2**31)] = 0


class ScanOut(Schema):
    id: int
    requested_at: datetime
    finished_at: datetime | None  # null: waiting for a worker, or running
    found: int | None  # suggestions found across every party (the list shows those the caller may change)


class MergeIn(InputSchema):
    kept: Id
    merged: Id
    kept_version: Annotated[int | None, Field(ge=1, le=2**31)] = None  # as seen: a stale one is a 409
    merged_version: Annotated[int | None, Field(ge=1, le=2**31)] = None


class DismissIn(InputSchema):
    first: Id
    second: Id


class MergeOut(Schema):
    id: int
    kept: PartyRef
    merged: PartyRef
    merged_at: datetime
    undo_until: datetime
    undone_at: datetime | None
    records_moved: int
    records_left: dict[str, int]  # rows that stayed: the kept party had the same (a tag, an identifier)

    @staticmethod
    def resolve_undo_until(obj: PartyMerge) -> datetime:
        return svc.undo_deadline(obj)

    @staticmethod
    def resolve_records_moved(obj: PartyMerge) -> int:
        return svc.moved_rows(obj.moved)

    @staticmethod
    def resolve_records_left(obj: PartyMerge) -> dict[str, int]:
        return obj.left


def _require(request) -> None:
    if not svc.may_merge(request.user):
        raise PermissionDeniedError()


@router.get("/parties/duplicates", response={200: list[DuplicatePairOut], **responses(*STD)})
def duplicates_list(request, query: Query[DuplicatesQuery]):
    _require(request)
    """The suggestions of the latest duplicate scan (nightly, or asked for by POST /parties/duplicates/scans)
    whose two parties the caller may change, strongest signals first."""
    pairs = duplicate_pairs(actor=request.user)[query.offset : query.offset + query.limit]
    return [{"first": p.first, "second": p.second, "reasons": p.reasons} for p in pairs]


@router.post("/parties/duplicates/scans", response={202: ScanOut, **responses(*STD)})
def duplicates_scan(request):
    """Look for duplicates again now, in the background (a worker runs it): while a scan is waiting or
    running, that one is returned."""
    return Status(202, scan_svc.duplicates_scan_request(actor=request.user))


@router.get("/parties/duplicates/scans/latest", response={200: ScanOut, **responses(*STD)})
def duplicates_scan_latest(request):
    """The latest duplicate scan, finished or not (404: none has run yet)."""
    _require(request)
    scan = latest_scan()
    if scan is None:
        raise NotFoundError(_("No duplicate scan has run yet."))
    return scan


@router.post("/parties/duplicates/dismiss", response={204: None, **responses(*STD)})
def duplicates_dismiss(request, payload: DismissIn):
    _require(request)
    first = party_get(actor=request.user, pk=payload.first, mode="edit")
    second = party_get(actor=request.user, pk=payload.second, mode="edit")
    svc.duplicate_dismiss(actor=request.user, first=first, second=second)
    return Status(204, None)


@router.post("/parties/merges", response={201: MergeOut, **responses(*STD, 409)})
def merges_create(request, payload: MergeIn):
    _require(request)
    kept = party_get(actor=request.user, pk=payload.kept, mode="edit")
    merged = party_get(actor=request.user, pk=payload.merged, mode="edit")
    record = svc.party_merge(
        actor=request.user,
        kept=kept,
        merged=merged,
        kept_version=payload.kept_version,
        merged_version=payload.merged_version,
    )
    return Status(201, record)


@router.get("/parties/merges", response={200: list[MergeOut], **responses(*STD)})
def merges_list(request):
    """The merges of the last 30 days whose kept party the user may change, newest first."""
    _require(request)
    return sel.recent_merges(actor=request.user, limit=200)


@router.post("/parties/merges/{id}/undo", response={200: MergeOut, **responses(*STD, 409)})
def merges_undo(request, id: Id):
    _require(request)
    record = get_object_or_404(sel.merge_list(actor=request.user), pk=id)
    return svc.party_merge_undo(actor=request.user, record=record)

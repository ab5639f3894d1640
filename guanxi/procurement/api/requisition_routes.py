"""/api/v1/requisitions: purchase requisitions (请购单) — the same services and selectors as the pages
(guanxi.procurement.services.requisitions, selectors.requisitions). Anyone who may request asks for products or
services (a draft they edit), submits it — approved at once when the rules need no approval, otherwise decided
through /api/v1/approvals/{id}/approve|reject (never by the requester) — or cancels it before it is sourced. A
requester sees their own; Buyers and Procurement Managers see every one and combine approved ones into one
draft RFQ or one draft purchase order."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.pagination import keyset_page
from guanxi.procurement.api.requisition_schemas import (
    RequisitionIn,
    RequisitionOut,
    RequisitionPage,
    RequisitionPatch,
    RequisitionSourcedOut,
    RequisitionStateCode,
    RequisitionToOrderIn,
    RequisitionToRfqIn,
    RequisitionVersionIn,
)
from guanxi.procurement.api.schemas import Id
from guanxi.procurement.models import Requisition
from guanxi.procurement.selectors import requisitions as sel
from guanxi.procurement.services import requisitions as svc

router = Router(tags=["purchasing"])
SEARCH = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL text cannot hold NUL)
SUMMARY = ["id", "number", "state", "needed_by", "cost_centre", "justification", "estimated_total",
           "decided_at", "version", "created_at"]  # fmt: skip
LINE = ["id", "position", "product_id", "description", "quantity", "unit_id", "estimated_price"]
SELECTED = ("requester", "supplier", "team")


class RequisitionQuery(Schema):
    state: Literal["", RequisitionStateCode] = Field("", description='"" all, or a state')
    mine: bool = Field(False, description="true: only the caller's own (the only ones a requester sees)")
    q: str = Field("", max_length=100, pattern=SEARCH, description="In the number or the justification")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def _doc(obj) -> dict | None:
    return {"id": obj.pk, "number": obj.number} if obj is not None else None


def _summary(r: Requisition) -> dict:
    return {
        **{f: getattr(r, f) for f in SUMMARY},
        "requester": _ref(r.requester),
        "supplier": _ref(r.supplier),
        "currency": r.currency_id,
    }


def requisition_json(r: Requisition) -> dict:
    """One requisition (read with its requester, supplier and team) with its lines and where each went."""
    lines = [
        {
            **{f: getattr(x, f) for f in LINE},
            "rfq": _doc(x.rfq_line.rfq) if x.rfq_line is not None else None,
            "purchase_order": _doc(x.order_line.order) if x.order_line is not None else None,
        }
        for x in sel.requisition_lines(r)
    ]
    return {**_summary(r), "company_id": r.company_id, "team": _ref(r.team), "lines": lines}


def _one(r: Requisition) -> dict:
    """The requisition as a write left it (read again: the services update it with update())."""
    return requisition_json(Requisition.objects.select_related(*SELECTED).get(pk=r.pk))


def _data(payload, *, exclude_unset: bool) -> dict:
    """The body as the services take it; a PATCH gives only what was set (null: unchanged, but a null supplier
    clears it)."""
    data = payload.dict(exclude_unset=exclude_unset)
    data.pop("version", None)
    return {k: v for k, v in data.items() if v is not None or k == "supplier"}


def _sourced(kind: str, doc, ids: list[int]) -> dict:
    rows = Requisition.objects.filter(pk__in=ids).select_related("requester", "supplier").order_by("number")
    return {"kind": kind, "id": doc.pk, "number": doc.number, "requisitions": [_summary(r) for r in rows]}


# --- The list and the sourcing of approved ones (before /requisitions/{id}) ------------------------------


@router.get("/requisitions", response={200: RequisitionPage, **responses(*STD)})
def requisitions_list(request, query: Query[RequisitionQuery]):
    """The requisitions the caller sees (a requester: their own; buyers: all), newest first."""
    filters = sel.RequisitionFilters(state=query.state, mine=query.mine, q=query.q.strip())
    qs = sel.requisition_list(actor=request.user, filters=filters)
    page = keyset_page(qs, ordering=sel.ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [_summary(r) for r in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/requisitions", response={201: RequisitionOut, **responses(*STD, 409)})
def requisitions_create(request, payload: RequisitionIn):
    """A draft requisition of the caller's (anyone who may request): lines of products or described services
    with an estimated price; submit it when it is complete."""
    r = svc.requisition_create(actor=request.user, data=_data(payload, exclude_unset=False))
    return Status(201, _one(r))


@router.post("/requisitions/to-rfq", response={201: RequisitionSourcedOut, **responses(*STD, 409)})
def requisitions_to_rfq(request, payload: RequisitionToRfqIn):
    """Buyers: approved requisitions become one draft RFQ (the same product's quantities added up, each line
    linked to where it went); they are `sourced` and never sourced again. Then invite through /rfqs."""
    rfq = svc.requisitions_to_rfq(
        actor=request.user, requisitions=payload.requisitions, title=payload.title, deadline=payload.deadline
    )
    return Status(201, _sourced("rfq", rfq, payload.requisitions))


@router.post("/requisitions/to-order", response={201: RequisitionSourcedOut, **responses(*STD, 409)})
def requisitions_to_order(request, payload: RequisitionToOrderIn):
    """Buyers: approved requisitions become one draft purchase order to one supplier (priced from its price
    information, else the estimates); they are `sourced`. Then submit it through /purchase-orders."""
    order = svc.requisitions_to_order(
        actor=request.user, requisitions=payload.requisitions, supplier=payload.supplier
    )
    return Status(201, _sourced("purchase_order", order, payload.requisitions))


# --- One requisition --------------------------------------------------------------------------------------


@router.get("/requisitions/{id}", response={200: RequisitionOut, **responses(*STD)})
def requisitions_get(request, id: Id):
    """The requisition with its lines, each with the RFQ or purchase order it went into."""
    return requisition_json(sel.requisition_get(actor=request.user, pk=id))


def _mine(request, id: int) -> Requisition:
    """The requisition to change: the caller's own (403 when seen but not theirs, 404 when not seen)."""
    return sel.requisition_get(actor=request.user, pk=id, mode="edit")


@router.patch("/requisitions/{id}", response={200: RequisitionOut, **responses(*STD, 409)})
def requisitions_update(request, id: Id, payload: RequisitionPatch):
    """Change a draft (its requester only)."""
    r = svc.requisition_update(
        actor=request.user,
        requisition=_mine(request, id),
        version=payload.version,
        data=_data(payload, exclude_unset=True),
    )
    return _one(r)


@router.post("/requisitions/{id}/submit", response={200: RequisitionOut, **responses(*STD, 409)})
def requisitions_submit(request, id: Id, payload: RequisitionVersionIn):
    """Submit a draft: `approved` at once when the rules need no approval (shipped: under 5,000 CNY
    estimated), otherwise `pending` until approved through /approvals (never by the requester)."""
    r = svc.requisition_submit(actor=request.user, requisition=_mine(request, id), version=payload.version)
    return _one(r)


@router.post("/requisitions/{id}/cancel", response={200: RequisitionOut, **responses(*STD, 409)})
def requisitions_cancel(request, id: Id, payload: RequisitionVersionIn):
    """The requester takes it back (a draft, waiting or approved one not yet sourced); a waiting approval ends."""
    r = svc.requisition_cancel(actor=request.user, requisition=_mine(request, id), version=payload.version)
    return _one(r)

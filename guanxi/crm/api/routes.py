"""/api/v1/opportunities and /api/v1/pipelines: parse, call a selector or service, return. The same rules as
the web pages (guanxi.crm.services, guanxi.crm.selectors)."""

from __future__ import annotations

from django.db.models import Prefetch
from ninja import Query, Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.models import User
from guanxi.core.pagination import keyset_page
from guanxi.crm.api.schemas import (
    Id,
    OpportunityIn,
    OpportunityLoseIn,
    OpportunityMoveIn,
    OpportunityOut,
    OpportunityPage,
    OpportunityPatch,
    OpportunityQuery,
    OpportunityReopenIn,
    OpportunityVersionIn,
    PipelineBoardOut,
    PipelineLostReasonOut,
    PipelineOut,
)
from guanxi.crm.models import Opportunity, OpportunityContact
from guanxi.crm.selectors import board as board_sel
from guanxi.crm.selectors import opportunities as sel
from guanxi.crm.selectors import setup as setup_sel
from guanxi.crm.services import opportunities as svc

router = Router(tags=["opportunities"])


def _user(u) -> dict | None:
    return {"id": u.pk, "username": u.username, "name": str(u)} if u else None


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj else None


def _stage(s) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "name_en": s.name_en,
        "name_zh": s.name_zh,
        "kind": s.kind,
        "probability": s.probability,
        "position": s.position,
    }


def opportunity_json(o: Opportunity) -> dict:
    return {
        **{
            f: getattr(o, f)
            for f in [
                "id",
                "name",
                "state",
                "amount",
                "weighted_amount",
                "expected_close",
                "probability",
                "probability_set",
                "forecast_category",
                "next_step",
                "competitors",
                "description",
                "lost_note",
                "closed_on",
                "stage_changed_at",
                "version",
                "created_at",
                "updated_at",
            ]
        },
        "currency": o.currency_id,
        "customer": _ref(o.customer),
        "pipeline": _ref(o.pipeline),
        "stage": {"id": o.stage.pk, "name": o.stage.name, "kind": o.stage.kind},
        "owner": _user(o.owner),
        "team": _ref(o.team),
        "members": [_user(u) for u in o.members.all()],
        "contacts": [{"contact": _ref(c.contact), "role": c.role} for c in o.contact_roles.all()],
        "lost_reason": _ref(o.lost_reason),
    }


def _rows(qs):
    return qs.select_related(
        "customer", "pipeline", "stage", "owner", "team", "lost_reason"
    ).prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("username")),
        Prefetch("contact_roles", queryset=OpportunityContact.objects.select_related("contact")),
    )


def _one(o: Opportunity) -> dict:
    return opportunity_json(_rows(Opportunity.objects.filter(pk=o.pk)).get())


def _data(payload, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    for old, new in {
        "customer_id": "customer",
        "owner_id": "owner",
        "member_ids": "members",
        "pipeline_id": "pipeline",
        "stage_id": "stage",
        "lost_reason_id": "lost_reason",
    }.items():
        if old in data:
            data[new] = data.pop(old)
    # null means "not given" where a field cannot be empty; it clears the amount and the probability.
    for key in (
        "name", "customer", "expected_close", "currency", "next_step", "competitors", "description", "forecast_category"
    ):  # fmt: skip
        if key in data and data[key] is None:
            data.pop(key)
    for key in ("owner", "members", "contacts"):
        if key in data and data[key] is None:
            data.pop(key)
    return data


@router.get("/opportunities", response={200: OpportunityPage, **responses(*STD)})
def opportunities_list(request, query: Query[OpportunityQuery]):
    filters = sel.OpportunityFilters(
        pipeline=query.pipeline,
        stage=query.stage,
        state="" if query.state == "open" else query.state,
        owner=query.owner or "",
        team=query.team,
        customer=query.customer,
        close_month=query.close_month or "",
        closed_in=query.closed_in or "",
        category=query.category or "",
        amount_min=query.amount_min,
        amount_max=query.amount_max,
        q=(query.q or "").strip(),
        sort=query.sort,
    )
    qs = sel.opportunity_list(actor=request.user, filters=filters)
    page = keyset_page(_rows(qs), ordering=sel.ordering_of(filters), cursor=query.cursor, limit=query.limit)
    return {
        "items": [opportunity_json(o) for o in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/opportunities", response={201: OpportunityOut, **responses(*STD, 409)})
def opportunities_create(request, payload: OpportunityIn):
    o = svc.opportunity_create(actor=request.user, data=_data(payload, exclude_unset=False))
    return Status(201, _one(o))


@router.get("/opportunities/{id}", response={200: OpportunityOut, **responses(*STD)})
def opportunities_get(request, id: Id):
    return _one(sel.opportunity_get(actor=request.user, pk=id))


@router.patch("/opportunities/{id}", response={200: OpportunityOut, **responses(*STD, 409)})
def opportunities_update(request, id: Id, payload: OpportunityPatch):
    o = sel.opportunity_get(actor=request.user, pk=id)
    data = _data(payload, exclude_unset=True)
    version = data.pop("version")
    return _one(svc.opportunity_update(actor=request.user, opportunity=o, version=version, data=data))


@router.post("/opportunities/{id}/move", response={200: OpportunityOut, **responses(*STD, 409)})
def opportunities_move(request, id: Id, payload: OpportunityMoveIn):
    o = sel.opportunity_get(actor=request.user, pk=id)
    moved = svc.opportunity_move(
        actor=request.user,
        opportunity=o,
        stage=payload.stage_id,
        version=payload.version,
        lost_reason=payload.lost_reason_id,
        lost_note=payload.lost_note,
    )
    return _one(moved)


@router.post("/opportunities/{id}/win", response={200: OpportunityOut, **responses(*STD, 409)})
def opportunities_win(request, id: Id, payload: OpportunityVersionIn):
    o = sel.opportunity_get(actor=request.user, pk=id)
    return _one(svc.opportunity_win(actor=request.user, opportunity=o, version=payload.version))


@router.post("/opportunities/{id}/lose", response={200: OpportunityOut, **responses(*STD, 409)})
def opportunities_lose(request, id: Id, payload: OpportunityLoseIn):
    o = sel.opportunity_get(actor=request.user, pk=id)
    lost = svc.opportunity_lose(
        actor=request.user,
        opportunity=o,
        version=payload.version,
        lost_reason=payload.lost_reason_id,
        lost_note=payload.lost_note,
    )
    return _one(lost)


@router.post("/opportunities/{id}/reopen", response={200: OpportunityOut, **responses(*STD, 409)})
def opportunities_reopen(request, id: Id, payload: OpportunityReopenIn):
    o = sel.opportunity_get(actor=request.user, pk=id)
    return _one(
        svc.opportunity_reopen(
            actor=request.user, opportunity=o, version=payload.version, stage=payload.stage_id
        )
    )


@router.get("/pipelines", response={200: list[PipelineOut], **responses(*STD)})
def pipelines_list(request):
    return [
        {
            "id": p.pk,
            "name": p.name,
            "name_en": p.name_en,
            "name_zh": p.name_zh,
            "stale_after_days": p.stale_after_days,
            "stages": [_stage(s) for s in getattr(p, "active_stages", [])],
        }
        for p in setup_sel.pipeline_list(actor=request.user)
    ]


@router.get("/pipelines/{id}/board", response={200: PipelineBoardOut, **responses(*STD)})
def pipelines_board(
    request, id: Id, owner: str | None = None, team: Id | None = None, close_month: str | None = None
):
    sel.require_reader(request.user)
    pipeline = board_sel.pipeline_get(id)
    filters = sel.OpportunityFilters(owner=owner or "", team=team, close_month=close_month or "")
    b = board_sel.board(actor=request.user, pipeline=pipeline, filters=filters)
    cards = {
        o.pk: o
        for o in _rows(Opportunity.objects.filter(pk__in=[c.pk for col in b.columns for c in col.cards]))
    }
    return {
        "pipeline": _ref(pipeline),
        "total": vars(b.total),
        "columns": [
            {
                "stage": _stage(c.stage),
                "total": vars(c.total),
                "cards": [opportunity_json(cards[o.pk]) for o in c.cards],
            }
            for c in b.columns
        ],
    }


@router.get("/lost-reasons", response={200: list[PipelineLostReasonOut], **responses(*STD)})
def lost_reasons_list(request):
    return [
        {"id": r.pk, "name": r.name, "name_en": r.name_en, "name_zh": r.name_zh}
        for r in setup_sel.lost_reason_list(actor=request.user)
    ]

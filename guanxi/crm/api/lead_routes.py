"""/api/v1/leads: parse, call a selector or service, return. The same rules as the web pages."""

from __future__ import annotations

from ninja import Query, Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.pagination import keyset_page
from guanxi.core.tables import read_table
from guanxi.crm.api.lead_schemas import (
    Id,
    LeadConvertIn,
    LeadImportIn,
    LeadImportOut,
    LeadIn,
    LeadOut,
    LeadPage,
    LeadPatch,
    LeadQuery,
    LeadStatusIn,
)
from guanxi.crm.models import Lead
from guanxi.crm.selectors import leads as sel
from guanxi.crm.services import lead_conversion, lead_import
from guanxi.crm.services import leads as svc

router = Router(tags=["leads"])


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def lead_json(lead: Lead) -> dict:
    fields = [
        "id", "source", "campaign", "person_name", "company_name", "job_title", "phone", "email", "wechat_id",
        "interest", "status", "disqualify_note", "converted_at", "version", "created_at", "updated_at",
    ]  # fmt: skip
    return {
        **{f: getattr(lead, f) for f in fields},
        **{
            k: _ref(getattr(lead, k))
            for k in ("owner", "team", "disqualify_reason", "organization", "contact", "opportunity")
        },
    }


def _reload(lead: Lead) -> Lead:
    return Lead.objects.select_related(
        "owner", "team", "disqualify_reason", "organization", "contact", "opportunity"
    ).get(pk=lead.pk)


def _data(payload, *, exclude_unset: bool) -> dict:
    data = {
        k: v for k, v in payload.dict(exclude_unset=exclude_unset).items() if v is not None or k == "owner_id"
    }
    if "owner_id" in data:
        data["owner"] = data.pop("owner_id")
    data.pop("version", None)
    return data


@router.get("/leads", response={200: LeadPage, **responses(*STD)})
def leads_list(request, query: Query[LeadQuery]):
    filters = sel.LeadFilters(
        status=query.status, source=query.source or "", owner=query.owner or "", q=(query.q or "").strip()
    )
    qs = sel.lead_list(actor=request.user, filters=filters).select_related(
        "team", "disqualify_reason", "organization", "contact", "opportunity"
    )
    page = keyset_page(qs, ordering=sel.ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [lead_json(lead) for lead in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/leads", response={201: LeadOut, **responses(*STD, 409)})
def leads_create(request, payload: LeadIn):
    lead = svc.lead_create(actor=request.user, data=_data(payload, exclude_unset=False))
    return Status(201, lead_json(_reload(lead)))


@router.post("/leads/import", response={200: LeadImportOut, **responses(*STD)})
def leads_import(request, payload: LeadImportIn):
    """Import a CSV of leads (columns in English or Chinese: company, person, phone, email …). All rows or
    none; rows whose phone or email a lead already has are skipped; `apply: false` only checks."""
    rows = read_table(payload.csv.encode("utf-8"), "leads.csv")
    result = lead_import.lead_import(actor=request.user, rows=rows, dry_run=not payload.apply)
    return {
        "applied": result.kept,
        "created": result.created,
        "skipped": result.skipped,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in result.errors],
    }


@router.get("/leads/{id}", response={200: LeadOut, **responses(*STD)})
def leads_get(request, id: Id):
    return lead_json(sel.lead_get(actor=request.user, pk=id))


@router.patch("/leads/{id}", response={200: LeadOut, **responses(*STD, 409)})
def leads_update(request, id: Id, payload: LeadPatch):
    lead = sel.lead_get(actor=request.user, pk=id)
    data = _data(payload, exclude_unset=True)
    return lead_json(
        _reload(svc.lead_update(actor=request.user, lead=lead, version=payload.version, data=data))
    )


@router.post("/leads/{id}/status", response={200: LeadOut, **responses(*STD, 409)})
def leads_status(request, id: Id, payload: LeadStatusIn):
    lead = sel.lead_get(actor=request.user, pk=id)
    done = svc.lead_set_status(
        actor=request.user,
        lead=lead,
        version=payload.version,
        status=payload.status,
        reason=payload.disqualify_reason_id,
        note=payload.disqualify_note,
    )
    return lead_json(_reload(done))


@router.post("/leads/{id}/convert", response={200: LeadOut, **responses(*STD, 409)})
def leads_convert(request, id: Id, payload: LeadConvertIn):
    lead = sel.lead_get(actor=request.user, pk=id)
    opportunity = None
    if payload.opportunity is not None:
        opportunity = {k: v for k, v in payload.opportunity.dict().items() if v is not None}
        if "stage_id" in opportunity:
            opportunity["stage"] = opportunity.pop("stage_id")
    choice = lead_conversion.Conversion(
        organization=payload.organization if payload.organization is not None else "",
        contact=payload.contact if payload.contact is not None else "",
        opportunity=opportunity,
    )
    done = lead_conversion.lead_convert(actor=request.user, lead=lead, version=payload.version, choice=choice)
    return lead_json(_reload(done))

"""What the parties API routes share: the list query, the JSON shapes built from the models, and lookups
of a party of one kind. The routes themselves are in organizations, contacts, addresses and tags."""

from __future__ import annotations

from typing import Annotated, Literal

from django.db.models import Prefetch
from ninja import Field, Schema

from guanxi.core.exceptions import NotFoundError
from guanxi.core.pagination import keyset_page
from guanxi.parties.api.schemas import ArchiveIn, Id
from guanxi.parties.choices import CustomerStatus, Industry, SupplierStatus
from guanxi.parties.models import Address, Employment, Party
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import parties as svc


class PartyQuery(Schema):
    q: Annotated[str, Field(max_length=100)] = ""
    role: Literal["customer", "supplier", "both", "none"] | None = None
    customer_status: list[CustomerStatus] = []
    supplier_status: list[SupplierStatus] = []
    owner: Id | None = None
    tag: Annotated[list[Id], Field(max_length=10)] = []
    industry: Industry | None = None
    country: Annotated[str, Field(max_length=2)] = ""
    province: Annotated[
        str,
        Field(
            max_length=60,
            description="In China a name, pinyin or code (广东, guangdong, 440000); abroad as stored",
        ),
    ] = ""
    city: Annotated[
        str,
        Field(
            max_length=60,
            description="In China a name, pinyin or code (深圳, shenzhen, 440300); abroad as stored",
        ),
    ] = ""
    state: Literal["active", "archived", "all"] = "active"
    sort: Annotated[
        Literal["relevance", "name", "-name", "created", "-created", "-updated"] | None,
        Field(
            description="Default: `relevance` with a search (exact name, identifier, phone or e-mail first, "
            "then names starting with it, then the rest by name), `name` without (Chinese names by pinyin)."
        ),
    ] = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


def party_filters(query: PartyQuery, kind: str) -> sel.PartyFilters:
    return sel.PartyFilters(
        q=query.q,
        kind=kind,
        role=query.role or "",
        customer_status=list(query.customer_status),
        supplier_status=list(query.supplier_status),
        owner=query.owner,
        tags=list(query.tag),
        industry=query.industry or "",
        country=query.country,
        province=query.province,
        city=query.city,
        state=query.state,
        sort=query.sort or "",
    )


def user_ref(u):
    return {"id": u.pk, "username": u.username} if u else None


def party_item(p: Party) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "name": p.name,
        "short_name": p.short_name,
        "is_customer": p.is_customer,
        "customer_status": p.customer_status,
        "is_supplier": p.is_supplier,
        "supplier_status": p.supplier_status,
        "owner": user_ref(p.owner),
        "country": p.country,
        "province": p.province,
        "city": p.city,
        "tags": [{"id": t.pk, "name": t.name, "color": t.color} for t in p.tags.all()],
        "archived": p.archived_at is not None,
        "merged_into": p.merged_into_id,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def address_json(a: Address) -> dict:
    return {
        f: getattr(a, f)
        for f in [
            "id",
            "party_id",
            "kind",
            "country",
            "province",
            "city",
            "district",
            "province_code",
            "city_code",
            "district_code",
            "street",
            "postal_code",
            "is_primary",
            "version",
        ]
    }


def _as_written(actor, pk) -> Party:
    """A party this request has just written but the caller may no longer see (handed to an owner in
    another team): the write succeeded, so answer with the record rather than a 404 inviting a retry."""
    visible = sel.party_visible(actor=actor)
    employments = Employment.objects.filter(organization__in=visible).select_related("organization")
    return (
        Party.objects.select_related("owner")
        .prefetch_related(
            "tags",
            "identifiers",
            "contact_points",
            "addresses",
            Prefetch("employments", queryset=employments),
        )
        .get(pk=pk)
    )


def party_detail(actor, pk, kind: str | None = None, *, written: bool = False) -> dict:
    try:
        p = sel.party_detail(actor=actor, pk=pk, kind=kind)
    except NotFoundError:
        if not written:
            raise
        p = _as_written(actor, pk)
    data = party_item(p)
    for f in [
        "legal_name",
        "industry",
        "size",
        "website",
        "notes",
        "invoice_title",
        "invoice_tax_number",
        "invoice_bank_name",
        "invoice_bank_account",
        "invoice_address",
        "invoice_phone",
        "wechat_id",
        "preferred_language",
        "marketing_consent",
        "consent_at",
        "consent_source",
        "version",
    ]:
        data[f] = getattr(p, f)
    points = list(p.contact_points.all())
    data["identifiers"] = [
        {"scheme": i.scheme, "country": i.country, "value": i.value} for i in p.identifiers.all()
    ]
    data["phones"] = [c.value for c in points if c.kind == "phone"]
    data["emails"] = [c.value for c in points if c.kind == "email"]
    data["addresses"] = [address_json(a) for a in p.addresses.all()]
    data["organizations"] = [
        {
            "organization_id": e.organization_id,
            "organization_name": e.organization.name,
            "job_title": e.job_title,
        }
        for e in p.employments.all()
    ]
    return data


def party_page(request, query: PartyQuery, kind: str) -> dict:
    filters = party_filters(query, kind)
    results = sel.party_results(actor=request.user, filters=filters)
    qs = sel.party_list_rows(results.qs)
    page = keyset_page(qs, ordering=results.ordering, cursor=query.cursor, limit=query.limit)
    return {
        "items": [party_item(p) for p in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
        "truncated": results.truncated,
    }


def split_payload(payload: Schema, *, exclude_unset: bool) -> tuple[dict, svc.PartyExtras, dict]:
    data = payload.dict(exclude_unset=exclude_unset)
    extras = svc.PartyExtras(
        identifiers=data.pop("identifiers", None),
        phones=data.pop("phones", None),
        emails=data.pop("emails", None),
        tag_ids=data.pop("tag_ids", None),
    )
    control = {
        k: data.pop(k)
        for k in ["version", "address", "allow_duplicates", "organization_id", "job_title"]
        if k in data
    }
    if "owner_id" in data:
        owner = data.pop("owner_id")
        if owner is not None or exclude_unset:  # on create, no owner means the acting user
            data["owner"] = owner
    for k in ("industry", "size", "customer_status", "supplier_status", "preferred_language"):
        if k in data and data[k] is None:
            data[k] = ""
    return data, extras, control


def kind_get(request, pk: int, kind: str, mode: str = "view") -> Party:
    party = sel.party_get(actor=request.user, pk=pk, mode=mode)
    if party.kind != kind:
        raise NotFoundError()
    return party


def archive(request, pk: int, payload: ArchiveIn, kind: str):
    party = kind_get(request, pk, kind)
    if payload.archived:
        svc.party_archive(actor=request.user, party=party)
    else:
        svc.party_restore(actor=request.user, party=party)
    return party_detail(request.user, pk)

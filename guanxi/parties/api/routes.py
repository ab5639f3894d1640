"""/api/v1/organizations, /contacts, /addresses, /tags: parse, call a selector or service, return."""

from __future__ import annotations

from typing import Annotated, Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.exceptions import NotFoundError
from guanxi.core.pagination import keyset_page
from guanxi.parties.api.schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    ArchiveIn,
    ContactIn,
    ContactPatch,
    EmploymentIn,
    Id,
    OrganizationIn,
    OrganizationPatch,
    PartyOut,
    PartyPage,
    TagIn,
    TagOut,
    TagPatch,
)
from guanxi.parties.choices import CustomerStatus, Industry, PartyKind, SupplierStatus
from guanxi.parties.models import Address, Employment, Party, Tag
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import addresses as addr_svc
from guanxi.parties.services import employment as employment_svc
from guanxi.parties.services import parties as svc
from guanxi.parties.services import tags as tag_svc

router = Router()


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
    sort: Literal["name", "-name", "created", "-created", "-updated"] = "name"
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


def _filters(query: PartyQuery, kind: str) -> sel.PartyFilters:
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
        sort=query.sort,
    )


def _user(u):
    return {"id": u.pk, "username": u.username} if u else None


def _item(p: Party) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "name": p.name,
        "short_name": p.short_name,
        "is_customer": p.is_customer,
        "customer_status": p.customer_status,
        "is_supplier": p.is_supplier,
        "supplier_status": p.supplier_status,
        "owner": _user(p.owner),
        "country": p.country,
        "province": p.province,
        "city": p.city,
        "tags": [{"id": t.pk, "name": t.name, "color": t.color} for t in p.tags.all()],
        "archived": p.archived_at is not None,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def _address(a: Address) -> dict:
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


def _detail(actor, pk, kind: str | None = None, *, written: bool = False) -> dict:
    try:
        p = sel.party_detail(actor=actor, pk=pk, kind=kind)
    except NotFoundError:
        if not written:
            raise
        p = _as_written(actor, pk)
    data = _item(p)
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
    data["addresses"] = [_address(a) for a in p.addresses.all()]
    data["organizations"] = [
        {
            "organization_id": e.organization_id,
            "organization_name": e.organization.name,
            "job_title": e.job_title,
        }
        for e in p.employments.all()
    ]
    return data


def _page(request, query: PartyQuery, kind: str) -> dict:
    filters = _filters(query, kind)
    results = sel.party_results(actor=request.user, filters=filters)
    qs = sel.party_list_rows(results.qs)
    page = keyset_page(qs, ordering=sel.SORTS[filters.sort], cursor=query.cursor, limit=query.limit)
    return {
        "items": [_item(p) for p in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
        "truncated": results.truncated,
    }


def _split(payload: Schema, *, exclude_unset: bool) -> tuple[dict, svc.PartyExtras, dict]:
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


# Organizations -------------------------------------------------------------------------------------------


@router.get("/organizations", response={200: PartyPage, **responses(*STD)}, tags=["organizations"])
def list_organizations(request, query: Query[PartyQuery]):
    return _page(request, query, PartyKind.ORGANIZATION)


@router.post("/organizations", response={201: PartyOut, **responses(*STD, 409)}, tags=["organizations"])
def create_organization(request, payload: OrganizationIn):
    data, extras, control = _split(payload, exclude_unset=False)
    party = svc.party_create(
        actor=request.user,
        data={"kind": PartyKind.ORGANIZATION, **data},
        extras=extras,
        address=control.get("address"),
        allow_duplicates=control.get("allow_duplicates", False),
    )
    return Status(201, _detail(request.user, party.pk, written=True))


@router.get("/organizations/{id}", response={200: PartyOut, **responses(*STD)}, tags=["organizations"])
def get_organization(request, id: Id):
    return _detail(request.user, id, PartyKind.ORGANIZATION)


@router.patch("/organizations/{id}", response={200: PartyOut, **responses(*STD, 409)}, tags=["organizations"])
def update_organization(request, id: Id, payload: OrganizationPatch):
    party = _kind_get(request, id, PartyKind.ORGANIZATION)
    data, extras, control = _split(payload, exclude_unset=True)
    svc.party_update(actor=request.user, party=party, version=control["version"], data=data, extras=extras)
    return _detail(request.user, id, written=True)


@router.post(
    "/organizations/{id}/archive", response={200: PartyOut, **responses(*STD)}, tags=["organizations"]
)
def archive_organization(request, id: Id, payload: ArchiveIn):
    return _archive(request, id, payload, PartyKind.ORGANIZATION)


# Contacts (people) -----------------------------------------------------------------------------------------


@router.get("/contacts", response={200: PartyPage, **responses(*STD)}, tags=["contacts"])
def list_contacts(request, query: Query[PartyQuery]):
    return _page(request, query, PartyKind.PERSON)


@router.post("/contacts", response={201: PartyOut, **responses(*STD, 409)}, tags=["contacts"])
def create_contact(request, payload: ContactIn):
    data, extras, control = _split(payload, exclude_unset=False)
    org = None
    if control.get("organization_id"):
        org = _kind_get(request, control["organization_id"], PartyKind.ORGANIZATION)
    party = svc.party_create(
        actor=request.user,
        data={"kind": PartyKind.PERSON, **data},
        extras=extras,
        organization=org,
        job_title=control.get("job_title", ""),
        allow_duplicates=control.get("allow_duplicates", False),
    )
    return Status(201, _detail(request.user, party.pk, written=True))


@router.get("/contacts/{id}", response={200: PartyOut, **responses(*STD)}, tags=["contacts"])
def get_contact(request, id: Id):
    return _detail(request.user, id, PartyKind.PERSON)


@router.patch("/contacts/{id}", response={200: PartyOut, **responses(*STD, 409)}, tags=["contacts"])
def update_contact(request, id: Id, payload: ContactPatch):
    party = _kind_get(request, id, PartyKind.PERSON)
    data, extras, control = _split(payload, exclude_unset=True)
    svc.party_update(actor=request.user, party=party, version=control["version"], data=data, extras=extras)
    return _detail(request.user, id, written=True)


@router.post("/contacts/{id}/archive", response={200: PartyOut, **responses(*STD)}, tags=["contacts"])
def archive_contact(request, id: Id, payload: ArchiveIn):
    return _archive(request, id, payload, PartyKind.PERSON)


@router.post("/contacts/{id}/organizations", response={201: PartyOut, **responses(*STD)}, tags=["contacts"])
def link_contact(request, id: Id, payload: EmploymentIn):
    """Make the contact a contact of an organization (or change the job title there)."""
    person = _kind_get(request, id, PartyKind.PERSON)
    org = _kind_get(request, payload.organization_id, PartyKind.ORGANIZATION)
    employment_svc.employment_add(
        actor=request.user, person=person, organization=org, job_title=payload.job_title
    )
    return Status(201, _detail(request.user, id))


@router.delete(
    "/contacts/{id}/organizations/{organization_id}",
    response={204: None, **responses(*STD)},
    tags=["contacts"],
)
def unlink_contact(request, id: Id, organization_id: Id):
    person = _kind_get(request, id, PartyKind.PERSON)
    # The organization first: an invisible one is a 404 whether or not the link exists (no oracle).
    org = _kind_get(request, organization_id, PartyKind.ORGANIZATION)
    employment = get_object_or_404(Employment, person=person, organization=org)
    employment_svc.employment_remove(actor=request.user, employment=employment)
    return Status(204, None)


def _kind_get(request, pk: int, kind: str, mode: str = "view") -> Party:
    party = sel.party_get(actor=request.user, pk=pk, mode=mode)
    if party.kind != kind:
        from guanxi.core.exceptions import NotFoundError

        raise NotFoundError()
    return party


def _archive(request, pk: int, payload: ArchiveIn, kind: str):
    party = _kind_get(request, pk, kind)
    if payload.archived:
        svc.party_archive(actor=request.user, party=party)
    else:
        svc.party_restore(actor=request.user, party=party)
    return _detail(request.user, pk)


# Addresses -------------------------------------------------------------------------------------------------


@router.get(
    "/parties/{id}/addresses", response={200: list[AddressOut], **responses(*STD)}, tags=["addresses"]
)
def list_addresses(request, id: Id):
    party = sel.party_get(actor=request.user, pk=id)
    return [_address(a) for a in party.addresses.all()]


@router.post("/parties/{id}/addresses", response={201: AddressOut, **responses(*STD)}, tags=["addresses"])
def create_address(request, id: Id, payload: AddressIn):
    party = sel.party_get(actor=request.user, pk=id)
    return Status(
        201, _address(addr_svc.address_create(actor=request.user, party=party, data=payload.dict()))
    )


def _get_address(request, id: int) -> Address:
    visible = sel.party_visible(actor=request.user)
    return get_object_or_404(Address.objects.select_related("party"), pk=id, party__in=visible)


@router.get("/addresses/{id}", response={200: AddressOut, **responses(*STD)}, tags=["addresses"])
def get_address(request, id: Id):
    return _address(_get_address(request, id))


@router.patch("/addresses/{id}", response={200: AddressOut, **responses(*STD, 409)}, tags=["addresses"])
def update_address(request, id: Id, payload: AddressPatch):
    address = _get_address(request, id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: v for k, v in data.items() if v is not None}
    return _address(addr_svc.address_update(actor=request.user, address=address, version=version, data=data))


@router.delete("/addresses/{id}", response={204: None, **responses(*STD)}, tags=["addresses"])
def delete_address(request, id: Id):
    addr_svc.address_delete(actor=request.user, address=_get_address(request, id))
    return Status(204, None)


# Tags ------------------------------------------------------------------------------------------------------


@router.get("/tags", response={200: list[TagOut], **responses(*STD)}, tags=["tags"])
def list_tags(request):
    return list(sel.tag_list(actor=request.user)[:1000])


@router.post("/tags", response={201: TagOut, **responses(*STD)}, tags=["tags"])
def create_tag(request, payload: TagIn):
    return Status(201, tag_svc.tag_create(actor=request.user, name=payload.name, color=payload.color))


def _get_tag(request, id: int) -> Tag:
    return get_object_or_404(sel.tag_list(actor=request.user), pk=id)


@router.get("/tags/{id}", response={200: TagOut, **responses(*STD)}, tags=["tags"])
def get_tag(request, id: Id):
    return _get_tag(request, id)


@router.patch("/tags/{id}", response={200: TagOut, **responses(*STD)}, tags=["tags"])
def update_tag(request, id: Id, payload: TagPatch):
    tag = _get_tag(request, id)
    data = payload.dict(exclude_unset=True)
    return tag_svc.tag_update(
        actor=request.user, tag=tag, name=data.get("name") or tag.name, color=data.get("color") or tag.color
    )


@router.delete("/tags/{id}", response={204: None, **responses(*STD)}, tags=["tags"])
def delete_tag(request, id: Id):
    tag_svc.tag_delete(actor=request.user, tag=_get_tag(request, id))
    return Status(204, None)

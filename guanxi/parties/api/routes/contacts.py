"""/api/v1/contacts (people) and their links to organizations: parse, call a selector or service, return."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.parties.api.routes.common import (
    PartyQuery,
    archive,
    kind_get,
    party_detail,
    party_page,
    split_payload,
)
from guanxi.parties.api.schemas import (
    ArchiveIn,
    ContactIn,
    ContactPatch,
    EmploymentIn,
    Id,
    PartyOut,
    PartyPage,
)
from guanxi.parties.choices import PartyKind
from guanxi.parties.models import Employment
from guanxi.parties.services import employment as employment_svc
from guanxi.parties.services import parties as svc

router = Router(tags=["contacts"])
PERSON = PartyKind.PERSON


@router.get("/contacts", response={200: PartyPage, **responses(*STD)})
def contacts_list(request, query: Query[PartyQuery]):
    return party_page(request, query, PERSON)


@router.post("/contacts", response={201: PartyOut, **responses(*STD, 409)})
def contacts_create(request, payload: ContactIn):
    data, extras, control = split_payload(payload, exclude_unset=False)
    org = None
    if control.get("organization_id"):
        org = kind_get(request, control["organization_id"], PartyKind.ORGANIZATION)
    party = svc.party_create(
        actor=request.user,
        data={"kind": PERSON, **data},
        extras=extras,
        organization=org,
        job_title=control.get("job_title", ""),
        allow_duplicates=control.get("allow_duplicates", False),
    )
    return Status(201, party_detail(request.user, party.pk, written=True))


@router.get("/contacts/{id}", response={200: PartyOut, **responses(*STD)})
def contacts_get(request, id: Id):
    return party_detail(request.user, id, PERSON)


@router.patch("/contacts/{id}", response={200: PartyOut, **responses(*STD, 409)})
def contacts_update(request, id: Id, payload: ContactPatch):
    party = kind_get(request, id, PERSON)
    data, extras, control = split_payload(payload, exclude_unset=True)
    svc.party_update(actor=request.user, party=party, version=control["version"], data=data, extras=extras)
    return party_detail(request.user, id, written=True)


@router.post("/contacts/{id}/archive", response={200: PartyOut, **responses(*STD)})
def contacts_archive(request, id: Id, payload: ArchiveIn):
    return archive(request, id, payload, PERSON)


@router.post("/contacts/{id}/organizations", response={201: PartyOut, **responses(*STD)})
def contacts_link_organization(request, id: Id, payload: EmploymentIn):
    """Make the contact a contact of an organization (or change the job title there)."""
    person = kind_get(request, id, PERSON)
    org = kind_get(request, payload.organization_id, PartyKind.ORGANIZATION)
    employment_svc.employment_add(
        actor=request.user, person=person, organization=org, job_title=payload.job_title
    )
    return Status(201, party_detail(request.user, id))


@router.delete("/contacts/{id}/organizations/{organization_id}", response={204: None, **responses(*STD)})
def contacts_unlink_organization(request, id: Id, organization_id: Id):
    person = kind_get(request, id, PERSON)
    # The organization first: an invisible one is a 404 whether or not the link exists (no oracle).
    org = kind_get(request, organization_id, PartyKind.ORGANIZATION)
    employment = get_object_or_404(Employment, person=person, organization=org)
    employment_svc.employment_remove(actor=request.user, employment=employment)
    return Status(204, None)

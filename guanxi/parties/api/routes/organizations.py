"""/api/v1/organizations: parse, call a selector or service, return."""

from __future__ import annotations

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
from guanxi.parties.api.schemas import ArchiveIn, Id, OrganizationIn, OrganizationPatch, PartyOut, PartyPage
from guanxi.parties.choices import PartyKind
from guanxi.parties.services import parties as svc

router = Router(tags=["organizations"])
ORG = PartyKind.ORGANIZATION


@router.get("/organizations", response={200: PartyPage, **responses(*STD)})
def organizations_list(request, query: Query[PartyQuery]):
    return party_page(request, query, ORG)


@router.post("/organizations", response={201: PartyOut, **responses(*STD, 409)})
def organizations_create(request, payload: OrganizationIn):
    data, extras, control = split_payload(payload, exclude_unset=False)
    party = svc.party_create(
        actor=request.user,
        data={"kind": ORG, **data},
        extras=extras,
        address=control.get("address"),
        allow_duplicates=control.get("allow_duplicates", False),
    )
    return Status(201, party_detail(request.user, party.pk, written=True))


@router.get("/organizations/{id}", response={200: PartyOut, **responses(*STD)})
def organizations_get(request, id: Id):
    return party_detail(request.user, id, ORG)


@router.patch("/organizations/{id}", response={200: PartyOut, **responses(*STD, 409)})
def organizations_update(request, id: Id, payload: OrganizationPatch):
    party = kind_get(request, id, ORG)
    data, extras, control = split_payload(payload, exclude_unset=True)
    svc.party_update(actor=request.user, party=party, version=control["version"], data=data, extras=extras)
    return party_detail(request.user, id, written=True)


@router.post("/organizations/{id}/archive", response={200: PartyOut, **responses(*STD)})
def organizations_archive(request, id: Id, payload: ArchiveIn):
    return archive(request, id, payload, ORG)

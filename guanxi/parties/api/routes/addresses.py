"""/api/v1/parties/{id}/addresses and /addresses: parse, call a selector or service, return."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.parties.api.routes.common import address_json
from guanxi.parties.api.schemas import AddressIn, AddressOut, AddressPatch, Id
from guanxi.parties.models import Address
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import addresses as addr_svc

router = Router(tags=["addresses"])


@router.get("/parties/{id}/addresses", response={200: list[AddressOut], **responses(*STD)})
def addresses_list(request, id: Id):
    party = sel.party_get(actor=request.user, pk=id)
    return [address_json(a) for a in party.addresses.all()]


@router.post("/parties/{id}/addresses", response={201: AddressOut, **responses(*STD)})
def addresses_create(request, id: Id, payload: AddressIn):
    party = sel.party_get(actor=request.user, pk=id)
    address = addr_svc.address_create(actor=request.user, party=party, data=payload.dict())
    return Status(201, address_json(address))


def _get_address(request, id: int) -> Address:
    visible = sel.party_visible(actor=request.user)
    return get_object_or_404(Address.objects.select_related("party"), pk=id, party__in=visible)


@router.get("/addresses/{id}", response={200: AddressOut, **responses(*STD)})
def addresses_get(request, id: Id):
    return address_json(_get_address(request, id))


@router.patch("/addresses/{id}", response={200: AddressOut, **responses(*STD, 409)})
def addresses_update(request, id: Id, payload: AddressPatch):
    address = _get_address(request, id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: v for k, v in data.items() if v is not None}
    return address_json(
        addr_svc.address_update(actor=request.user, address=address, version=version, data=data)
    )


@router.delete("/addresses/{id}", response={204: None, **responses(*STD)})
def addresses_delete(request, id: Id):
    addr_svc.address_delete(actor=request.user, address=_get_address(request, id))
    return Status(204, None)

"""Parties made through the services, as users make them."""

from __future__ import annotations

import itertools

from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.parties.services.parties import PartyExtras, party_create

_seq = itertools.count(1)


def make_org(
    actor,
    name: str | None = None,
    *,
    customer: bool = True,
    supplier: bool = False,
    owner=None,
    phones=None,
    emails=None,
    identifiers=None,
    address=None,
    **data,
):
    name = name or f"Test Organization {next(_seq)}"
    status = data.pop("supplier_status", "")  # set by the lifecycle, not by the party's form: as that does
    payload = {"kind": "organization", "name": name, "is_customer": customer, "is_supplier": supplier, **data}
    if owner is not None:
        payload["owner"] = owner
    party = party_create(
        actor=actor,
        data=payload,
        extras=PartyExtras(phones=phones, emails=emails, identifiers=identifiers),
        address=address,
        allow_duplicates=True,
    )
    if status:
        party_set_supplier_status(actor=actor, party=party, status=status, reason="test data")
    return party


def make_person(
    actor,
    name: str | None = None,
    *,
    organization=None,
    job_title: str = "",
    phones=None,
    emails=None,
    **data,
):
    name = name or f"Person {next(_seq)}"
    return party_create(
        actor=actor,
        data={"kind": "person", "name": name, **data},
        extras=PartyExtras(phones=phones, emails=emails),
        organization=organization,
        job_title=job_title,
        allow_duplicates=True,
    )

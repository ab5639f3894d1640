"""Addresses of a party. The primary address also sets the party's country/province/city filters."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.parties.choices import AddressKind
from guanxi.parties.models import Address, Party
from guanxi.parties.selectors.visibility import party_scope_q
from guanxi.parties.validation import clean_text

ADDRESS_FIELDS = ["kind", "country", "province", "city", "district", "street", "postal_code", "is_primary"]


def _check(actor, party: Party) -> None:
    if not grants_for(actor).can(Action.PARTY_CHANGE) and not grants_for(actor).can(Action.PARTY_CREATE):
        raise PermissionDeniedError()
    q = party_scope_q(actor, mode="edit")
    if q is not None and not Party.objects.filter(q, pk=party.pk).exists():
        raise PermissionDeniedError(_("You may see this record but not change it."))


def _clean(data: dict) -> dict:
    errors, out = {}, {}
    for name, value in data.items():
        if name not in ADDRESS_FIELDS:
            errors[name] = _("This field cannot be set.")
            continue
        if name == "is_primary":
            out[name] = bool(value)
            continue
        try:
            out[name] = clean_text(value or "")
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if "country" in out:
        out["country"] = out["country"].upper()
    if "country" in out and out["country"] not in phonenumbers.SUPPORTED_REGIONS:
        errors["country"] = _("Use a two-letter country code such as CN or US.")
    if "kind" in out and out["kind"] not in AddressKind.values:
        errors["kind"] = _("Choose an address type.")
    if errors:
        raise ValidationError(errors)
    return out


def refresh_location(party: Party) -> None:
    """Copy the primary (else first) address's country, province and city onto the party."""
    addr = Address.objects.filter(party=party).order_by("-is_primary", "id").first()
    loc = (addr.country, addr.province, addr.city) if addr else ("", "", "")
    if (party.country, party.province, party.city) != loc:
        Party.objects.filter(pk=party.pk).update(country=loc[0], province=loc[1], city=loc[2])
        party.country, party.province, party.city = loc


@transaction.atomic
def address_create(*, actor, party: Party, data: dict) -> Address:
    """Add an address (also the first one given with a new party): always audited on the party's history."""
    _check(actor, party)
    address = Address(party=party, **_clean(data))
    address.full_clean(exclude=["party"])
    if address.is_primary or not party.addresses.exists():
        party.addresses.update(is_primary=False)
        address.is_primary = True
    address.save()
    refresh_location(party)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=address,
        subject=party,
        changes={k: [None, v] for k, v in snapshot(address, ADDRESS_FIELDS).items() if v},
    )
    return address


@transaction.atomic
def address_update(*, actor, address: Address, version: int | None, data: dict) -> Address:
    _check(actor, address.party)
    current = Address.objects.select_for_update().get(pk=address.pk)
    if version is not None and current.version != int(version):
        raise ConflictError()
    before = snapshot(current, ADDRESS_FIELDS)
    for k, v in _clean(data).items():
        setattr(current, k, v)
    current.full_clean(exclude=["party"])
    others = Address.objects.filter(party_id=current.party_id).exclude(pk=current.pk)
    if current.is_primary:
        others.update(is_primary=False)
    elif not others.filter(is_primary=True).exists():
        # Un-ticking "primary" on the primary address: the next one takes over, or it stays primary alone.
        nxt = others.order_by("id").first()
        if nxt is None:
            current.is_primary = True
        else:
            others.filter(pk=nxt.pk).update(is_primary=True)
    current.version += 1
    current.save()
    refresh_location(current.party)
    changes = diff(before, snapshot(current, ADDRESS_FIELDS))
    if changes:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=current, subject=current.party, changes=changes
        )
    return current


@transaction.atomic
def address_delete(*, actor, address: Address) -> None:
    party = address.party
    _check(actor, party)
    snap = snapshot(address, ADDRESS_FIELDS)
    text, pk = str(address), address.pk
    address.delete()
    address.pk = pk
    if snap["is_primary"]:
        nxt = Address.objects.filter(party=party).order_by("id").first()
        if nxt:
            Address.objects.filter(pk=nxt.pk).update(is_primary=True)
    refresh_location(party)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        target=address,
        subject=party,
        changes={"address": [text, None]},
    )

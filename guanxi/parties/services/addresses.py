"""Addresses of a party. The primary address also sets the party's country/province/city filters.

In China the province, city and district come from the national division table (guanxi/parties/regions.py):
codes from a picker, or names typed through the API or an import, resolved to codes or refused with what
was meant. docs/subsystems/addresses.md.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.parties import regions
from guanxi.parties.choices import AddressKind
from guanxi.parties.models import Address, Party
from guanxi.parties.permissions import Action
from guanxi.parties.selectors.visibility import party_scope_q
from guanxi.parties.validation import clean_text

ADDRESS_FIELDS = ["kind", "country", "province", "city", "district", "street", "postal_code", "is_primary"]
CODE_FIELDS = ["province_code", "city_code", "district_code"]  # China only: GB/T 2260 (see regions.py)
LOCATION_FIELDS = ["province", "city", "district", *CODE_FIELDS]


def _check(actor, party: Party) -> None:
    if not grants_for(actor).can(Action.PARTY_CHANGE) and not grants_for(actor).can(Action.PARTY_CREATE):
        raise PermissionDeniedError()
    q = party_scope_q(actor, mode="edit")
    if q is not None and not Party.objects.filter(q, pk=party.pk).exists():
        raise PermissionDeniedError(_("You may see this record but not change it."))


def _clean(data: dict) -> dict:
    errors: dict[str, str] = {}
    out: dict[str, str | bool] = {}
    for name, value in data.items():
        if name not in ADDRESS_FIELDS and name not in CODE_FIELDS:
            errors[name] = _("This field cannot be set.")
            continue
        if name == "is_primary":
            out[name] = bool(value)
            continue
        try:
            text = clean_text(value or "")
        except ValidationError as exc:
            errors[name] = exc.messages[0]
            continue
        out[name] = text.upper() if name == "country" else text
    if "country" in out and out["country"] not in phonenumbers.SUPPORTED_REGIONS:
        errors["country"] = _("Use a two-letter country code such as CN or US.")
    if "kind" in out and out["kind"] not in AddressKind.values:
        errors["kind"] = _("Choose an address type.")
    if errors:
        raise ValidationError(errors)
    return out


def _merge_location(current: Address, changes: dict) -> dict:
    """What the location fields are after `changes`: a level given by code takes that code, a level given
    by name is resolved again from that name, and the levels below a changed one that the change does not
    give are cleared (a district of the old city does not lie in the new one), as a picker does."""
    values, changed = {f: getattr(current, f) for f in LOCATION_FIELDS}, False
    for level in ("province", "city", "district"):
        code, name = changes.get(f"{level}_code", ""), changes.get(level, "")
        if code or name or f"{level}_code" in changes or level in changes:
            # A code wins over a name (the name follows from it); both blank: a blank level.
            values[f"{level}_code"], values[level], changed = code, "" if code else name, True
        elif changed:
            values[f"{level}_code"], values[level] = "", ""
    return values


def _locate(address: Address, values: dict) -> None:
    """Set the address's location: in China checked against the division table (codes and official names
    that nest: 广东省 + 北京市 is refused), elsewhere the names as typed."""
    if address.country != "CN":
        for level in ("province", "city", "district"):
            setattr(address, level, values.get(level, ""))
            setattr(address, f"{level}_code", "")
        return
    given = {
        k: v
        for k, v in values.items()
        if v and (k in CODE_FIELDS or not values.get(f"{k}_code"))  # a code wins over a name
    }
    for field, value in regions.locate(**given).fields().items():
        setattr(address, field, value)


def refresh_location(party: Party) -> None:
    """Copy the primary (else first) address's country, province and city (names and codes) onto the party."""
    addr = Address.objects.filter(party=party).order_by("-is_primary", "id").first()
    fields = ("country", "province", "city", "province_code", "city_code")
    loc = tuple(getattr(addr, f) for f in fields) if addr else ("",) * len(fields)
    if tuple(getattr(party, f) for f in fields) != loc:
        Party.objects.filter(pk=party.pk).update(**dict(zip(fields, loc, strict=True)))
        for f, v in zip(fields, loc, strict=True):
            setattr(party, f, v)


@transaction.atomic
def address_create(*, actor, party: Party, data: dict) -> Address:
    """Add an address (also the first one given with a new party): always audited on the party's history."""
    _check(actor, party)
    values = _clean(data)
    address = Address(party=party, **{k: v for k, v in values.items() if k not in LOCATION_FIELDS})
    _locate(address, {k: v for k, v in values.items() if k in LOCATION_FIELDS})
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
    changes = _clean(data)
    for k, v in changes.items():
        if k not in LOCATION_FIELDS:
            setattr(current, k, v)
    if set(changes) & {"country", *LOCATION_FIELDS}:  # other edits leave a location as it was saved
        _locate(current, _merge_location(current, changes))
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

"""A party's lists (identifiers, phones, emails, tags): writing them, their audit snapshot, the search columns."""

from __future__ import annotations

from guanxi.parties.choices import ContactPointKind
from guanxi.parties.models import ContactPoint, Party, PartyIdentifier
from guanxi.parties.search import build_search_fields
from guanxi.parties.validation import phone_without_extension


def extras_snapshot(party: Party) -> dict:
    return {
        "identifiers": sorted(f"{i.scheme}:{i.value}" for i in party.identifiers.all()),
        "phones": [c.value for c in party.contact_points.all() if c.kind == ContactPointKind.PHONE],
        "emails": [c.value for c in party.contact_points.all() if c.kind == ContactPointKind.EMAIL],
        "tags": sorted(t.name for t in party.tags.all()),
    }


def write_extras(party: Party, clean: dict) -> None:
    if "identifiers" in clean:
        party.identifiers.all().delete()
        PartyIdentifier.objects.bulk_create(PartyIdentifier(party=party, **i) for i in clean["identifiers"])
    for kind, key in ((ContactPointKind.PHONE, "phones"), (ContactPointKind.EMAIL, "emails")):
        if key in clean:
            party.contact_points.filter(kind=kind).delete()
            rows = []
            for n, item in enumerate(clean[key]):
                value, norm = item if kind == ContactPointKind.PHONE else (item, item.lower())
                rows.append(
                    ContactPoint(party=party, kind=kind, value=value, normalized=norm, is_primary=n == 0)
                )
            ContactPoint.objects.bulk_create(rows)
    if "tags" in clean:
        party.tags.set(clean["tags"])


def refresh_search(party: Party) -> None:
    """Recompute the search columns from the party's names, identifiers, emails and phones."""
    points = list(party.contact_points.values_list("kind", "normalized"))
    doc, short = build_search_fields(
        names=[party.name, party.short_name, party.legal_name],
        identifiers=list(party.identifiers.values_list("value", flat=True)),
        emails=[n for k, n in points if k == ContactPointKind.EMAIL],
        phones_e164=[phone_without_extension(n) for k, n in points if k == ContactPointKind.PHONE],
    )
    Party.objects.filter(pk=party.pk).update(search_doc=doc, search_short=short)
    party.search_doc, party.search_short = doc, short


def duplicate_inputs(clean: dict) -> dict:
    return {
        "identifiers": [i["value"] for i in clean.get("identifiers", [])],
        "emails": clean.get("emails", []),
        "phones_e164": [phone_without_extension(p[1]) for p in clean.get("phones", [])],
    }

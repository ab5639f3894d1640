"""A party's lists (identifiers, phones, emails, tags): writing them, their audit snapshot, the search columns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from guanxi.parties.choices import ContactPointKind
from guanxi.parties.models import ContactPoint, Party, PartyGram, PartyIdentifier
from guanxi.parties.search import GRAM_PREFIX, build_search_fields, name_keys, search_grams
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.validation import phone_without_extension


def _snapshot(*, identifiers, phones: list[str], emails: list[str], tags) -> dict:
    identifiers = sorted(
        ({"scheme": i["scheme"], "country": i["country"], "value": i["value"]} for i in identifiers),
        key=lambda i: (i["scheme"], i["country"], i["value"]),
    )
    return {
        "identifiers": identifiers,
        "phones": phones,
        "emails": emails,
        "main_phone": phones[0] if phones else None,
        "main_email": emails[0] if emails else None,
        "tags": sorted(t.name for t in tags),
    }


def extras_snapshot(party: Party) -> dict:
    """The party's lists as the audit records them. Identifiers are {scheme, country, value} (the history
    shows the scheme's name and, for VAT, the country); phones and emails keep their order, and the first
    one, the main one, is recorded on its own so that a reorder reads as a change of the main number."""
    points = list(party.contact_points.all())
    return _snapshot(
        identifiers=[
            {"scheme": i.scheme, "country": i.country, "value": i.value} for i in party.identifiers.all()
        ],
        phones=[c.value for c in points if c.kind == ContactPointKind.PHONE],
        emails=[c.value for c in points if c.kind == ContactPointKind.EMAIL],
        tags=party.tags.all(),
    )


REGISTERED = ("cn_uscc", "vat")  # one company, one party: unique across all parties (a database constraint)


def registered_elsewhere(*, actor, clean: dict, exclude_pk: int | None) -> None:
    """Refuse a unified social credit code, or a VAT number in its country, that another party has.

    Every party is looked at, not only those the user may see; the message says that the company is already
    registered and who owns it, and names it only to someone who may open it."""
    errors = {}
    for i, ident in enumerate(clean.get("identifiers", [])):
        if ident["scheme"] not in REGISTERED:
            continue
        holders = PartyIdentifier.objects.filter(
            scheme=ident["scheme"], country=ident["country"], value=ident["value"]
        )
        if exclude_pk is not None:  # the party being edited may keep its own
            holders = holders.exclude(party_id=exclude_pk)
        holder = holders.select_related("party__owner").first()
        if holder is not None:
            errors[f"identifiers[{i}]"] = _registered_message(actor, holder.party)
    if errors:
        raise ValidationError(errors)


def _registered_message(actor, party: Party) -> str:
    owner = str(party.owner) if party.owner else _("nobody (unassigned)")
    if party_visible(actor=actor).filter(pk=party.pk).exists():
        return _("This company is already registered as “%(name)s” (owner: %(owner)s).") % {
            "name": party.name,
            "owner": owner,
        }
    return _(
        "This company is already registered (owner: %(owner)s). Ask the owner or an administrator to give "
        "you access, or to add your role to it."
    ) % {"owner": owner}


def clean_snapshot(clean: dict) -> dict:
    """What extras_snapshot would read back after a new party's lists are written, from the clean input
    (creating a party reads nothing back)."""
    return _snapshot(
        identifiers=clean.get("identifiers", []),
        phones=[display for display, _e164 in clean.get("phones", [])],
        emails=list(clean.get("emails", [])),
        tags=clean.get("tags", []),
    )


def write_extras(party: Party, clean: dict, *, actor=None, new: bool = False) -> None:
    """Replace the lists given in `clean` (a `new` party has none to delete first)."""
    if "identifiers" in clean:
        if not new:
            party.identifiers.all().delete()
        try:
            with transaction.atomic():  # a savepoint: a concurrent registration loses cleanly
                PartyIdentifier.objects.bulk_create(
                    PartyIdentifier(party=party, **i) for i in clean["identifiers"]
                )
        except IntegrityError:
            registered_elsewhere(actor=actor, clean=clean, exclude_pk=party.pk)
            raise
    for kind, key in ((ContactPointKind.PHONE, "phones"), (ContactPointKind.EMAIL, "emails")):
        if key in clean:
            if not new:
                party.contact_points.filter(kind=kind).delete()
            rows = []
            for n, item in enumerate(clean[key]):
                value, norm = item if kind == ContactPointKind.PHONE else (item, item.lower())
                domain = norm.rpartition("@")[2] if kind == ContactPointKind.EMAIL else ""
                number = phone_without_extension(norm) if kind == ContactPointKind.PHONE else ""
                rows.append(
                    ContactPoint(
                        party=party,
                        kind=kind,
                        value=value,
                        normalized=norm,
                        domain=domain,
                        number=number,
                        is_primary=n == 0,
                    )
                )
            ContactPoint.objects.bulk_create(rows)
    if "tags" in clean:
        if new:
            through = Party.tags.through
            through.objects.bulk_create(through(party_id=party.pk, tag_id=t.pk) for t in clean["tags"])
        else:
            party.tags.set(clean["tags"])


def set_search_fields(party: Party, clean: dict) -> set[str]:
    """Fill the search columns and name keys of a party not yet saved, from its clean lists; returns its
    search grams, to post once it has an id (post_grams)."""
    party.search_doc, party.search_short = build_search_fields(
        names=[party.name, party.short_name, party.legal_name],
        identifiers=[i["value"] for i in clean.get("identifiers", [])],
        emails=[e.lower() for e in clean.get("emails", [])],
        phones_e164=[phone_without_extension(e164) for _display, e164 in clean.get("phones", [])],
    )
    party.name_key, party.core_key, party.sort_key = name_keys(party.name)
    return search_grams([party.name, party.short_name, party.legal_name])


def post_grams(party: Party, grams: set[str]) -> None:
    prefix = party.sort_key[:GRAM_PREFIX]
    PartyGram.objects.bulk_create(PartyGram(gram=g, sort_prefix=prefix, party_id=party.pk) for g in grams)


def refresh_search(party: Party) -> None:
    """Recompute the search columns and name keys from the party's names, identifiers, emails and phones."""
    points = list(party.contact_points.values_list("kind", "normalized"))
    doc, short = build_search_fields(
        names=[party.name, party.short_name, party.legal_name],
        identifiers=list(party.identifiers.values_list("value", flat=True)),
        emails=[n for k, n in points if k == ContactPointKind.EMAIL],
        phones_e164=[phone_without_extension(n) for k, n in points if k == ContactPointKind.PHONE],
    )
    key, core, sort = name_keys(party.name)
    Party.objects.filter(pk=party.pk).update(
        search_doc=doc, search_short=short, name_key=key, core_key=core, sort_key=sort
    )
    grams = search_grams([party.name, party.short_name, party.legal_name])
    prefix = sort[:GRAM_PREFIX]
    posted = set(PartyGram.objects.filter(party_id=party.pk).values_list("gram", "sort_prefix"))
    wanted = {(g, prefix) for g in grams}
    if posted != wanted:
        PartyGram.objects.filter(party_id=party.pk).delete()
        PartyGram.objects.bulk_create(PartyGram(gram=g, sort_prefix=prefix, party_id=party.pk) for g in grams)
    party.search_doc, party.search_short = doc, short
    party.name_key, party.core_key, party.sort_key = key, core, sort


def duplicate_inputs(clean: dict) -> dict:
    return {
        "identifiers": [i["value"] for i in clean.get("identifiers", [])],
        "emails": clean.get("emails", []),
        "phones_e164": [phone_without_extension(p[1]) for p in clean.get("phones", [])],
    }

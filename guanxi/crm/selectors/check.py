"""查重 (check before entering): what a rep types — a company name, a phone, an email, a USCC — is looked up
among every party, visible or not; the answer says whether it exists and who holds it (an owner, or a pool),
and opens the record only for those who may see it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from guanxi.crm.models import PoolEntry
from guanxi.crm.selectors.leads import require_reader
from guanxi.parties.choices import PartyKind
from guanxi.parties.selectors.duplicates import DuplicateHit, find_duplicates
from guanxi.parties.validation import normalize_email, normalize_phone, phone_without_extension


@dataclass
class CheckHit:
    hit: DuplicateHit
    pool: str = ""  # the pool that holds it, when nobody does


def duplicate_check(*, actor, q: str) -> list[CheckHit]:
    require_reader(actor)
    q = " ".join((q or "").split())[:200]
    if len(q) < 2:
        return []
    identifiers, emails, phones = [], [], []
    compact = "".join(ch for ch in q if ch.isalnum()).upper()
    if uscc.is_valid(compact):
        identifiers.append(compact)
    if "@" in q:
        with contextlib.suppress(ValidationError):
            emails.append(normalize_email(q))
    elif sum(ch.isdigit() for ch in q) >= 7:
        with contextlib.suppress(ValidationError):
            phones.append(phone_without_extension(normalize_phone(q)[1]))
    name = "" if identifiers or emails or phones else q
    hits: list[DuplicateHit] = []
    for kind in (PartyKind.ORGANIZATION, PartyKind.PERSON):
        hits += find_duplicates(
            actor=actor,
            name=name,
            identifiers=identifiers,
            emails=emails,
            phones_e164=phones,
            kind=kind,
            limit=10,
        )
    entries = PoolEntry.objects.filter(party_id__in=[h.party.pk for h in hits if h.party.owner_id is None])
    pools = {e.party_id: e.pool.name for e in entries.select_related("pool")}  # in the user's language
    return [CheckHit(h, pools.get(h.party.pk, "")) for h in hits]

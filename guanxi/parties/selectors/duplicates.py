"""Possible duplicates of a party being created: same identifier, normalized name, email domain or phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from guanxi.parties.models import ContactPoint, Party, PartyIdentifier
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.validation import PUBLIC_EMAIL_DOMAINS, email_domain

_LEGAL_FORMS = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|集团|公司|\b(co|ltd|limited|inc|llc|gmbh|corp|corporation|company|"
    r"plc|ag|sa|group)\b\.?)",
    re.IGNORECASE,
)


def normalized_name(name: str) -> str:
    """'Acme Trading Co., Ltd.' -> 'acme trading'; '华为技术有限公司' -> '华为技术'."""
    n = _LEGAL_FORMS.sub(" ", name.lower())
    return " ".join(re.sub(r"[\W_]+", " ", n).split())


@dataclass
class DuplicateHit:
    party: Party
    reason: str


def find_duplicates(
    *,
    actor,
    name: str,
    identifiers: list[str],
    emails: list[str],
    phones_e164: list[str],
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[DuplicateHit]:
    """Existing parties the actor can see that look like the same one. Indexed look-ups only."""
    visible = party_visible(actor=actor)
    if exclude_pk:
        visible = visible.exclude(pk=exclude_pk)
    hits: dict[int, DuplicateHit] = {}

    def add(qs, reason: str) -> None:
        for p in qs.only("id", "name", "kind", "archived_at")[:limit]:
            hits.setdefault(p.pk, DuplicateHit(p, reason))

    if identifiers:
        ids = PartyIdentifier.objects.filter(value__in=identifiers).values("party_id")
        add(visible.filter(pk__in=ids), _("same identifier"))
    norm = normalized_name(name)
    if norm:
        add(visible.filter(name__iexact=name.strip()), _("same name"))
        if len(norm) >= 3 and len(hits) < limit:
            add(visible.filter(search_doc__contains=norm), _("similar name"))
    domains = {email_domain(e) for e in emails} - PUBLIC_EMAIL_DOMAINS
    for domain in sorted(domains):
        ids = ContactPoint.objects.filter(kind="email", normalized__endswith="@" + domain).values("party_id")
        add(visible.filter(pk__in=ids), _("same email domain"))
    if phones_e164:
        ids = ContactPoint.objects.filter(kind="phone", normalized__in=phones_e164).values("party_id")
        add(visible.filter(pk__in=ids), _("same phone"))
    return list(hits.values())[:limit]

"""Possible duplicates of a party being created or changed: same identifier, name, email domain or phone.

The check looks at every party, not only those the user may see (a Buyer must learn that the company is
already a customer), but tells about an invisible one only what is safe: that it exists and who owns it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from guanxi.parties.choices import PartyKind
from guanxi.parties.models import ContactPoint, Party, PartyIdentifier
from guanxi.parties.selectors.visibility import party_scope_q
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
    visible: bool = True  # False: the user may not open it; show only that it exists and its owner
    owner: str = ""


def find_duplicates(
    *,
    actor,
    name: str,
    identifiers: list[str],
    emails: list[str],
    phones_e164: list[str],
    kind: str = PartyKind.ORGANIZATION,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[DuplicateHit]:
    """Existing parties of the same kind that look like the same one, visible or not."""
    candidates = Party.objects.filter(kind=kind)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    found: dict[int, str] = {}

    def add(qs, reason: str) -> None:
        for pk in qs.values_list("pk", flat=True)[:limit]:
            found.setdefault(pk, reason)

    if identifiers:
        ids = PartyIdentifier.objects.filter(value__in=identifiers).values("party_id")
        add(candidates.filter(pk__in=ids), _("same identifier"))
    norm = normalized_name(name) if name else ""
    if norm:
        add(candidates.filter(name__iexact=name.strip()), _("same name"))
        if len(norm) >= 3 and len(found) < limit:
            add(candidates.filter(search_doc__contains=norm), _("similar name"))
    if kind == PartyKind.ORGANIZATION:
        # An email domain says "same company" only between organizations: a person shares it with the
        # employer and every colleague, which does not make them duplicates.
        domains = {email_domain(e) for e in emails} - PUBLIC_EMAIL_DOMAINS
        for domain in sorted(domains):
            ids = ContactPoint.objects.filter(kind="email", normalized__endswith="@" + domain).values(
                "party_id"
            )
            add(candidates.filter(pk__in=ids), _("same email domain"))
    if phones_e164:
        ids = ContactPoint.objects.filter(kind="phone", normalized__in=phones_e164).values("party_id")
        add(candidates.filter(pk__in=ids), _("same phone"))
    return _hits(actor, found, limit)


def _hits(actor, found: dict[int, str], limit: int) -> list[DuplicateHit]:
    pks = list(found)[:limit]
    if not pks:
        return []
    parties = (
        Party.objects.filter(pk__in=pks)
        .select_related("owner")
        .only("id", "name", "kind", "archived_at", "owner__username", "owner__first_name", "owner__last_name")
    )
    scope = party_scope_q(actor, mode="view")
    visible = (
        set(pks)
        if scope is None
        else set(Party.objects.filter(scope, pk__in=pks).values_list("pk", flat=True))
    )
    by_pk = {p.pk: p for p in parties}
    return [
        DuplicateHit(
            by_pk[pk],
            found[pk],
            visible=pk in visible,
            owner=str(by_pk[pk].owner) if by_pk[pk].owner else _("nobody (unassigned)"),
        )
        for pk in pks
        if pk in by_pk
    ]

"""Possible duplicates of a party being created or changed: same identifier, name, email domain or phone.

The check looks at every party, not only those the user may see (a Buyer must learn that the company is
already a customer), but tells about an invisible one only what is safe: that it exists and who owns it.
Every look-up is an index equality or prefix on a normalized column (name_key, core_key, identifier value,
e-mail domain, phone), so creating a party costs the same at a thousand parties as at a million.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, Value
from django.utils.translation import gettext as _

from guanxi.parties.choices import PartyKind
from guanxi.parties.models import ContactPoint, Party, PartyIdentifier
from guanxi.parties.search import name_keys
from guanxi.parties.selectors.visibility import party_scope_q
from guanxi.parties.validation import PUBLIC_EMAIL_DOMAINS, email_domain

HIGHEST = "\U0010ffff"
SIMILAR_MIN = 4  # a name core shorter than this ("ab") says nothing about sameness


def normalized_name(name: str) -> str:
    """The core of a name, as compared: 'Acme Trading Co., Ltd.' -> 'acmetrading'; '华为技术有限公司' -> '华为技术'."""
    return name_keys(name)[1]


def _starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in a form the database answers from the field's index: PostgreSQL's
    LIKE 'x%' uses the pattern index Django creates beside a db_index; SQLite's LIKE cannot, a range can."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + HIGHEST})


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
    candidates = Party.objects.filter(
        kind=kind, merged_into=None
    ).order_by()  # a merged one lives on in another
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    probes = []  # (reason, matching parties): asked in one UNION ALL, each branch an index look-up

    if identifiers:
        holders = PartyIdentifier.objects.filter(value__in=identifiers).order_by().values("party_id")
        probes.append((_("same identifier"), candidates.filter(pk__in=holders)))
    key, core, _sort = name_keys(name) if name and name.strip() else ("", "", "")
    if key:
        probes.append((_("same name"), candidates.filter(name_key=key)))
        if len(core) >= SIMILAR_MIN:
            # Same core (Acme Trading Co., Ltd. ~ ACME Trading Ltd), or one core the start of the other
            # (Acme Trading ~ Acme Trading 2): equality on the prefixes of this core, a prefix range for
            # longer ones.
            prefixes = [core[:n] for n in range(SIMILAR_MIN, len(core) + 1)]
            similar = candidates.filter(Q(core_key__in=prefixes) | _starts_with("core_key", core))
            probes.append((_("similar name"), similar.exclude(name_key=key)))
    if emails:
        # The same address is the same party, whatever the domain (li.na@qq.com).
        same = ContactPoint.objects.filter(kind="email", normalized__in=[e.lower() for e in emails]).values(
            "party_id"
        )
        probes.append((_("same email"), candidates.filter(pk__in=same)))
    if kind == PartyKind.ORGANIZATION:
        # An email domain says "same company" only between organizations: a person shares it with the
        # employer and every colleague, which does not make them duplicates.
        domains = sorted({email_domain(e) for e in emails} - PUBLIC_EMAIL_DOMAINS)
        if domains:
            ids = ContactPoint.objects.filter(domain__in=domains).order_by().values("party_id")
            probes.append((_("same email domain"), candidates.filter(pk__in=ids)))
    if phones_e164:
        ids = ContactPoint.objects.filter(number__in=phones_e164).order_by().values("party_id")
        probes.append((_("same phone"), candidates.filter(pk__in=ids)))
    found: dict[int, str] = {}
    if probes:
        # Each branch is cut at `limit` (a short name core or a big company's domain may match thousands);
        # SQLite allows no LIMIT inside a UNION branch, hence the "pk IN (first few)" wrapper.
        branches = [
            Party.objects.filter(pk__in=qs.values("pk")[:limit])
            .order_by()
            .annotate(probe=Value(n))
            .values_list("pk", "probe")
            for n, (_r, qs) in enumerate(probes)
        ]
        rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
        for pk, n in sorted(rows, key=lambda row: row[1]):  # first reason first
            found.setdefault(pk, str(probes[n][0]))
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

"""The duplicates list: pairs of parties that look like the same one, across the customer and supplier sides.

Signals, strongest first: the same identifier (a USCC also matches another party's invoice tax number), the
same normalized name (full- and half-width folded, legal form kept), a similar name (the same name without
its legal form: 华为技术有限公司 ~ 华为技术股份有限公司), the same phone number, and, between organizations,
the same e-mail domain unless it is a public one (qq.com). Each signal is one GROUP BY on an indexed,
normalized column; a value shared by more than MAX_GROUP parties (a switchboard number, a big group's
domain) says nothing about sameness and is skipped.

Looking at every party at once takes seconds on a million parties, so `pairs_found` runs in the scheduled
duplicate scan (guanxi.parties.services.duplicate_scan), which stores what it finds as DuplicateSuggestion
rows; `duplicate_pairs` reads those by the user's scope: only parties the user may change are paired (a
merge changes both), merged and archived ones never, and pairs someone dismissed are left out.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Length

from guanxi.parties.choices import ContactPointKind, PartyKind
from guanxi.parties.models import (
    DUPLICATE_REASONS,
    ContactPoint,
    DuplicateDismissal,
    DuplicateScan,
    DuplicateSuggestion,
    Party,
    PartyIdentifier,
)
from guanxi.parties.selectors.duplicates import SIMILAR_MIN
from guanxi.parties.selectors.visibility import can_edit_roles, party_scope_q
from guanxi.parties.validation import PUBLIC_EMAIL_DOMAINS

# The list's order, strongest first; read page by page with a cursor (guanxi.core.pagination): an exact count
# of a scoped list joins every party (1.4 s at 2.5M parties), a page is one index range (1 ms).
ORDERING = ["-strength", "rank", "first_id", "second_id"]
MAX_GROUP = 10  # more parties than this share a value: not a sign of one company
MAX_GROUPS = 50_000  # per signal: a bound on the scan's memory, far above what a company has


def _candidates(actor) -> QuerySet[Party] | None:
    """The parties the user could merge: in their edit scope, and no supplier unless they may edit suppliers
    (a merge can move a supplier's bank details: guanxi.parties.services.merge). None: every party."""
    qs = Party.objects.all()
    scope = party_scope_q(actor, mode="edit")
    if scope is not None:
        qs = qs.filter(scope)
    if not can_edit_roles(actor, is_customer=False, is_supplier=True):
        qs = qs.filter(is_supplier=False)
    elif scope is None:
        return None
    return qs


def _groups(rows: Iterable[tuple[str, int]]) -> list[list[int]]:
    by_key: dict[str, set[int]] = {}
    for key, pk in rows:
        by_key.setdefault(key, set()).add(pk)
    return [sorted(pks) for pks in by_key.values() if 1 < len(pks) <= MAX_GROUP]


def _shared(qs: QuerySet, key: str, party: str = "id") -> list[list[int]]:
    """Groups of parties of one kind that share `key` in `qs` (a GROUP BY, then the members of the groups
    found). An organization and a person never pair, so they are grouped apart."""
    kind = "kind" if party == "id" else f"{party}__kind"
    groups = (
        qs.exclude(**{key: ""})
        .order_by()
        .values(key, kind)
        .annotate(n=Count(party, distinct=True))
        .filter(n__gt=1, n__lte=MAX_GROUP)
        .values_list(key, kind)[:MAX_GROUPS]
    )
    found = set(groups)
    rows = qs.filter(**{f"{key}__in": {k for k, _kind in found}}).order_by().values_list(key, kind, party)
    return _groups((f"{k}\x00{t}", pk) for k, t, pk in rows.distinct() if (k, t) in found)


def _signals(candidates: QuerySet[Party]) -> dict[str, list[list[int]]]:
    ids = candidates.values("pk")
    points = ContactPoint.objects.filter(party__in=ids)
    orgs = candidates.filter(kind=PartyKind.ORGANIZATION)
    idents = PartyIdentifier.objects.filter(party__in=ids)
    # An identifier and an invoice tax number are the same number in two places (统一社会信用代码 = 税号).
    cross = list(
        orgs.exclude(invoice_tax_number="")
        .filter(invoice_tax_number__in=idents.values("value"))
        .values_list("invoice_tax_number", "id")[:MAX_GROUPS]
    )
    holders = list(
        idents.filter(value__in={v for v, _pk in cross}, party__kind=PartyKind.ORGANIZATION).values_list(
            "value", "party_id"
        )
    )
    numbers = [
        *_shared(idents, "value", "party"),
        *_shared(orgs, "invoice_tax_number"),
        *_groups([*cross, *holders]),
    ]
    return {
        "identifier": numbers,
        "name": _shared(candidates, "name_key"),
        "similar": _shared(
            candidates.annotate(core_len=Length("core_key")).filter(core_len__gte=SIMILAR_MIN), "core_key"
        ),
        "phone": _shared(points.filter(kind=ContactPointKind.PHONE), "number", "party"),
        "domain": _shared(
            points.filter(kind=ContactPointKind.EMAIL, party__kind=PartyKind.ORGANIZATION).exclude(
                domain__in=PUBLIC_EMAIL_DOMAINS
            ),
            "domain",
            "party",
        ),
    }


def pairs_found(candidates: QuerySet[Party]) -> dict[tuple[int, int], list[str]]:
    """Every pair (lower id first) of the same kind among `candidates`, with its reasons, strongest first."""
    reasons: dict[tuple[int, int], list[str]] = {}
    for reason, groups in _signals(candidates).items():
        for group in groups:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    found = reasons.setdefault((a, b), [])
                    if reason not in found:
                        found.append(reason)
    return {pair: sorted(found, key=list(DUPLICATE_REASONS).index) for pair, found in reasons.items()}


def duplicate_pairs(*, actor) -> QuerySet[DuplicateSuggestion]:
    """The suggestions of the last scan whose two parties the user may change, are neither merged nor
    archived and were not dismissed since; strongest signals first."""
    qs = DuplicateSuggestion.objects.filter(
        first__archived_at=None,
        first__merged_into=None,
        second__archived_at=None,
        second__merged_into=None,
    ).exclude(
        Exists(
            DuplicateDismissal.objects.filter(first_id=OuterRef("first_id"), second_id=OuterRef("second_id"))
        )
    )
    candidates = _candidates(actor)
    if candidates is not None:
        ids = candidates.values("pk")
        qs = qs.filter(first__in=ids, second__in=ids)
    return qs.select_related("first__owner", "second__owner").order_by(*ORDERING)


def latest_scan() -> DuplicateScan | None:
    """The latest duplicate scan, finished or not."""
    return DuplicateScan.objects.first()


def last_finished_scan() -> DuplicateScan | None:
    return DuplicateScan.objects.exclude(finished_at=None).order_by("-finished_at").first()

"""Reads of parties: lists with search and filters, the 360° page, exports. Always permission-scoped."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.parties.choices import CustomerStatus, Industry, PartyKind, SupplierStatus
from guanxi.parties.models import Address, ContactPoint, Employment, Party, PartyIdentifier, Tag
from guanxi.parties.permissions import Action
from guanxi.parties.search import parse_query
from guanxi.parties.selectors.regions import region_q
from guanxi.parties.selectors.search import (
    SEARCH_RESULT_LIMIT,
    contains_filter,
    rank_annotation,
    ranked_matches,
)
from guanxi.parties.selectors.visibility import party_scope_q
from guanxi.parties.validation import clean_text

SORTS = {
    "relevance": ["rank", "sort_key", "id"],  # with a search: exact, then prefix, then the rest
    "name": ["sort_key", "id"],  # Chinese names by pinyin, among Latin names
    "-name": ["-sort_key", "-id"],
    "created": ["created_at", "id"],
    "-created": ["-created_at", "-id"],
    "-updated": ["-updated_at", "-id"],
}
ROLE_FILTERS = ("customer", "supplier", "both", "none")
STATE_FILTERS = ("active", "archived", "all")


@dataclass
class PartyFilters:
    """What a list asks for. Built from query parameters; unknown values are refused, not ignored."""

    q: str = ""
    kind: str = ""
    role: str = ""
    customer_status: list[str] = field(default_factory=list)
    supplier_status: list[str] = field(default_factory=list)
    owner: int | None = None
    tags: list[int] = field(default_factory=list)
    industry: str = ""
    country: str = ""
    province: str = ""
    city: str = ""
    state: str = "active"
    sort: str = ""  # "" = by relevance with a search, by name without

    @property
    def order(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "name"

    def validate(self) -> PartyFilters:
        errors = {}
        if self.kind and self.kind not in PartyKind.values:
            errors["kind"] = _("Unknown kind.")
        if self.role and self.role not in ROLE_FILTERS:
            errors["role"] = _("Unknown role.")
        if set(self.customer_status) - set(CustomerStatus.values):
            errors["customer_status"] = _("Unknown customer status.")
        if set(self.supplier_status) - set(SupplierStatus.values):
            errors["supplier_status"] = _("Unknown supplier status.")
        if self.industry and self.industry not in Industry.values:
            errors["industry"] = _("Unknown industry.")
        if self.state not in STATE_FILTERS:
            errors["state"] = _("Unknown state.")
        if self.sort and self.sort not in SORTS:
            errors["sort"] = _("Unknown sort order.")
        if len(self.q) > 100:
            errors["q"] = _("Search with at most 100 characters.")
        for name in ("q", "country", "province", "city"):
            try:
                clean_text(getattr(self, name), multiline=True)  # NUL would be a 500 on PostgreSQL
            except ValidationError as exc:
                errors.setdefault(name, exc.messages[0])
        if errors:
            raise ValidationError(errors)
        return self


def party_visible(*, actor, mode: str = "view") -> QuerySet[Party]:
    if not grants_for(actor).can(Action.PARTY_VIEW):
        raise PermissionDeniedError()
    q = party_scope_q(actor, mode=mode)
    qs = Party.objects.all()
    return qs if q is None else qs.filter(q)


def apply_search(qs: QuerySet[Party], q: str) -> QuerySet[Party]:
    """Every party of `qs` matching the search `q`, unbounded and unranked (exports)."""
    query = parse_query(q)
    if not query:
        return qs
    return contains_filter(qs, query.text) if query.text else qs.none()


def party_list(*, actor, filters: PartyFilters) -> QuerySet[Party]:
    """Every party matching the filters (exact; exports use it). Lists use party_results."""
    f = filters.validate()
    qs = party_visible(actor=actor)
    if f.state == "active":
        qs = qs.filter(archived_at__isnull=True)
    elif f.state == "archived":
        qs = qs.filter(archived_at__isnull=False)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.role == "customer":
        qs = qs.filter(is_customer=True)
    elif f.role == "supplier":
        qs = qs.filter(is_supplier=True)
    elif f.role == "both":
        qs = qs.filter(is_customer=True, is_supplier=True)
    elif f.role == "none":
        qs = qs.filter(is_customer=False, is_supplier=False)
    if f.customer_status:
        qs = qs.filter(is_customer=True, customer_status__in=f.customer_status)
    if f.supplier_status:
        qs = qs.filter(is_supplier=True, supplier_status__in=f.supplier_status)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    for tag_id in f.tags:
        qs = qs.filter(tags__id=tag_id)
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.province or f.city:  # by division code in China: 广东 / 广东省 / guangdong (selectors/regions.py)
        qs = qs.filter(region_q(province=f.province, city=f.city, country=f.country))
    return apply_search(qs, f.q)


def bounded_search(
    qs: QuerySet[Party], q: str, limit: int = SEARCH_RESULT_LIMIT
) -> tuple[QuerySet[Party], bool]:
    """(matches, truncated): `qs` narrowed to its best `limit` parties for the search `q`, annotated with
    `rank` (0 exact, 1 prefix, 2 the rest) for the relevance order. See selectors/search.py."""
    matches = ranked_matches(qs, q, limit)
    if matches is None:
        return qs.annotate(rank=Value(0, output_field=IntegerField())), False
    return qs.filter(pk__in=matches.ids).annotate(rank=rank_annotation(matches)), matches.truncated


@dataclass
class PartyResults:
    qs: QuerySet[Party]
    truncated: bool  # more than SEARCH_RESULT_LIMIT parties matched the search; qs holds that many
    ordering: list[str] = field(default_factory=list)


def party_results(*, actor, filters: PartyFilters) -> PartyResults:
    """What a list (web or API) shows: every match without a search, the best SEARCH_RESULT_LIMIT (200)
    with one, and the ordering to page them in."""
    filters.validate()
    qs = party_list(actor=actor, filters=replace(filters, q=""))
    qs, truncated = bounded_search(qs, filters.q)
    return PartyResults(qs, truncated, SORTS[filters.order])


LIST_COLUMNS = [
    "id",
    "kind",
    "name",
    "sort_key",
    "short_name",
    "is_customer",
    "customer_status",
    "is_supplier",
    "supplier_status",
    "owner_id",
    "country",
    "province",
    "city",
    "industry",
    "created_at",
    "updated_at",
    "archived_at",
    "merged_into_id",
]


def party_list_rows(qs: QuerySet[Party]) -> QuerySet[Party]:
    """Only the columns a list shows, with owner and tags fetched in two more queries for the page."""
    return (
        qs.only(*LIST_COLUMNS)
        .select_related("owner")
        .only(*LIST_COLUMNS, "owner__username", "owner__first_name", "owner__last_name")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("id", "name", "color")))
    )


def party_get(*, actor, pk, mode: str = "view") -> Party:
    """One party the actor may see (or edit); NotFoundError otherwise, so existence does not leak."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    party = party_visible(actor=actor, mode=mode).select_related("owner", "team").filter(pk=pk).first()
    if party is None:
        if mode == "edit" and party_visible(actor=actor).filter(pk=pk).exists():
            raise PermissionDeniedError(_("You may see this record but not change it."))
        raise NotFoundError()
    return party


def party_can_edit(*, actor, party: Party) -> bool:
    if not grants_for(actor).can(Action.PARTY_CHANGE):
        return False
    q = party_scope_q(actor, mode="edit")
    return q is None or Party.objects.filter(q, pk=party.pk).exists()


def party_detail(*, actor, pk, kind: str | None = None) -> Party:
    """The 360° page: the party with its identifiers, contact points, addresses, tags and contacts.

    One query for the party (visibility included) and one per related list; NotFoundError when the actor
    may not see it (or it is not of `kind`), so existence does not leak.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    visible = party_visible(actor=actor)
    qs = visible.filter(pk=pk)
    if kind:
        qs = qs.filter(kind=kind)
    if not visible.query.where:
        # Everything visible: join instead of `IN (visible parties)`, which SQLite builds in full
        # (250k rows, ~180 ms at 100k organizations) before the lookup. Same rows.
        staff = Employment.objects.filter(person__archived_at=None)
        employments = Employment.objects.all()
    else:
        staff = Employment.objects.filter(person__in=visible.filter(archived_at=None))
        employments = Employment.objects.filter(organization__in=visible)
    party = (
        qs.select_related("owner", "team", "created_by")
        .prefetch_related(
            "tags",
            Prefetch("identifiers", queryset=PartyIdentifier.objects.all()),
            Prefetch("contact_points", queryset=ContactPoint.objects.all()),
            Prefetch("addresses", queryset=Address.objects.all()),
            Prefetch(
                "staff",
                queryset=staff.select_related("person").prefetch_related("person__contact_points"),
            ),
            Prefetch(
                "employments",
                queryset=employments.select_related("organization"),
            ),
        )
        .first()
    )
    if party is None:
        raise NotFoundError()
    return party


def party_export_rows(*, actor, filters: PartyFilters, limit: int = 100_000):
    if not grants_for(actor).can(Action.PARTY_EXPORT):
        raise PermissionDeniedError()
    order = "name" if filters.order == "relevance" else filters.order
    qs = party_list(actor=actor, filters=filters).order_by(*SORTS[order])
    return qs.select_related("owner").prefetch_related("tags", "contact_points", "identifiers")[:limit]


def tag_list(*, actor) -> QuerySet[Tag]:
    """Every tag (tags are shared), for users who may see parties at all."""
    if not grants_for(actor).can(Action.PARTY_VIEW):
        raise PermissionDeniedError()
    return Tag.objects.all()


def tag_list_with_counts(*, actor) -> QuerySet[Tag]:
    """Every tag with `n`, the number of active parties carrying it that the actor may see."""
    visible = party_visible(actor=actor).filter(archived_at=None)
    return Tag.objects.annotate(n=Count("parties", filter=Q(parties__in=visible.values("pk")))).order_by(
        "name"
    )


def location_choices(*, field: str, country: str = "", province: str = "") -> list[str]:
    qs = Party.objects.exclude(**{field: ""})
    if country:
        qs = qs.filter(country=country)
    if province:
        qs = qs.filter(province=province)
    return list(qs.order_by(field).values_list(field, flat=True).distinct()[:500])


def contacts_of(*, actor, organization: Party) -> QuerySet[Employment]:
    visible = party_visible(actor=actor).filter(archived_at=None)
    return Employment.objects.filter(organization=organization, person__in=visible).select_related("person")


def organizations_visible(*, actor, q: str = "") -> QuerySet[Party]:
    """Organizations for a picker: a bounded search (see bounded_search)."""
    qs = party_visible(actor=actor).filter(kind=PartyKind.ORGANIZATION, archived_at=None)
    return bounded_search(qs, q, limit=50)[0]


__all__ = ["SORTS", "PartyFilters", "Q", "party_detail", "party_get", "party_list", "party_visible"]

"""Reads of the catalogue: products (ranked search, filters, pages), categories, units and conversions.

Who may read: anyone whose role has product.view (the catalogue has no owners: who sees it sees all of it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from guanxi.catalog.choices import ApprovalState, ProductKind
from guanxi.catalog.models import Category, Product, ProductPrice, Unit, UnitCategory
from guanxi.catalog.permissions import Action
from guanxi.catalog.search import code_key
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import ApprovalRule
from guanxi.core.roles import grants_for
from guanxi.core.text import compact, has_cjk, pinyin

SEARCH_RESULT_LIMIT = 200
HIGHEST = "\U0010ffff"  # sorts after every character: [prefix, prefix + HIGHEST) is the prefix's range
EXACT, PREFIX, CONTAINS = 0, 1, 2

SORTS = {
    "relevance": ["rank", "sort_key", "id"],  # with a search: exact code, then prefixes, then the rest
    "name": ["sort_key", "id"],
    "-name": ["-sort_key", "-id"],
    "code": ["code_key", "id"],
    "-code": ["-code_key", "-id"],
    "-updated": ["-updated_at", "-id"],
}
STATES = ("active", "archived", "all")
YES_NO = ("", "yes", "no")


def require_reader(actor) -> None:
    if not grants_for(actor).can(Action.PRODUCT_VIEW):
        raise PermissionDeniedError()


@dataclass(frozen=True)
class ProductFilters:
    q: str = ""
    category: int | None = None  # this category and those below it
    kind: str = ""
    sold: str = ""  # "yes" / "no" / "" (either)
    bought: str = ""
    state: str = "active"
    sort: str = ""

    @property
    def order(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "name")

    def validate(self) -> ProductFilters:
        errors = {}
        if self.sort and self.sort not in SORTS:
            errors["sort"] = _("Unknown sort order.")
        if self.state not in STATES:
            errors["state"] = _("Choose active, archived or all.")
        if self.kind and self.kind not in ProductKind.values:
            errors["kind"] = _("Choose product or service.")
        for name in ("sold", "bought"):
            if getattr(self, name) not in YES_NO:
                errors[name] = _("Choose yes, no or either.")
        if len(self.q) > 100:
            errors["q"] = _("Search with at most 100 characters.")
        if "\x00" in self.q:
            errors["q"] = _("Remove the control characters from this text.")
        if errors:
            raise ValidationError(errors)
        return self


def product_list(*, actor, filters: ProductFilters) -> QuerySet[Product]:
    """Every product matching the filters (the search `q` is applied by product_results)."""
    require_reader(actor)
    f = filters.validate()
    qs = Product.objects.all()
    if f.state == "active":
        qs = qs.filter(archived_at__isnull=True)
    elif f.state == "archived":
        qs = qs.filter(archived_at__isnull=False)
    if f.category:
        cat = Category.objects.filter(pk=f.category).only("path").first()
        qs = qs.filter(category__path__startswith=cat.path) if cat else qs.none()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.sold:
        qs = qs.filter(can_sell=f.sold == "yes")
    if f.bought:
        qs = qs.filter(can_buy=f.bought == "yes")
    return qs


@dataclass
class ProductResults:
    qs: QuerySet[Product]
    truncated: bool  # more than SEARCH_RESULT_LIMIT matched the search; qs holds that many
    ordering: list[str] = field(default_factory=list)
    matched: int | None = None  # with a search: how many the qs holds (known without counting)


def _ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def ranked_ids(qs: QuerySet[Product], q: str, limit: int = SEARCH_RESULT_LIMIT) -> dict[int, int] | None:
    """The best `limit` (+1, to tell truncation) products of `qs` for the typed `q`: {id: rank}, best first.

    1. exact: the code (as typed, without regard to spaces, case or full-width forms);
    2. prefix: codes that start with it, names that start with it (Chinese names also by pinyin);
    3. the rest: code, names, pinyin or initials containing it, in name order.
    Each tier is an indexed look-up read in order with a limit (a trigram index serves the rest on
    PostgreSQL)."""
    key, term = code_key(q), compact(q)
    if not key:
        return None
    ranks: dict[int, int] = {}
    qs = qs.order_by()
    for pk in _ids(qs.filter(code_key=key).order_by("id")[: limit + 1]):
        ranks.setdefault(pk, EXACT)
    if not term:  # only punctuation: an exact code, or nothing
        return ranks
    prefix = Q(code_key__gte=key, code_key__lt=key + HIGHEST)
    for pk in _ids(qs.filter(prefix).order_by("code_key", "id")[: limit + 1]):
        ranks.setdefault(pk, PREFIX)
    spelled = pinyin(term)[0] if has_cjk(term) else term
    if spelled and len(ranks) <= limit:
        names = qs.filter(sort_key__gte=spelled, sort_key__lt=spelled + HIGHEST)
        if has_cjk(term):
            names = names.filter(search_doc__contains=term)
        for pk in _ids(names.order_by("sort_key", "id")[: limit + 1]):
            ranks.setdefault(pk, PREFIX)
    if len(ranks) <= limit:
        for pk in _ids(qs.filter(search_doc__contains=term).order_by("sort_key", "id")[: limit + 1]):
            ranks.setdefault(pk, CONTAINS)
    return dict(list(ranks.items())[: limit + 1])


def product_results(*, actor, filters: ProductFilters) -> ProductResults:
    """What a list (web or API) shows: every match without a search, the best 200 with one, and the ordering
    to page them in."""
    qs = product_list(actor=actor, filters=filters)
    ranks = ranked_ids(qs, filters.q) if filters.q.strip() else None
    truncated = False
    if ranks is None:
        qs = qs.annotate(rank=Value(EXACT, output_field=IntegerField()))
    else:
        truncated = len(ranks) > SEARCH_RESULT_LIMIT
        ids = list(ranks)[:SEARCH_RESULT_LIMIT]
        whens = [When(pk__in=[pk for pk in ids if ranks[pk] == r], then=Value(r)) for r in (EXACT, PREFIX)]
        qs = qs.filter(pk__in=ids).annotate(
            rank=Case(*whens, default=Value(CONTAINS), output_field=IntegerField())
        )
    matched = min(len(ranks), SEARCH_RESULT_LIMIT) if ranks is not None else None
    return ProductResults(qs, truncated, SORTS[filters.order], matched)


LIST_COLUMNS = [
    "id",
    "code",
    "code_key",
    "kind",
    "name_en",
    "name_zh",
    "sort_key",
    "category_id",
    "unit_id",
    "tax_rate_id",
    "can_sell",
    "can_buy",
    "approval_status",
    "archived_at",
    "updated_at",
]


def product_rows(qs: QuerySet[Product], *, full: bool = False) -> QuerySet[Product]:
    """Only what a list shows (everything with `full`, for the API), with category, unit, tax rate and
    prices (one more query) per page."""
    prices = Prefetch("prices", queryset=ProductPrice.objects.order_by("currency_id"))
    if full:
        return qs.select_related("category", "unit", "purchase_unit", "tax_rate").prefetch_related(prices)
    return (
        qs.select_related("category", "unit", "tax_rate")
        .only(
            *LIST_COLUMNS,
            "category__name_en",
            "category__name_zh",
            "unit__name_en",
            "unit__name_zh",
            "unit__code",
            "tax_rate__name_en",
            "tax_rate__name_zh",
            "tax_rate__rate",
        )
        .prefetch_related(prices)
    )


def product_get(*, actor, pk) -> Product:
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    product = (
        Product.objects.select_related(
            "category", "unit__category", "purchase_unit", "tax_rate", "created_by"
        )
        .prefetch_related(Prefetch("prices", queryset=ProductPrice.objects.select_related("currency")))
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise NotFoundError()
    return product


def product_by_code(code: str) -> Product | None:
    return Product.objects.filter(code_key=code_key(code)).first() if code_key(code) else None


def approval_needed() -> bool:
    """New products wait for approval when an administrator has set up an active rule for them."""
    return ApprovalRule.objects.filter(document_type="catalog.product", is_active=True).exists()


def usable_products(*, actor, sold: bool | None = None, bought: bool | None = None) -> QuerySet[Product]:
    """What a document may pick: approved, not archived, sold and/or bought as asked. Quotes and orders use
    `sold=True`; requisitions, RFQs and purchase orders `bought=True`."""
    require_reader(actor)
    qs = Product.objects.filter(archived_at__isnull=True, approval_status=ApprovalState.APPROVED)
    if sold is not None:
        qs = qs.filter(can_sell=sold)
    if bought is not None:
        qs = qs.filter(can_buy=bought)
    return qs


def can_change(actor) -> bool:
    return grants_for(actor).can(Action.PRODUCT_CHANGE)


# Categories ------------------------------------------------------------------------------------------------


def category_list(*, actor, active: bool | None = None) -> QuerySet[Category]:
    """The whole tree, each category after its parent (ordered by path, then name within a parent in
    category_tree)."""
    require_reader(actor)
    qs = Category.objects.all()
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("path")


def category_tree(*, actor, active: bool | None = None) -> list[Category]:
    """The categories depth-first, siblings by name: what a picker or the settings page shows. Each gets
    `label`, its names from the top ("Electronics › Resistors")."""
    rows = list(category_list(actor=actor, active=active))
    children: dict[int | None, list[Category]] = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    out: list[Category] = []

    def walk(parent_id, trail):
        for c in sorted(children.get(parent_id, []), key=lambda c: (c.sort_key, c.pk)):
            c.label = " › ".join([*trail, c.name])  # type: ignore[attr-defined]
            out.append(c)
            walk(c.pk, [*trail, c.name])

    roots = {c.parent_id for c in rows} - {c.pk for c in rows}  # a filtered list may miss a parent
    for root in sorted(roots, key=lambda x: (x is not None, x or 0)):
        walk(root, [])
    return out


def category_get(*, actor, pk) -> Category:
    require_reader(actor)
    try:
        category = Category.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        category = None
    if category is None:
        raise NotFoundError()
    return category


def category_label(category: Category | None) -> str:
    """Its names from the top: "Electronics › Resistors" (one query for the ancestors)."""
    if category is None:
        return ""
    ids = [int(x) for x in category.path.strip("/").split("/") if x]
    names = {c.pk: c.name for c in Category.objects.filter(pk__in=ids)}
    return " › ".join(names[i] for i in ids if i in names)


# Units ------------------------------------------------------------------------------------------------------


def unit_categories(*, actor) -> QuerySet[UnitCategory]:
    require_reader(actor)
    return UnitCategory.objects.prefetch_related("units").order_by("id")


def unit_list(*, actor, active: bool | None = None) -> QuerySet[Unit]:
    require_reader(actor)
    qs = Unit.objects.select_related("category")
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("category_id", "factor", "id")


def unit_get(*, actor, pk=None, code: str | None = None) -> Unit:
    require_reader(actor)
    qs = Unit.objects.select_related("category")
    try:
        unit = qs.filter(code=code).first() if code is not None else qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        unit = None
    if unit is None:
        raise NotFoundError()
    return unit


def unit_default() -> Unit | None:
    """The unit a new product starts with: the piece, while it is in use."""
    return Unit.objects.filter(code="pcs", active=True).first()


def convert(quantity, from_unit: Unit, to_unit: Unit, *, rounded: bool = True) -> Decimal:
    """`quantity` in `from_unit` expressed in `to_unit` (2 boxes of 12 → 24 pcs; 1500 kg → 1.5 t), rounded
    half up to `to_unit`'s decimal places unless `rounded` is False. Units of different categories
    (kg → pcs) cannot be converted: ValidationError."""
    try:
        qty = quantity if isinstance(quantity, Decimal) else Decimal(str(quantity))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"quantity": _("Enter a number.")}) from exc
    if not qty.is_finite():
        raise ValidationError({"quantity": _("Enter a number.")})
    if from_unit.category_id != to_unit.category_id:
        raise ValidationError(
            {
                "unit": _(
                    "%(a)s and %(b)s measure different things (%(ca)s, %(cb)s): they cannot be converted."
                )
                % {"a": from_unit.name, "b": to_unit.name, "ca": from_unit.category, "cb": to_unit.category}
            }
        )
    value = qty if from_unit.pk == to_unit.pk else qty * from_unit.factor / to_unit.factor
    if not rounded:
        return value
    return value.quantize(Decimal(1).scaleb(-to_unit.decimal_places), rounding=ROUND_HALF_UP)


def category_product_counts() -> dict[int, int]:
    """Active products per category (directly in it, not below it)."""
    from django.db.models import Count

    rows = (
        Product.objects.filter(archived_at__isnull=True, category__isnull=False)
        .values("category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["category_id"]: r["n"] for r in rows}


CATEGORY_SEP = " / "


def category_paths() -> dict[int, str]:
    """Each category's names from the top, joined by " / " (how exports show it and imports find it)."""
    cats = {c.pk: c for c in Category.objects.only("id", "name_en", "name_zh", "path")}
    return {
        pk: CATEGORY_SEP.join(cats[int(i)].name for i in c.path.strip("/").split("/") if int(i) in cats)
        for pk, c in cats.items()
    }

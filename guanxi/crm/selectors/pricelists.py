"""Reads of price lists (价目表) and the price a product has for a customer.

Who sees which list: those who manage price lists (pricelist.manage) see all of them; those who may see quotes
see the general lists and the lists of the customers they reach (and the prices those give on quotes).

Price resolution (`price_for`, and `price_book` for a whole quote at once), for a customer, a currency, a
product, a quantity and a day, in this order:
1. a list chosen on the quote (when there is one);
2. the customer's own lists (customer-specific prices), the latest-starting first;
3. the list the customer is assigned (when in the same currency);
4. the default list of the currency;
— each only while in use (not archived), valid on the day and in the currency; within a list the item with
the largest "from quantity" (阶梯价) not above the quantity; a list without such an item is passed over;
5. else the catalogue's sale price in the currency (with no list), else none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from guanxi.catalog.models import Product, ProductPrice
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.crm.models import CustomerPriceList, PriceList, PriceListItem
from guanxi.crm.permissions import Action

ORDERING = ["-id"]
STATES = ("active", "archived", "all")


def may_manage(actor) -> bool:
    return grants_for(actor).can(Action.PRICELIST_MANAGE)


def pricelist_visible(*, actor) -> QuerySet[PriceList]:
    """The lists the actor may see (PermissionDeniedError for someone who may see neither lists nor quotes)."""
    g = grants_for(actor)
    if g.can(Action.PRICELIST_MANAGE):
        return PriceList.objects.all()
    if not g.can(Action.QUOTE_VIEW):
        raise PermissionDeniedError()
    from guanxi.parties.selectors.parties import party_visible

    try:
        reached = party_visible(actor=actor).values("pk")
    except PermissionDeniedError:
        return PriceList.objects.filter(customer__isnull=True)
    return PriceList.objects.filter(Q(customer__isnull=True) | Q(customer__in=reached))


@dataclass(frozen=True)
class PriceListFilters:
    state: str = "active"
    currency: str = ""
    customer: int | None = None
    q: str = ""

    def validate(self) -> PriceListFilters:
        errors = {}
        if self.state not in STATES:
            errors["state"] = _("Choose active, archived or all.")
        if len(self.q) > 100 or "\x00" in self.q:
            errors["q"] = _("Search with at most 100 characters.")
        if self.currency and (len(self.currency) != 3 or not self.currency.isalpha()):
            errors["currency"] = _("Enter a three-letter currency code.")
        if errors:
            raise ValidationError(errors)
        return self


def pricelist_list(*, actor, filters: PriceListFilters) -> QuerySet[PriceList]:
    """The visible lists matching the filters, with their customer (no query per row)."""
    f = filters.validate()
    qs = pricelist_visible(actor=actor)
    if f.state == "active":
        qs = qs.filter(archived_at__isnull=True)
    elif f.state == "archived":
        qs = qs.filter(archived_at__isnull=False)
    if f.currency:
        qs = qs.filter(currency_id=f.currency.upper())
    if f.customer:
        qs = qs.filter(customer_id=f.customer)
    if f.q.strip():
        term = f.q.strip()
        qs = qs.filter(Q(name_en__icontains=term) | Q(name_zh__icontains=term))
    return qs.select_related("customer")


def pricelist_get(*, actor, pk) -> PriceList:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    pl = pricelist_visible(actor=actor).select_related("customer", "currency").filter(pk=pk).first()
    if pl is None:
        raise NotFoundError()
    return pl


def pricelist_items(price_list: PriceList) -> QuerySet[PriceListItem]:
    return price_list.items.select_related("product", "product__unit").order_by(
        "product__code", "product_id", "min_quantity"
    )


def customer_price_list(*, party) -> PriceList | None:
    """The list the customer is assigned, if any (whatever its state)."""
    row = CustomerPriceList.objects.filter(party=party).select_related("price_list").first()
    return row.price_list if row else None


def assignable_lists(*, actor, party) -> QuerySet[PriceList]:
    """What may be assigned to this customer: visible lists in use, general or its own."""
    return (
        pricelist_visible(actor=actor)
        .filter(archived_at__isnull=True)
        .filter(Q(customer__isnull=True) | Q(customer=party))
        .order_by("currency_id", "name_en", "name_zh", "id")
    )


def quote_price_lists(actor, customer_id: int | None) -> list[PriceList]:
    """What a quote may choose: visible lists in use, general or of this customer (at most 200)."""
    if not grants_for(actor).can(Action.QUOTE_VIEW) and not may_manage(actor):
        return []
    own = Q(customer_id=customer_id) if customer_id else Q(pk__in=[])
    qs = (
        pricelist_visible(actor=actor).filter(archived_at__isnull=True).filter(Q(customer__isnull=True) | own)
    )
    return list(qs.order_by("currency_id", "name_en", "name_zh", "id")[:200])


def _in_use_on(day: dt.date) -> Q:
    return (
        Q(archived_at__isnull=True)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )


def applicable_lists(
    *, customer_id: int | None, currency: str, on_date: dt.date, preferred: PriceList | None = None
) -> list[PriceList]:
    """The lists that price for this customer, currency and day, in the order they are tried (one query)."""
    usable = PriceList.objects.filter(_in_use_on(on_date), currency_id=currency)
    assigned = CustomerPriceList.objects.filter(party_id=customer_id or 0, price_list=OuterRef("pk"))
    usable = usable.annotate(assigned=Exists(assigned))
    general = Q(is_default=True, customer__isnull=True)
    rows: list[PriceList] = list(
        usable.filter(Q(customer_id=customer_id) | Q(assigned=True) | general)
        if customer_id
        else usable.filter(general)
    )

    def rank(pl: PriceList) -> tuple:
        tier = 0 if customer_id and pl.customer_id == customer_id else 1 if pl.assigned else 2  # type: ignore[attr-defined]
        return (tier, -(pl.valid_from or dt.date.min).toordinal(), -pl.pk)

    ordered: list[PriceList] = sorted(rows, key=rank)
    if preferred is not None:
        ordered = [preferred, *(pl for pl in ordered if pl.pk != preferred.pk)]
    return ordered


def best_break(items: list[PriceListItem], quantity: Decimal) -> PriceListItem | None:
    """The item with the largest "from quantity" not above `quantity` (None when every break is above it)."""
    fitting = [x for x in items if x.min_quantity <= quantity]
    return max(fitting, key=lambda x: x.min_quantity) if fitting else None


@dataclass
class PriceBook:
    """Prices for one customer, currency and day, read once for the products of a quote."""

    currency: str
    lists: list[PriceList]
    items: dict[tuple[int, int], list[PriceListItem]]  # (list, product) → its breaks
    catalogue: dict[int, Decimal]
    used: set[int] = field(default_factory=set)

    def price(self, product: Product, quantity: Decimal) -> tuple[Decimal | None, PriceList | None]:
        for pl in self.lists:
            item = best_break(self.items.get((pl.pk, product.pk), []), quantity)
            if item is not None:
                self.used.add(pl.pk)
                return item.unit_price, pl
        return self.catalogue.get(product.pk), None

    def first_used(self) -> PriceList | None:
        """The first list (in the order tried) that priced something."""
        return next((pl for pl in self.lists if pl.pk in self.used), None)


def price_book(
    *,
    customer_id: int | None,
    currency: str,
    on_date: dt.date,
    product_ids,
    preferred: PriceList | None = None,
) -> PriceBook:
    """Three queries whatever the number of products: the lists, their items, the catalogue prices."""
    ids = list({int(x) for x in product_ids})
    lists = applicable_lists(customer_id=customer_id, currency=currency, on_date=on_date, preferred=preferred)
    items: dict[tuple[int, int], list[PriceListItem]] = {}
    if lists and ids:
        for item in PriceListItem.objects.filter(price_list__in=[pl.pk for pl in lists], product_id__in=ids):
            items.setdefault((item.price_list_id, item.product_id), []).append(item)
    catalogue = (
        dict(
            ProductPrice.objects.filter(product_id__in=ids, currency_id=currency).values_list(
                "product_id", "amount"
            )
        )
        if ids
        else {}
    )
    return PriceBook(currency, lists, items, catalogue)


def price_for(
    *,
    customer,
    currency: str,
    product: Product,
    quantity: Decimal,
    on_date: dt.date,
    preferred: PriceList | None = None,
) -> tuple[Decimal | None, PriceList | None]:
    """(unit price, the list it comes from or None for the catalogue's price); (None, None) without any."""
    customer_id = getattr(customer, "pk", customer)
    book = price_book(
        customer_id=customer_id,
        currency=currency,
        on_date=on_date,
        product_ids=[product.pk],
        preferred=preferred,
    )
    return book.price(product, quantity)


def customers_with_list(price_list: PriceList) -> QuerySet[CustomerPriceList]:
    return CustomerPriceList.objects.filter(price_list=price_list).select_related("party")


def pricelist_rows(qs: QuerySet[PriceList]) -> QuerySet[PriceList]:
    """What the list page shows per row, with the number of items and customers assigned (no query per row)."""

    def count(model):
        rows = model.objects.filter(price_list=OuterRef("pk")).order_by().values("price_list")
        return Coalesce(
            Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
        )

    return qs.annotate(item_count=count(PriceListItem), assigned_count=count(CustomerPriceList))

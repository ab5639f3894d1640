"""Reads that only the purchasing pages need: the choices of their filters and forms (suppliers that may
receive orders, the supplier's contacts, products that are bought), what the user may do with an order, the
address a sent order goes to by default, and the current supplier prices in an order that pages by cursor.
Every read goes through the scoped selectors (guanxi.procurement.selectors.orders / prices)."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.exceptions import NotFoundError
from guanxi.core.roles import grants_for
from guanxi.parties.choices import ContactPointKind
from guanxi.parties.models import ContactPoint, Party
from guanxi.parties.selectors.parties import party_visible
from guanxi.procurement.models import PurchaseOrder, SupplierPrice
from guanxi.procurement.permissions import Action
from guanxi.procurement.selectors import orders as order_sel
from guanxi.procurement.selectors import prices as price_sel
from guanxi.suppliers.selectors.categories import suppliers_of
from guanxi.suppliers.selectors.suppliers import supplier_scope

# Supplier prices page by supplier and product (ids: a cursor cannot hold a related name), newest first.
PRICE_ORDERING = ["supplier_id", "product_id", "-valid_from", "-id"]
MAX_CHOICES = 500


def _id(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**53 else None


def orderable_suppliers(*, actor, q: str = "", limit: int = MAX_CHOICES) -> QuerySet[Party]:
    """Suppliers the user sees that may receive orders now (approved or preferred, not archived), by name."""
    qs = supplier_scope(actor=actor).filter(
        archived_at__isnull=True, supplier_status__in=("approved", "preferred")
    )
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.only("id", "name", "supplier_status").order_by("name")[:limit]


def supplier_for_form(*, actor, pk) -> Party | None:
    """The supplier a form names (chosen, posted or from ?supplier=), if the user sees it, whatever its status:
    a blocked one is shown with the service's refusal, not silently dropped."""
    n = _id(pk)
    return None if n is None else supplier_scope(actor=actor).filter(pk=n).first()


def supplier_contacts(*, actor, supplier: Party | None) -> list[Party]:
    """The people of the supplier the user sees (an order's contact)."""
    if supplier is None:
        return []
    return list(
        party_visible(actor=actor)
        .filter(kind="person", employments__organization=supplier)
        .only("id", "name")
        .order_by("name")
        .distinct()[:100]
    )


def bought_products(*, actor):
    return usable_products(actor=actor, bought=True).order_by("code")[:MAX_CHOICES]


def order_suppliers(*, actor) -> QuerySet[Party]:
    """The suppliers of the orders the user sees (the list's supplier filter)."""
    ids = order_sel.order_visible(actor=actor).values("supplier_id")
    return Party.objects.filter(pk__in=ids).only("id", "name").order_by("name")[:MAX_CHOICES]


def order_may_change(*, actor, order: PurchaseOrder) -> bool:
    return order_sel.order_visible(actor=actor, mode="edit").filter(pk=order.pk).exists()


def send_to_default(order: PurchaseOrder) -> str:
    """Where the PDF goes unless the buyer types another address: where it went last, else the contact's
    primary e-mail, else the supplier's."""
    if order.sent_to:
        return order.sent_to
    parties = [p for p in (order.contact_id, order.supplier_id) if p]
    rows = ContactPoint.objects.filter(party_id__in=parties, kind=ContactPointKind.EMAIL).order_by(
        "-is_primary", "id"
    )
    found: dict[int, str] = {}
    for row in rows.only("party_id", "value"):
        found.setdefault(row.party_id, row.value)
    return next((found[p] for p in parties if p in found), "")


def current_prices(*, actor, supplier=None, product=None) -> QuerySet[SupplierPrice]:
    """The supplier prices valid today, in PRICE_ORDERING (for keyset pages), with their breaks."""
    return price_sel.price_list(actor=actor, supplier=_id(supplier), product=_id(product)).order_by(
        *PRICE_ORDERING
    )


def price_suppliers(*, actor) -> QuerySet[Party]:
    """The suppliers that have a price not replaced (the price list's supplier filter)."""
    price_sel.require_reader(actor)
    ids = SupplierPrice.objects.filter(replaced_at__isnull=True).values("supplier_id")
    return Party.objects.filter(pk__in=ids).only("id", "name").order_by("name")[:MAX_CHOICES]


def price_products(*, actor):
    """The products that have a price not replaced (the price list's product filter)."""
    from guanxi.catalog.models import Product

    price_sel.require_reader(actor)
    ids = SupplierPrice.objects.filter(replaced_at__isnull=True).values("product_id")
    return Product.objects.filter(pk__in=ids).order_by("code")[:MAX_CHOICES]


def product_for_form(*, actor, pk):
    """The product a form names, whatever it may be used for (shown again with the service's refusal)."""
    from guanxi.catalog.selectors.catalog import product_get

    n = _id(pk)
    if n is None:
        return None
    try:
        return product_get(actor=actor, pk=n)
    except NotFoundError:
        return None


def price_subject(*, actor, supplier, product):
    """The supplier and product of a price history (NotFoundError when either is not there)."""
    from guanxi.catalog.models import Product

    price_sel.require_reader(actor)
    s, p = _id(supplier), _id(product)
    party = Party.objects.filter(pk=s or 0, is_supplier=True).only("id", "name").first()
    item = Product.objects.filter(pk=p or 0).first()
    if party is None or item is None:
        raise NotFoundError()
    return party, item


def price_recordable_suppliers(*, actor) -> QuerySet[Party]:
    """The suppliers the user may record a price of (the service asks for the edit scope)."""
    if not grants_for(actor).can(Action.PRICE_CHANGE):
        return Party.objects.none()
    return (
        supplier_scope(actor=actor, mode="edit")
        .filter(archived_at__isnull=True)
        .only("id", "name")
        .order_by("name")[:MAX_CHOICES]
    )


def invitable_for(*, actor, categories: set[int], taken: set[int]) -> list[Party]:
    """The invitable suppliers not invited yet, those of the RFQ's categories first (preferred ones before
    them), each with `of_category` and `preferred_here` for the picker."""
    of = suppliers_of(categories) if categories else {}
    rows = [s for s in invitable_suppliers(actor=actor) if s.pk not in taken]
    for s in rows:
        s.of_category = not categories or s.pk in of  # type: ignore[attr-defined]
        s.preferred_here = of.get(s.pk, False)  # type: ignore[attr-defined]
    return sorted(rows, key=lambda s: (not s.preferred_here, not s.of_category))  # type: ignore[attr-defined]


def invitable_suppliers(*, actor, limit: int = MAX_CHOICES) -> QuerySet[Party]:
    """Suppliers the user sees that an RFQ may go to: not blocked, not archived (approved and preferred first;
    another one needs a reason, which the service asks for)."""
    from django.db.models import Case, IntegerField, Value, When

    qs = (
        supplier_scope(actor=actor)
        .filter(archived_at__isnull=True)
        .exclude(supplier_status__in=("blocked", "phased_out"))
    )
    ok = Case(
        When(supplier_status__in=("approved", "preferred"), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.only("id", "name", "supplier_status").order_by(ok, "name")[:limit]

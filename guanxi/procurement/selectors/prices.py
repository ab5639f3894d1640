"""Reads of supplier price information: the prices valid on a day, a product's price from a supplier for a
quantity (what a purchase order line defaults to), and the history of a supplier's price for a product."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.procurement.models import SupplierPrice
from guanxi.procurement.permissions import Action

ORDERING = ["supplier__name", "product__code", "-valid_from", "-id"]


def require_reader(actor) -> None:
    if not grants_for(actor).can(Action.PRICE_VIEW):
        raise PermissionDeniedError()


def may_record(actor) -> bool:
    return grants_for(actor).can(Action.PRICE_CHANGE)


def valid_q(on: dt.date) -> Q:
    return Q(replaced_at__isnull=True, valid_from__lte=on) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def price_list(
    *, actor, supplier: int | None = None, product: int | None = None, current: bool = True
) -> QuerySet[SupplierPrice]:
    """Prices valid today (or, with current=False, all that are not replaced: future ones too)."""
    require_reader(actor)
    qs = SupplierPrice.objects.all()
    qs = qs.filter(valid_q(timezone.localdate())) if current else qs.filter(replaced_at__isnull=True)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    if product:
        qs = qs.filter(product_id=product)
    return qs.select_related("supplier", "product", "currency").prefetch_related("breaks").order_by(*ORDERING)


def price_history(*, actor, supplier: int, product: int) -> QuerySet[SupplierPrice]:
    """Every price ever recorded for the supplier and product, newest first (replaced ones included)."""
    require_reader(actor)
    return (
        SupplierPrice.objects.filter(supplier_id=supplier, product_id=product)
        .select_related("currency", "created_by")
        .prefetch_related("breaks")
        .order_by("-created_at", "-id")
    )


def prices_for_order(
    *, supplier_id: int, currency: str, product_ids, on: dt.date
) -> dict[int, SupplierPrice]:
    """The price valid on `on` per product (the latest start wins), for the lines of a purchase order."""
    found: dict[int, SupplierPrice] = {}
    rows = (
        SupplierPrice.objects.filter(
            valid_q(on), supplier_id=supplier_id, currency_id=currency, product_id__in=product_ids
        )
        .prefetch_related("breaks")
        .order_by("product_id", "-valid_from", "-id")
    )
    for row in rows:
        found.setdefault(row.product_id, row)
    return found


def price_at(price: SupplierPrice, quantity: Decimal) -> Decimal:
    return price.price_for(quantity)[0]

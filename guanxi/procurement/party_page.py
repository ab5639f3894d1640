"""The purchasing app on a party's page: the Purchase orders and Price information tabs, the "Open purchase
orders" card and the "New purchase order" button (registered in guanxi.procurement.registry)."""

from __future__ import annotations

from django.db.models import Count, F, Min, Q, Sum

from guanxi.core.roles import grants_for
from guanxi.procurement.permissions import Action


def may_see_orders(party, user) -> bool:
    return party.is_supplier and grants_for(user).can(Action.ORDER_VIEW)


def may_see_prices(party, user) -> bool:
    return party.is_supplier and grants_for(user).can(Action.PRICE_VIEW)


def may_order(party, user) -> bool:
    from guanxi.suppliers.services.lifecycle import may_receive_orders

    return grants_for(user).can(Action.ORDER_CHANGE) and may_receive_orders(party)


def orders_context(party, user) -> dict:
    from guanxi.procurement.selectors.orders import OrderFilters, order_list

    orders = order_list(actor=user, filters=OrderFilters(supplier=party.pk))
    rows = list(orders[:20])
    return {
        "purchase_orders": rows,
        "purchase_order_count": len(rows) if len(rows) < 20 else orders.count(),
        "may_order": may_order(party, user),
    }


def prices_context(party, user) -> dict:
    from guanxi.procurement.selectors.prices import may_record, price_list

    # Valid today or later (not replaced, not ended): what an order may still be priced with.
    prices = price_list(actor=user, supplier=party.pk, current=False).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=_today())
    )
    return {
        "supplier_prices": list(prices[:100]),
        "may_record_price": may_record(user),
    }


def open_orders_context(party, user) -> dict:
    from guanxi.procurement.selectors.orders import open_orders_of

    qs = open_orders_of(actor=user, supplier=party)
    by_currency = list(
        qs.values("currency_id").annotate(n=Count("id"), total=Sum("gross_total")).order_by("currency_id")
    )
    # Late: a line still to come whose planned date has passed (one filter() call: the same line).
    late = qs.filter(
        lines__planned_date__lt=_today(), lines__received_quantity__lt=F("lines__quantity")
    ).aggregate(n=Count("id", distinct=True), first=Min("lines__planned_date"))
    return {
        "open_by_currency": by_currency,
        "open_late": late["n"],
        "open_count": sum(x["n"] for x in by_currency),
    }


def _today():
    from django.utils import timezone

    return timezone.localdate()


def spend_context(party, user) -> dict:
    """Spend this year with the supplier, as far as the user sees it: ordered (approved orders and later, by
    order date) and invoiced (supplier invoices not cancelled, by invoice date), per currency."""
    from guanxi.procurement.choices import OrderState
    from guanxi.procurement.choices_receipts import InvoiceState
    from guanxi.procurement.models import SupplierInvoice
    from guanxi.procurement.selectors.orders import order_visible
    from guanxi.procurement.selectors.receiving import receiving_visible

    start = _today().replace(month=1, day=1)
    ordered = (
        order_visible(actor=user)
        .filter(supplier=party, ordered_on__gte=start)
        .exclude(state__in=[OrderState.DRAFT, OrderState.PENDING, OrderState.CANCELLED])
        .values("currency_id")
        .annotate(n=Count("id"), total=Sum("gross_total"))
        .order_by("currency_id")
    )
    invoiced = (
        receiving_visible(SupplierInvoice, actor=user)
        .filter(supplier=party, invoice_date__gte=start)
        .exclude(state=InvoiceState.CANCELLED)
        .values("currency_id")
        .annotate(n=Count("id"), total=Sum("gross_total"))
        .order_by("currency_id")
    )
    return {"spend_year": start.year, "spend_ordered": list(ordered), "spend_invoiced": list(invoiced)}

"""Reads of receivables: what an order has planned, collected, still open and overdue, and how much is
invoiced; the same per customer (its page's card) and per rep (the Receivables page), in one query each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from guanxi.crm.choices import FapiaoState, OrderState
from guanxi.crm.models import FapiaoRequest, Instalment, SalesOrder
from guanxi.crm.selectors.quotes import order_visible, require_reader
from guanxi.crm.selectors.totals import Total, in_one_currency

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=17, decimal_places=4)


def _sum(qs, expr) -> Any:
    return Coalesce(
        Subquery(qs.values("order_id").annotate(s=Sum(expr)).values("s")[:1]), Value(ZERO), output_field=MONEY
    )


def with_receivables(qs: QuerySet[SalesOrder], *, today: dt.date | None = None) -> QuerySet[SalesOrder]:
    """Orders annotated with `overdue` (unpaid on instalments past due) and `invoiced` (requested, not
    rejected); `collected` is the order's own column (kept by collection_record)."""
    today = today or timezone.localdate()
    return qs.annotate(
        overdue=_sum(
            Instalment.objects.filter(order=OuterRef("pk"), due_date__lt=today, paid__lt=F("amount")),
            F("amount") - F("paid"),
        ),
        invoiced=_sum(
            FapiaoRequest.objects.filter(order=OuterRef("pk")).exclude(state=FapiaoState.REJECTED), "amount"
        ),
    )


@dataclass
class OrderReceivable:
    total: Decimal
    planned: Decimal
    collected: Decimal
    open: Decimal
    overdue: Decimal
    invoiced: Decimal
    not_invoiced: Decimal


def order_receivable(order: SalesOrder) -> OrderReceivable:
    o: Any = with_receivables(SalesOrder.objects.filter(pk=order.pk)).get()
    planned = Instalment.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or ZERO
    return OrderReceivable(
        total=o.gross_total,
        planned=planned,
        collected=o.collected,
        open=o.gross_total - o.collected,
        overdue=o.overdue,
        invoiced=o.invoiced,
        not_invoiced=o.gross_total - o.invoiced,
    )


def open_orders(*, actor, owner: str = "", customer: int | None = None) -> QuerySet[SalesOrder]:
    """Orders with money still to come, as far as the actor's scope reaches (not cancelled)."""
    require_reader(actor)
    qs = order_visible(actor=actor).exclude(state=OrderState.CANCELLED)
    if owner == "me":
        qs = qs.filter(owner_id=actor.pk)
    elif owner.isdigit():
        qs = qs.filter(owner_id=int(owner))
    if customer:
        qs = qs.filter(customer_id=customer)
    annotated: Any = with_receivables(qs)
    return annotated.filter(collected__lt=F("gross_total")).annotate(
        open_amount=F("gross_total") - F("collected")
    )


@dataclass
class ReceivableTotals:
    open: Total
    overdue: Total


def receivable_totals(qs: QuerySet[SalesOrder]) -> ReceivableTotals:
    """Open and overdue amounts of these orders, per currency summed in the database, in the home currency."""
    base: Any = qs.order_by()
    rows = list(
        base.values("currency_id")
        .annotate(n=Sum(Value(1)), open=Sum(F("gross_total") - F("collected")), late=Sum("overdue"))
        .values_list("currency_id", "n", "open", "late")
    )
    return ReceivableTotals(
        open=in_one_currency([(c, n, o, ZERO) for c, n, o, _l in rows]),
        overdue=in_one_currency([(c, 0, late, ZERO) for c, _n, _o, late in rows]),
    )

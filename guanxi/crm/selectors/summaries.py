"""A customer's sales at a glance (the party page's "Open pipeline" card): open opportunities with their
amount and weighted amount, and what was won this year, in the home currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from guanxi.crm.choices import OpportunityState
from guanxi.crm.selectors.opportunities import opportunity_visible
from guanxi.crm.selectors.totals import Total, in_one_currency

WEIGHTED = ExpressionWrapper(F("amount") * F("probability") / 100, output_field=DecimalField())


def per_currency(qs, *by: str):
    """(*by, currency, count, amount, weighted) rows of a queryset of opportunities: one GROUP BY."""
    return (
        qs.order_by()
        .values(*by, "currency_id")
        .annotate(n=Count("id"), total=Sum("amount"), weighted=Sum(WEIGHTED))
        .values_list(*by, "currency_id", "n", "total", "weighted")
    )


@dataclass
class CustomerPipeline:
    open: Total
    won: Total
    year: int


def customer_pipeline(*, actor, customer, year: int) -> CustomerPipeline:
    qs = opportunity_visible(actor=actor).filter(customer=customer)
    rows = list(
        per_currency(
            qs.filter(
                Q(state=OpportunityState.OPEN)
                | Q(
                    state=OpportunityState.WON,
                    closed_on__gte=dt.date(year, 1, 1),
                    closed_on__lt=dt.date(year + 1, 1, 1),
                )
            ),
            "state",
        )
    )
    open_rows = [r[1:] for r in rows if r[0] == OpportunityState.OPEN]
    won_rows = [r[1:] for r in rows if r[0] == OpportunityState.WON]
    return CustomerPipeline(open=in_one_currency(open_rows), won=in_one_currency(won_rows), year=year)

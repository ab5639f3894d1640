"""A customer's sales at a glance (the party page's "Open pipeline" card): open opportunities with their
amount and weighted amount, and what was won this year, in the home currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from guanxi.crm.choices import OpportunityState
from guanxi.crm.selectors.opportunities import opportunity_visible
from guanxi.crm.selectors.totals import Total, in_one_currency

# amount × probability, summed in the database; divided by 100 in Python (Decimal). Dividing in SQL would be an
# integer division on SQLite, which keeps a whole amount as an integer (150 at 33 % gave 49, not 49.50).
WEIGHTED_X100 = ExpressionWrapper(F("amount") * F("probability"), output_field=DecimalField())


def per_currency(qs, *by: str):
    """(*by, currency, count, amount, weighted) rows of a queryset of opportunities: one GROUP BY."""
    rows = (
        qs.order_by()
        .values(*by, "currency_id")
        .annotate(n=Count("id"), total=Sum("amount"), weighted=Sum(WEIGHTED_X100))
        .values_list(*by, "currency_id", "n", "total", "weighted")
    )
    return [(*row[:-1], None if row[-1] is None else Decimal(row[-1]) / 100) for row in rows]


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

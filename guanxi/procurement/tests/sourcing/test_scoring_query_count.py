"""The comparison costs a fixed number of queries: 3 suppliers × 2 lines cost what 8 suppliers × 20 lines
cost (one rate lookup per currency, not per quote or line)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.procurement.models import Rfq
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.services import quotes, rfqs
from guanxi.procurement.tests.conftest import supplier
from guanxi.procurement.tests.sourcing.support import later, opened

pytestmark = pytest.mark.django_db

BOUND = (
    10  # quotes, lines, criteria, quote lines, hand scores, and two rate lookups for the one foreign currency
)


def _opened(shop, parties, n_lines):
    data = {
        "title": f"{len(parties)} × {n_lines}",
        "deadline": later(),
        "criteria": [{"kind": "price", "weight": 80}, {"kind": "quality", "weight": 20}],
        "lines": [{"description": f"Part {i}", "quantity": str(10 + i)} for i in range(n_lines)],
    }
    rfq = rfqs.rfq_create(actor=shop.buyer, data=data)
    for party in parties:
        rfqs.rfq_invite(
            actor=shop.buyer, rfq=rfq, version=Rfq.objects.get(pk=rfq.pk).version, supplier=party.pk
        )
    rfq = rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=Rfq.objects.get(pk=rfq.pk).version)
    lines = list(rfq.lines.order_by("position"))
    for k, party in enumerate(parties):
        payload = {
            "currency": "USD" if k == 0 else "CNY",
            "payment_days": 30 + k,
            "lines": [
                {"rfq_line": ln.pk, "unit_price": str(Decimal(1 + k) + Decimal(j) / 100), "lead_days": k + j}
                for j, ln in enumerate(lines)
                if not (k == 1 and j == 0)  # one partial quote
            ],
        }
        quotes.quote_submit(actor=shop.buyer, rfq=rfq, supplier=party.pk, data=payload)
    rfq = opened(shop, rfq)
    hand = next(c for c in rfq.criteria.all() if c.kind == "quality")
    first = rfq.quotes.order_by("id").first()
    return quotes.quote_scores_set(
        actor=shop.buyer, rfq=rfq, version=rfq.version, scores={first.pk: {hand.pk: 70}}
    )


def _count(rfq) -> tuple[int, object]:
    rfq = Rfq.objects.get(pk=rfq.pk)
    with CaptureQueriesContext(connection) as ctx:
        table = comparison(rfq)
    return len(ctx.captured_queries), table


def test_the_comparison_costs_the_same_whatever_its_size(shop):
    exchange_rate_create(actor=shop.admin, date=timezone.localdate(), base="USD", quote="CNY", rate="7.1")
    more = [supplier(shop.admin, f"供应商{i}号有限公司", "approved") for i in range(6)]
    small = _opened(shop, [shop.huaqiang, shop.preferred, more[0]], 2)
    big = _opened(shop, [shop.huaqiang, shop.preferred, *more], 20)
    comparison(small)  # warm the process-wide currency table
    n_small, t_small = _count(small)
    n_big, t_big = _count(big)
    assert (len(t_small.columns), len(t_small.rows)) == (3, 2)
    assert (len(t_big.columns), len(t_big.rows)) == (8, 20)
    assert sum(c is not None for r in t_big.rows for c in r.cells) == 8 * 20 - 1
    assert n_small == n_big <= BOUND
    # Reading the table (supplier names, units, scores) costs nothing more.
    with CaptureQueriesContext(connection) as ctx:
        for table in (t_small, t_big):
            for col in table.columns:
                _ = (col.supplier.name, col.quote.currency_id, col.scores, col.rank, col.quote.payment_days)
            for row in table.rows:
                _ = (
                    row.line.unit,
                    row.line.product,
                    row.best_price,
                    [c.quote_line.lead_days for c in row.cells if c],
                )
    assert len(ctx.captured_queries) == 0

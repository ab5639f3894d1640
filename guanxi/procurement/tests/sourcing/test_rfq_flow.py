"""An RFQ from draft to purchase orders: sealed quotes stay unreadable until opening, the comparison ranks the
suppliers, an award that is not the cheapest needs a justification, orders come out at the quoted prices."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.procurement.choices import QuoteState, RfqState
from guanxi.procurement.models import SupplierQuote, SupplierQuoteLine
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.services import awards
from guanxi.procurement.tests.sourcing.support import opened, published, quote

pytestmark = pytest.mark.django_db


def test_source_to_orders(shop):
    rfq = published(shop)
    third = rfq.invitations.exclude(supplier__in=[shop.huaqiang, shop.preferred]).get().supplier
    quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"], lead=(7, 5))
    quote(shop, rfq, shop.preferred, ["0.0090", "3.50"], lead=(14, 14), days=60)
    quote(shop, rfq, third, ["0.0120", None])
    sealed = SupplierQuote.objects.filter(rfq=rfq)
    assert {q.state for q in sealed} == {QuoteState.SEALED}
    assert not SupplierQuoteLine.objects.filter(quote__rfq=rfq).exists()
    assert all("0.0100" not in q.sealed and q.sealed for q in sealed)
    rfq = opened(shop, rfq)
    assert rfq.state == RfqState.OPENED
    table = comparison(rfq)
    assert [c.quoted for c in table.columns if c.supplier == third] == [1]
    by = {c.supplier.pk: c for c in table.columns}
    assert by[shop.huaqiang.pk].total == Decimal("100.00") + Decimal("1600.00")
    assert by[shop.preferred.pk].total == Decimal("90.00") + Decimal("1750.00")
    assert table.cheapest_complete().supplier == shop.huaqiang
    # The whole to the dearer one: a justification is asked for.
    with pytest.raises(ValidationError) as exc:
        awards.rfq_award(
            actor=shop.buyer, rfq=rfq, version=rfq.version, award={"whole": by[shop.preferred.pk].quote.pk}
        )
    assert "lowest total" in str(exc.value)
    rfq = awards.rfq_award(
        actor=shop.buyer,
        rfq=rfq,
        version=rfq.version,
        award={
            "lines": {
                str(r.line.pk): c.quote.pk
                for r, c in zip(table.rows, [by[shop.preferred.pk], by[shop.huaqiang.pk]], strict=True)
            }
        },
    )
    assert rfq.state == RfqState.AWARDED
    orders = awards.rfq_make_orders(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert sorted(o.supplier_id for o in orders) == sorted([shop.preferred.pk, shop.huaqiang.pk])
    prices = {o.supplier_id: [ln.unit_price for ln in o.lines.all()] for o in orders}
    assert prices[shop.preferred.pk] == [Decimal("0.0090")] and prices[shop.huaqiang.pk] == [Decimal("3.20")]

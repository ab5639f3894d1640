"""The award (定标) and the purchase orders it becomes: the whole to the cheapest needs no justification, the
whole to a supplier who left lines out is refused, a line not at the lowest price needs a reason, too few
quotes for the amount (in CNY) need one too; then one draft order per supplier at the quoted prices."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.procurement.choices import OrderState, RfqState
from guanxi.procurement.models import PurchaseOrder, PurchasingSettings, Rfq
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.services import awards, rfqs
from guanxi.procurement.tests.sourcing.support import draft, opened, published, quote

pytestmark = pytest.mark.django_db


def _three(shop):
    """An opened RFQ (10 000 resistors, 500 cartons): huaqiang cheapest in total (1 700), preferred cheapest
    on resistors only (1 840), the third quoted resistors only."""
    rfq = published(shop)
    third = rfq.invitations.exclude(supplier__in=[shop.huaqiang, shop.preferred]).get().supplier
    quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"], days=30)
    quote(shop, rfq, shop.preferred, ["0.0090", "3.50"], days=60)
    quote(shop, rfq, third, ["0.0120", None])
    rfq = opened(shop, rfq)
    table = comparison(rfq)
    by = {c.supplier.pk: c for c in table.columns}
    return rfq, table, by[shop.huaqiang.pk], by[shop.preferred.pk], by[third.pk]


def _rules(minimum, above):
    PurchasingSettings.current()
    PurchasingSettings.objects.update(rfq_min_quotes=minimum, rfq_min_quotes_above=Decimal(above))


def _award(shop, rfq, reason="", **award):
    rfq = Rfq.objects.get(pk=rfq.pk)
    return awards.rfq_award(actor=shop.buyer, rfq=rfq, version=rfq.version, award=award, reason=reason)


def test_the_whole_to_the_cheapest_needs_no_reason(shop):
    rfq, table, hq, _pref, _third = _three(shop)
    assert table.cheapest_complete() is hq and hq.total == Decimal("1700.00")
    rfq = _award(shop, rfq, whole=hq.quote.pk)
    assert rfq.state == RfqState.AWARDED and rfq.award_reason == "" and rfq.awarded_at is not None
    lines = list(rfq.lines.select_related("awarded__quote").order_by("position"))
    assert [ln.awarded.quote_id for ln in lines] == [hq.quote.pk, hq.quote.pk]
    assert [ln.awarded.unit_price for ln in lines] == [Decimal("0.0100"), Decimal("3.20")]


def test_the_whole_to_a_dearer_supplier_needs_a_reason(shop):
    rfq, _table, hq, pref, _third = _three(shop)
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, whole=pref.quote.pk)
    assert hq.supplier.name in exc.value.message_dict["reason"][0]
    rfq = _award(shop, rfq, reason="Better quality record", whole=pref.quote.pk)
    assert rfq.award_reason == "Better quality record"


def test_the_whole_to_a_partial_quote_is_refused_even_with_a_reason(shop):
    rfq, _table, _hq, _pref, third = _three(shop)
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, reason="cheapest resistors", whole=third.quote.pk)
    assert "line by line" in exc.value.message_dict["whole"][0]
    assert Rfq.objects.get(pk=rfq.pk).state == RfqState.OPENED


def test_line_by_line_at_the_lowest_prices_needs_no_reason(shop):
    rfq, table, hq, pref, _third = _three(shop)
    resistors, cartons = (r.line for r in table.rows)
    rfq = _award(shop, rfq, lines={str(resistors.pk): pref.quote.pk, str(cartons.pk): hq.quote.pk})
    assert rfq.state == RfqState.AWARDED and rfq.award_reason == ""


def test_a_line_not_at_the_lowest_price_needs_a_reason(shop):
    rfq, table, hq, _pref, third = _three(shop)
    resistors, cartons = (r.line for r in table.rows)
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, lines={str(resistors.pk): third.quote.pk, str(cartons.pk): hq.quote.pk})
    assert resistors.description in exc.value.message_dict["reason"][0]
    rfq = _award(shop, rfq, "Local stock", lines={str(resistors.pk): third.quote.pk, str(cartons.pk): ""})
    lines = list(rfq.lines.order_by("position"))
    assert lines[0].awarded.quote_id == third.quote.pk and lines[1].awarded is None


def test_a_line_goes_only_to_a_supplier_who_quoted_it(shop):
    rfq, table, _hq, _pref, third = _three(shop)
    cartons = table.rows[1].line
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, "x", lines={str(cartons.pk): third.quote.pk})
    assert list(exc.value.message_dict) == [f"lines.{cartons.pk}"]
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, "x", lines={str(cartons.pk): ""})
    assert list(exc.value.message_dict) == ["lines"]
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, "x", whole=999999)
    assert list(exc.value.message_dict) == ["whole"]


def _two(shop, prices_hq, prices_pref, quantities=("10000", "500"), currency="CNY"):
    lines = [
        {"product": shop.resistor.pk, "quantity": quantities[0]},
        {"product": shop.carton.pk, "quantity": quantities[1]},
    ]
    rfq = draft(shop, lines=lines, currency=currency)
    for party in (shop.huaqiang, shop.preferred):
        rfqs.rfq_invite(
            actor=shop.buyer, rfq=rfq, version=Rfq.objects.get(pk=rfq.pk).version, supplier=party.pk
        )
    rfq = rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=Rfq.objects.get(pk=rfq.pk).version)
    quote(shop, rfq, shop.huaqiang, prices_hq, currency=currency)
    quote(shop, rfq, shop.preferred, prices_pref, currency=currency)
    rfq = opened(shop, rfq)
    return rfq, comparison(rfq).cheapest_complete()


def test_too_few_quotes_above_the_threshold_need_a_justification(shop):
    _rules(3, "1000")
    rfq, best = _two(shop, ["0.0100", "3.20"], ["0.0090", "3.50"])  # 1 700 CNY
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, whole=best.quote.pk)
    message = exc.value.message_dict["reason"][0]
    assert "2 quotes" in message and "1,700.00" in message and "at least 3" in message
    rfq = _award(shop, rfq, "Only two makers qualified", whole=best.quote.pk)
    assert rfq.state == RfqState.AWARDED


def test_the_threshold_itself_counts_as_above(shop):
    _rules(3, "1700")
    rfq, best = _two(shop, ["0.0100", "3.20"], ["0.0090", "3.50"])
    with pytest.raises(ValidationError):
        _award(shop, rfq, whole=best.quote.pk)


def test_too_few_quotes_below_the_threshold_need_nothing(shop):
    _rules(3, "1000")
    rfq, best = _two(shop, ["0.0100", "0.50"], ["0.0200", "0.60"])  # 100 + 250 = 350 CNY
    assert best.total == Decimal("350.00")
    assert _award(shop, rfq, whole=best.quote.pk).state == RfqState.AWARDED


def test_the_threshold_is_in_cny_whatever_the_rfq_currency(shop):
    """150 USD at 7.2 = 1 080 CNY: above a threshold of 1 000 CNY although below 1 000 USD."""
    exchange_rate_create(actor=shop.admin, date=timezone.localdate(), base="USD", quote="CNY", rate="7.2")
    _rules(3, "1000")
    rfq, best = _two(shop, ["0.01", "0.10"], ["0.02", "0.20"], currency="USD")  # 100 + 50 USD
    assert best.total == Decimal("150.00")
    with pytest.raises(ValidationError) as exc:
        _award(shop, rfq, whole=best.quote.pk)
    assert "1,080.00" in exc.value.message_dict["reason"][0]


def test_enough_quotes_need_nothing_above_the_threshold(shop):
    _rules(2, "1000")
    rfq, best = _two(shop, ["0.0100", "3.20"], ["0.0090", "3.50"])
    assert _award(shop, rfq, whole=best.quote.pk).award_reason == ""


def test_orders_one_draft_per_supplier_at_the_quoted_prices(shop):
    rfq, table, hq, pref, _third = _three(shop)
    resistors, cartons = (r.line for r in table.rows)
    rfq = _award(shop, rfq, lines={str(resistors.pk): pref.quote.pk, str(cartons.pk): hq.quote.pk})
    orders = awards.rfq_make_orders(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert len(orders) == 2 and PurchaseOrder.objects.count() == 2
    by = {o.supplier_id: o for o in orders}
    assert set(by) == {shop.huaqiang.pk, shop.preferred.pk}
    for o in orders:
        assert o.state == OrderState.DRAFT and o.currency_id == "CNY" and rfq.number in o.notes
        assert o.owner == shop.buyer
    assert [(ln.quantity, ln.unit_price) for ln in by[shop.preferred.pk].lines.all()] == [
        (Decimal("10000"), Decimal("0.0090"))
    ]
    assert [(ln.quantity, ln.unit_price) for ln in by[shop.huaqiang.pk].lines.all()] == [
        (Decimal("500"), Decimal("3.20"))
    ]
    assert "60" in by[shop.preferred.pk].payment_terms and "30" in by[shop.huaqiang.pk].payment_terms
    resistors.refresh_from_db()
    cartons.refresh_from_db()
    assert (
        resistors.purchase_order == by[shop.preferred.pk] and cartons.purchase_order == by[shop.huaqiang.pk]
    )
    rfq = Rfq.objects.get(pk=rfq.pk)
    assert rfq.state == RfqState.ORDERED
    with pytest.raises(ValidationError):
        awards.rfq_make_orders(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert PurchaseOrder.objects.count() == 2


def test_a_line_not_awarded_goes_into_no_order(shop):
    rfq, table, hq, _pref, _third = _three(shop)
    resistors, cartons = (r.line for r in table.rows)
    rfq = _award(shop, rfq, lines={str(cartons.pk): hq.quote.pk})
    (order,) = awards.rfq_make_orders(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert order.supplier_id == shop.huaqiang.pk and order.lines.count() == 1
    resistors.refresh_from_db()
    assert resistors.purchase_order is None and resistors.awarded is None


def test_orders_are_in_the_quote_currency(shop):
    exchange_rate_create(actor=shop.admin, date=timezone.localdate(), base="USD", quote="CNY", rate="7.2")
    rfq = published(shop, suppliers=[shop.huaqiang, shop.preferred])
    quote(shop, rfq, shop.huaqiang, ["0.0014", "0.45"], currency="USD")  # 100.80 + 1 620 CNY
    quote(shop, rfq, shop.preferred, ["0.0090", "3.50"])  # 90 + 1 750 CNY
    rfq = opened(shop, rfq)
    best = comparison(rfq).cheapest_complete()
    assert best.supplier == shop.huaqiang and best.total == Decimal("1720.80")
    rfq = _award(shop, rfq, "two quotes only", whole=best.quote.pk)
    (order,) = awards.rfq_make_orders(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert order.currency_id == "USD"
    assert [ln.unit_price for ln in order.lines.all()] == [Decimal("0.0014"), Decimal("0.45")]

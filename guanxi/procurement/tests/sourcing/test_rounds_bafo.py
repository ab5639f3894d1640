"""Further rounds (best and final offer): the RFQ opens again for quotes, the earlier round's quotes stay
opened and comparable, the new round's are sealed until the RFQ is opened again; declines start afresh."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.selectors.users import history_for
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.procurement.choices import QuoteState, RfqState
from guanxi.procurement.models import Rfq, SupplierQuote, SupplierQuoteLine
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.selectors.sourcing import RfqFilters, invitations_of, quote_count, rfq_list
from guanxi.procurement.services import awards, quotes
from guanxi.procurement.tests.sourcing.support import later, opened, published, quote

pytestmark = pytest.mark.django_db


def _totals(table) -> dict:
    return {c.supplier.pk: c.total for c in table.columns}


def _round_one(shop):
    rfq = published(shop)
    third = rfq.invitations.exclude(supplier__in=[shop.huaqiang, shop.preferred]).get().supplier
    quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"])
    quote(shop, rfq, shop.preferred, ["0.0090", "3.50"])
    quotes.quote_decline(actor=shop.buyer, rfq=rfq, supplier=third.pk, reason="no capacity")
    rfq = opened(shop, rfq)
    return rfq, third


def _new_round(shop, rfq, hours=48):
    rfq = Rfq.objects.get(pk=rfq.pk)
    return quotes.rfq_new_round(actor=shop.buyer, rfq=rfq, version=rfq.version, deadline=later(hours))


def test_a_new_round_keeps_round_one_readable_and_seals_round_two(shop):
    rfq, third = _round_one(shop)
    before = _totals(comparison(rfq))
    assert before == {shop.huaqiang.pk: Decimal("1700.00"), shop.preferred.pk: Decimal("1840.00")}
    rfq = _new_round(shop, rfq)
    assert (rfq.state, rfq.round, rfq.opened_at, rfq.opened_by) == (RfqState.OPEN, 2, None, None)
    # Round 1: still opened, still readable.
    assert set(SupplierQuote.objects.filter(rfq=rfq, round=1).values_list("state", flat=True)) == {
        QuoteState.OPENED
    }
    assert _totals(comparison(rfq, 1)) == before
    assert comparison(rfq).columns == []  # round 2: nothing opened yet
    # Round 1's decline is kept (with its round) for the scorecards; in round 2 the supplier has not declined.
    inv = rfq.invitations.get(supplier=third)
    assert inv.declined_round == 1 and inv.declined_at is not None
    row = next(x for x in invitations_of(rfq) if x.invitation.supplier_id == third.pk)
    assert not row.declined
    # Round 2's quotes are sealed; a resubmission replaces only round 2's.
    quote(shop, rfq, shop.huaqiang, ["0.0095", "3.10"])
    bafo = quote(shop, rfq, shop.huaqiang, ["0.0085", "3.00"])
    quote(shop, rfq, third, ["0.0080", "3.40"])
    assert SupplierQuote.objects.filter(rfq=rfq, round=2, state=QuoteState.REPLACED).count() == 1
    assert SupplierQuote.objects.filter(rfq=rfq, round=2, state=QuoteState.SEALED).count() == 2
    assert not SupplierQuoteLine.objects.filter(quote__round=2).exists()
    assert SupplierQuoteLine.objects.filter(quote__round=1).count() == 4
    assert comparison(rfq).columns == [] and _totals(comparison(rfq, 1)) == before
    rows = {r.invitation.supplier_id: r.quote for r in invitations_of(rfq)}
    assert rows[shop.preferred.pk] is None and rows[shop.huaqiang.pk].pk == bafo.pk
    assert quote_count(rfq) == 2 and quote_count(rfq, 1) == 2
    # Opened again: round 2 has its own table, round 1 is unchanged.
    rfq = opened(shop, rfq)
    assert _totals(comparison(rfq)) == {shop.huaqiang.pk: Decimal("1585.00"), third.pk: Decimal("1780.00")}
    assert _totals(comparison(rfq, 1)) == before
    entries = [e.changes for e in history_for(subject_type="procurement.rfq", subject_id=rfq.pk)]
    assert any(c.get("round") == [1, 2] for c in entries)


def test_the_award_takes_the_current_round_only(shop):
    rfq, _third = _round_one(shop)
    old = {c.supplier.pk: c.quote.pk for c in comparison(rfq).columns}
    rfq = _new_round(shop, rfq)
    new = quote(shop, rfq, shop.preferred, ["0.0080", "3.00"])
    rfq = opened(shop, rfq)
    with pytest.raises(ValidationError) as exc:
        awards.rfq_award(
            actor=shop.buyer, rfq=rfq, version=rfq.version, award={"whole": old[shop.huaqiang.pk]}, reason="x"
        )
    assert list(exc.value.message_dict) == ["whole"]
    with pytest.raises(ValidationError) as exc:
        quotes.quote_scores_set(
            actor=shop.buyer, rfq=rfq, version=rfq.version, scores={old[shop.huaqiang.pk]: {1: 50}}
        )
    rfq = awards.rfq_award(
        actor=shop.buyer, rfq=rfq, version=rfq.version, award={"whole": new.pk}, reason="one"
    )
    assert {ln.awarded.quote_id for ln in rfq.lines.all()} == {new.pk}


def test_a_new_round_only_from_an_opened_rfq_and_with_a_future_deadline(shop):
    rfq = published(shop, suppliers=[shop.huaqiang])
    with pytest.raises(ValidationError) as exc:
        _new_round(shop, rfq)
    assert "state" in exc.value.message_dict
    quote(shop, rfq, shop.huaqiang, ["0.01", "3"])
    rfq = opened(shop, rfq)
    for bad in ("", "2001-01-01T00:00", "tomorrow"):
        with pytest.raises(ValidationError) as exc:
            quotes.rfq_new_round(actor=shop.buyer, rfq=rfq, version=rfq.version, deadline=bad)
        assert "deadline" in exc.value.message_dict
    assert Rfq.objects.get(pk=rfq.pk).round == 1


def test_late_quotes_in_round_two_are_refused_and_an_early_open_needs_a_manager(shop):
    rfq, _third = _round_one(shop)
    rfq = _new_round(shop, rfq)
    quote(shop, rfq, shop.huaqiang, ["0.0095", "3.10"])
    with pytest.raises(PermissionDeniedError):
        quotes.rfq_open(actor=shop.buyer, rfq=rfq, version=rfq.version, reason="x")
    rfq = quotes.rfq_open(actor=shop.pm, rfq=rfq, version=rfq.version, reason="supplier asked")
    assert rfq.state == RfqState.OPENED and rfq.round == 2


def test_round_one_keeps_the_rates_of_the_day_it_was_opened(shop):
    today = timezone.localdate()
    exchange_rate_create(
        actor=shop.admin, date=today - dt.timedelta(days=1), base="USD", quote="CNY", rate="7"
    )
    exchange_rate_create(actor=shop.admin, date=today, base="USD", quote="CNY", rate="8")
    rfq = published(shop, suppliers=[shop.huaqiang, shop.preferred])
    quote(shop, rfq, shop.huaqiang, ["0.001", "0.40"], currency="USD")
    quote(shop, rfq, shop.preferred, ["0.0090", "3.50"])
    rfq = opened(shop, rfq)
    yesterday = timezone.now() - dt.timedelta(days=1)  # as if opened yesterday
    Rfq.objects.filter(pk=rfq.pk).update(opened_at=yesterday)
    SupplierQuote.objects.filter(rfq=rfq).update(opened_at=yesterday)
    rfq = Rfq.objects.get(pk=rfq.pk)
    before = _totals(comparison(rfq))
    assert before[shop.huaqiang.pk] == Decimal("70.00") + Decimal("1400.00")  # at 7, the day it was opened
    rfq = _new_round(shop, rfq)
    assert _totals(comparison(rfq, 1)) == before


def test_the_list_counts_the_answers_of_the_current_round(shop):
    rfq, _third = _round_one(shop)
    assert rfq_list(actor=shop.buyer, filters=RfqFilters()).get(pk=rfq.pk).answered == 2
    rfq = _new_round(shop, rfq)
    assert quote_count(rfq) == 0
    assert rfq_list(actor=shop.buyer, filters=RfqFilters()).get(pk=rfq.pk).answered == 0

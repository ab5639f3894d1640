"""Who may do what to an RFQ, and when: opening before the deadline (a Procurement Manager, with a reason kept
on the RFQ and in its history), after it (the buyer), stale versions, another team's buyer (not found),
an executive (reads only), a sales rep (nothing); no award once cancelled, none to a blocked supplier."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.selectors.users import history_for
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.procurement.choices import QuoteState, RfqState
from guanxi.procurement.models import Rfq, SupplierQuote
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.selectors.sourcing import RfqFilters, rfq_get, rfq_list
from guanxi.procurement.services import awards, quotes, rfqs
from guanxi.procurement.tests.sourcing.support import draft, later, opened, published, quote

pytestmark = pytest.mark.django_db


def _quoted(shop):
    rfq = published(shop, suppliers=[shop.huaqiang, shop.preferred])
    quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"])
    quote(shop, rfq, shop.preferred, ["0.0090", "3.50"])
    return Rfq.objects.get(pk=rfq.pk)


def _fresh(rfq) -> Rfq:
    return Rfq.objects.get(pk=rfq.pk)


def test_a_buyer_cannot_open_before_the_deadline(shop):
    rfq = _quoted(shop)
    with pytest.raises(PermissionDeniedError) as exc:
        quotes.rfq_open(actor=shop.buyer, rfq=rfq, version=rfq.version, reason="urgent")
    assert "Procurement Manager" in str(exc.value)
    assert _fresh(rfq).state == RfqState.OPEN
    assert set(SupplierQuote.objects.filter(rfq=rfq).values_list("state", flat=True)) == {QuoteState.SEALED}


def test_a_manager_opens_early_only_with_a_reason_kept_on_the_rfq_and_in_history(shop):
    rfq = _quoted(shop)
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            quotes.rfq_open(actor=shop.pm, rfq=rfq, version=rfq.version, reason=blank)
        assert list(exc.value.message_dict) == ["reason"]
    rfq = quotes.rfq_open(actor=shop.pm, rfq=rfq, version=rfq.version, reason="Line stop: need a price today")
    assert rfq.state == RfqState.OPENED and rfq.opened_by == shop.pm
    assert _fresh(rfq).opened_early_reason == "Line stop: need a price today"
    entries = [e.changes for e in history_for(subject_type="procurement.rfq", subject_id=rfq.pk)]
    assert {"opened_early": [None, "Line stop: need a price today"]}.items() <= next(
        c for c in entries if "opened_early" in c
    ).items()
    assert len(comparison(rfq).columns) == 2


def test_the_buyer_opens_after_the_deadline_without_a_reason(shop):
    rfq = opened(shop, _quoted(shop))
    assert rfq.state == RfqState.OPENED and rfq.opened_by == shop.buyer
    assert _fresh(rfq).opened_early_reason == ""
    assert {q.state for q in SupplierQuote.objects.filter(rfq=rfq)} == {QuoteState.OPENED}
    entries = [e.changes for e in history_for(subject_type="procurement.rfq", subject_id=rfq.pk)]
    assert not any("opened_early" in c for c in entries)
    assert any(c.get("quotes") == [None, 2] for c in entries)


def test_a_reason_given_after_the_deadline_is_not_recorded_as_early(shop):
    rfq = _quoted(shop)
    Rfq.objects.filter(pk=rfq.pk).update(deadline=rfq.deadline.replace(year=2020))
    rfq = _fresh(rfq)
    rfq = quotes.rfq_open(actor=shop.pm, rfq=rfq, version=rfq.version, reason="why not")
    assert _fresh(rfq).opened_early_reason == ""


def test_opening_twice_is_refused(shop):
    rfq = opened(shop, _quoted(shop))
    with pytest.raises(ValidationError) as exc:
        quotes.rfq_open(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert "state" in exc.value.message_dict


def test_no_award_after_cancelling(shop):
    rfq = opened(shop, _quoted(shop))
    table = comparison(rfq)
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_cancel(actor=shop.buyer, rfq=rfq, version=rfq.version, reason="")
    assert "reason" in exc.value.message_dict
    rfq = rfqs.rfq_cancel(actor=shop.buyer, rfq=rfq, version=rfq.version, reason="Project stopped")
    assert rfq.state == RfqState.CANCELLED and rfq.cancel_reason == "Project stopped"
    with pytest.raises(ValidationError) as exc:
        awards.rfq_award(
            actor=shop.buyer,
            rfq=rfq,
            version=rfq.version,
            award={"whole": table.cheapest_complete().quote.pk},
        )
    assert "state" in exc.value.message_dict
    assert _fresh(rfq).state == RfqState.CANCELLED and not rfq.lines.filter(awarded__isnull=False).exists()


def test_a_supplier_blocked_after_quoting_is_not_awarded(shop):
    rfq = opened(shop, _quoted(shop))
    winner = comparison(rfq).cheapest_complete()
    assert winner.supplier == shop.huaqiang
    party_set_supplier_status(actor=shop.admin, party=shop.huaqiang, status="blocked")
    rfq = _fresh(rfq)
    with pytest.raises(ValidationError) as exc:
        awards.rfq_award(actor=shop.buyer, rfq=rfq, version=rfq.version, award={"whole": winner.quote.pk})
    assert "supplier" in exc.value.message_dict
    lines = {str(ln.pk): winner.quote.pk for ln in rfq.lines.all()}
    with pytest.raises(ValidationError) as exc:
        awards.rfq_award(actor=shop.buyer, rfq=rfq, version=rfq.version, award={"lines": lines}, reason="x")
    assert "supplier" in exc.value.message_dict
    assert _fresh(rfq).state == RfqState.OPENED


def test_a_candidate_invited_with_a_reason_may_quote_but_not_win(shop):
    rfq = draft(shop)
    for party, why in ((shop.huaqiang, ""), (shop.candidate, "new source")):
        rfqs.rfq_invite(actor=shop.buyer, rfq=rfq, version=_fresh(rfq).version, supplier=party.pk, reason=why)
    rfq = rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=_fresh(rfq).version)
    quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"])
    cand = quote(shop, rfq, shop.candidate, ["0.0050", "1.00"])
    rfq = opened(shop, rfq)
    with pytest.raises(ValidationError) as exc:
        awards.rfq_award(actor=shop.buyer, rfq=rfq, version=rfq.version, award={"whole": cand.pk}, reason="x")
    assert "supplier" in exc.value.message_dict


def test_a_stale_version_is_a_conflict_on_every_write(shop):
    rfq = draft(shop)
    stale = rfq.version
    rfqs.rfq_invite(actor=shop.buyer, rfq=rfq, version=stale, supplier=shop.huaqiang.pk)
    for call in (
        lambda: rfqs.rfq_invite(actor=shop.buyer, rfq=rfq, version=stale, supplier=shop.preferred.pk),
        lambda: rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=stale),
        lambda: rfqs.rfq_update(actor=shop.buyer, rfq=rfq, version=stale, data={"title": "x"}),
        lambda: rfqs.rfq_cancel(actor=shop.buyer, rfq=rfq, version=stale, reason="x"),
    ):
        with pytest.raises(ConflictError):
            call()
    rfq = rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=_fresh(rfq).version)
    quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"])
    rfq = opened(shop, rfq)
    quote_pk = comparison(rfq).columns[0].quote.pk
    for call in (
        lambda: quotes.rfq_new_round(actor=shop.buyer, rfq=rfq, version=rfq.version - 1, deadline=later()),
        lambda: awards.rfq_award(
            actor=shop.buyer, rfq=rfq, version=rfq.version - 1, award={"whole": quote_pk}
        ),
        lambda: quotes.quote_scores_set(actor=shop.buyer, rfq=rfq, version=rfq.version - 1, scores={}),
    ):
        with pytest.raises(ConflictError):
            call()
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version="abc")
    assert "version" in exc.value.message_dict


def test_a_buyer_of_another_team_neither_sees_nor_changes(shop):
    rfq = _quoted(shop)
    west = shop.buyer_west
    with pytest.raises(NotFoundError):
        rfq_get(actor=west, pk=rfq.pk)
    assert not rfq_list(actor=west, filters=RfqFilters()).filter(pk=rfq.pk).exists()
    for call in (
        lambda: rfqs.rfq_invite(
            actor=west, rfq=rfq, version=rfq.version, supplier=shop.candidate.pk, reason="x"
        ),
        lambda: rfqs.rfq_extend(actor=west, rfq=rfq, version=rfq.version, deadline=later(100)),
        lambda: rfqs.rfq_cancel(actor=west, rfq=rfq, version=rfq.version, reason="x"),
        lambda: quote(shop, rfq, shop.huaqiang, ["0.001", "0.1"], actor=west),
        lambda: quotes.quote_decline(actor=west, rfq=rfq, supplier=shop.huaqiang.pk),
        lambda: quotes.rfq_open(actor=west, rfq=rfq, version=rfq.version, reason="x"),
    ):
        with pytest.raises(NotFoundError):
            call()
    fresh = _fresh(rfq)
    assert fresh.version == rfq.version and fresh.state == RfqState.OPEN
    assert SupplierQuote.objects.filter(rfq=rfq).count() == 2


def test_a_teammate_sees_the_rfq(shop):
    rfq = _quoted(shop)
    assert rfq_get(actor=shop.mate, pk=rfq.pk) == rfq
    assert rfq_get(actor=shop.pm2, pk=rfq.pk) == rfq


def test_an_executive_reads_but_never_writes(shop):
    rfq = _quoted(shop)
    boss = shop.executive
    assert rfq_get(actor=boss, pk=rfq.pk) == rfq
    assert rfq_list(actor=boss, filters=RfqFilters()).filter(pk=rfq.pk).exists()
    writes = [
        lambda r: rfqs.rfq_create(actor=boss, data={"title": "x", "deadline": later(), "lines": []}),
        lambda r: rfqs.rfq_invite(
            actor=boss, rfq=r, version=r.version, supplier=shop.candidate.pk, reason="x"
        ),
        lambda r: rfqs.rfq_extend(actor=boss, rfq=r, version=r.version, deadline=later(100)),
        lambda r: quote(shop, r, shop.huaqiang, ["0.001", "0.1"], actor=boss),
        lambda r: quotes.rfq_open(actor=boss, rfq=r, version=r.version, reason="curious"),
        lambda r: rfqs.rfq_cancel(actor=boss, rfq=r, version=r.version, reason="x"),
    ]
    for write in writes:
        with pytest.raises(PermissionDeniedError):
            write(rfq)
    rfq = opened(shop, rfq)
    pk = comparison(rfq).columns[0].quote.pk
    for write in (
        lambda r: awards.rfq_award(actor=boss, rfq=r, version=r.version, award={"whole": pk}, reason="x"),
        lambda r: quotes.quote_scores_set(actor=boss, rfq=r, version=r.version, scores={}),
        lambda r: quotes.rfq_new_round(actor=boss, rfq=r, version=r.version, deadline=later()),
    ):
        with pytest.raises(PermissionDeniedError):
            write(rfq)
    assert _fresh(rfq).version == rfq.version


def test_a_sales_rep_has_no_access(shop):
    rfq = _quoted(shop)
    with pytest.raises(PermissionDeniedError):
        rfq_get(actor=shop.rep, pk=rfq.pk)
    with pytest.raises(PermissionDeniedError):
        quote(shop, rfq, shop.huaqiang, ["0.001", "0.1"], actor=shop.rep)

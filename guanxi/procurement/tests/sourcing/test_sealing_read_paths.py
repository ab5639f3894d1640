"""Sealed quotes (密封报价) on every read path: before opening, no column, no history entry, no comparison,
no search and no export shows what a supplier quoted; a resubmission replaces the earlier quote; a quote
sealed under a secret key that is gone cannot be opened (unless the key is kept as a fallback)."""

import json

import pytest
from django.db import connection
from django.test import override_settings

from guanxi.core.exports import _EXPORTERS
from guanxi.core.models import AuditEntry
from guanxi.core.registry import _SEARCH
from guanxi.core.selectors.users import history_for
from guanxi.parties.selectors.parties import PartyFilters, party_list
from guanxi.procurement.choices import QuoteState, RfqState
from guanxi.procurement.models import Rfq, SupplierQuote, SupplierQuoteLine
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.selectors.sourcing import RfqFilters, invitations_of, rfq_list
from guanxi.procurement.services import quotes, sealing
from guanxi.procurement.tests.sourcing.support import opened, past_deadline, published, quote

pytestmark = pytest.mark.django_db

PRICE_A, PRICE_B = "4.567891", "8.765432"  # nowhere else in the database
NOTE = "密封暗号QX7Z"
SECRETS = (PRICE_A, PRICE_B, "QX7Z")


def _submit(shop, rfq, party, prices=(PRICE_A, PRICE_B), note=NOTE, days=45):
    lines = list(rfq.lines.order_by("position"))
    data = {
        "currency": "CNY",
        "payment_days": days,
        "notes": note,
        "lines": [{"rfq_line": ln.pk, "unit_price": p, "lead_days": 9} for ln, p in zip(lines, prices)],
    }
    return quotes.quote_submit(actor=shop.buyer, rfq=rfq, supplier=party.pk, data=data)


def _database_text() -> str:
    """Every value of every table, as text: what someone reading the database directly would see."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from introspection)
            out.extend(str(cell) for row in cursor.fetchall() for cell in row)
    return "\n".join(out)


def _history_text(rfq, *parties) -> str:
    entries = list(history_for(subject_type="procurement.rfq", subject_id=rfq.pk))
    for party in parties:
        entries += list(history_for(subject_type="parties.party", subject_id=party.pk))
    assert entries
    return "\n".join(json.dumps(e.changes, ensure_ascii=False) + e.target_repr for e in entries)


def test_a_sealed_quote_has_no_readable_contents_anywhere(shop):
    rfq = published(shop)
    q = _submit(shop, rfq, shop.huaqiang)
    q.refresh_from_db()
    assert q.state == QuoteState.SEALED
    assert (q.currency_id, q.payment_days, q.valid_until, q.notes) == (None, None, None, "")
    assert q.sealed and not any(s in q.sealed for s in SECRETS)
    assert not SupplierQuoteLine.objects.filter(quote__rfq=rfq).exists()
    # The whole database, the history of the RFQ and of the supplier: no price, no note.
    text = _database_text()
    assert not any(s in text for s in SECRETS)
    assert not any(s in _history_text(rfq, shop.huaqiang) for s in SECRETS)
    # The comparison of a sealed round has no columns and no cells.
    table = comparison(rfq)
    assert table.columns == [] and all(row.cells == [] for row in table.rows) and len(table.rows) == 2
    # The invitations show who quoted and when, not what.
    row = next(r for r in invitations_of(rfq) if r.invitation.supplier_id == shop.huaqiang.pk)
    assert row.quote is not None and row.quote.pk == q.pk
    assert "sealed" in row.quote.get_deferred_fields()
    assert row.invitation.answered_at is not None
    assert rfq_list(actor=shop.buyer, filters=RfqFilters()).get(pk=rfq.pk).answered == 1


def test_opening_makes_the_contents_readable_and_the_database_scan_sees_them(shop):
    """The scan of the previous test would find the secrets had they been there: after opening it does."""
    rfq = published(shop)
    q = _submit(shop, rfq, shop.huaqiang)
    opened(shop, rfq)
    q.refresh_from_db()
    assert q.state == QuoteState.OPENED and q.sealed == ""
    assert (q.currency_id, q.payment_days, q.notes) == ("CNY", 45, NOTE)
    assert sorted(str(x.normalize()) for x in q.lines.values_list("unit_price", flat=True)) == [
        PRICE_A,
        PRICE_B,
    ]
    assert "QX7Z" in _database_text()
    # The history never holds a price, not even after opening.
    assert not any(s in _history_text(rfq, shop.huaqiang) for s in SECRETS)
    assert AuditEntry.objects.filter(target_type="procurement.rfq", target_id=str(rfq.pk)).count() >= 4


def test_search_and_exports_do_not_reach_quotes(shop):
    rfq = published(shop)
    _submit(shop, rfq, shop.huaqiang)
    # The top bar's search goes to the parties list only; nothing registered searches or exports quotes.
    assert all("rfq" not in name and "quote" not in name for name in _SEARCH)
    assert all("rfq" not in key and "quote" not in key for key in _EXPORTERS)
    for needle in (NOTE, "QX7Z", PRICE_A):
        assert list(party_list(actor=shop.admin, filters=PartyFilters(q=needle))) == []
    # Every registered export, run as an administrator, holds no secret.
    for key, exporter in _EXPORTERS.items():
        out = exporter.rows(actor=shop.admin, params={})
        text = "\n".join("|".join(str(c) for c in row) for row in out.rows)
        assert not any(s in text for s in SECRETS), key


def test_a_resubmission_replaces_the_earlier_quote_and_only_the_latest_is_opened(shop):
    rfq = published(shop)
    first = _submit(shop, rfq, shop.huaqiang, prices=("0.0200", "4.00"))
    second = _submit(shop, rfq, shop.huaqiang, prices=("0.0150", "3.90"), note="second")
    first.refresh_from_db()
    assert first.state == QuoteState.REPLACED and first.sealed == ""
    assert SupplierQuote.objects.get(pk=second.pk).state == QuoteState.SEALED
    entries = [e.changes for e in history_for(subject_type="procurement.rfq", subject_id=rfq.pk)]
    assert any("quote_replaced" in c for c in entries) and any("quote_received" in c for c in entries)
    rfq = opened(shop, rfq)
    first.refresh_from_db()
    assert first.state == QuoteState.REPLACED and not first.lines.exists()
    table = comparison(rfq)
    assert [c.quote.pk for c in table.columns] == [second.pk]
    assert [str(r.cells[0].quote_line.unit_price.normalize()) for r in table.rows] == ["0.015", "3.9"]
    assert rfq_list(actor=shop.buyer, filters=RfqFilters()).get(pk=rfq.pk).answered == 1


def test_a_quote_sealed_under_a_key_that_is_gone_cannot_be_opened(shop, settings):
    old = settings.SECRET_KEY
    rfq = published(shop)
    quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"])
    rfq = past_deadline(rfq)
    new_key = override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[])
    with new_key, pytest.raises(sealing.SealBrokenError) as exc:
        quotes.rfq_open(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert "SECRET_KEY_FALLBACKS" in str(exc.value) and exc.value.status == 409
    # Nothing half done: still open, still sealed.
    rfq.refresh_from_db()
    assert rfq.state == RfqState.OPEN
    assert SupplierQuote.objects.get(rfq=rfq).state == QuoteState.SEALED
    assert not SupplierQuoteLine.objects.filter(quote__rfq=rfq).exists()
    # With the old key kept as a fallback, the quote opens.
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[old]):
        rfq = quotes.rfq_open(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert rfq.state == RfqState.OPENED
    assert [c.total for c in comparison(rfq).columns] == [100 + 1600]


def test_seal_round_trip_and_tampering(settings):
    token = sealing.seal({"lines": {"1": {"unit_price": "1.5"}}})
    assert sealing.unseal(token) == {"lines": {"1": {"unit_price": "1.5"}}}
    assert "1.5" not in token
    for broken in ("", "not-a-token", token[:-4] + "AAAA"):
        with pytest.raises(sealing.SealBrokenError):
            sealing.unseal(broken)
    # Sealed under a new key with the old one as fallback: the new key reads it alone.
    with override_settings(SECRET_KEY="k2-" + "y" * 50, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        fresh = sealing.seal({"a": 1})
    with override_settings(SECRET_KEY="k2-" + "y" * 50, SECRET_KEY_FALLBACKS=[]):
        assert sealing.unseal(fresh) == {"a": 1}
        with pytest.raises(sealing.SealBrokenError):
            sealing.unseal(token)


def test_the_sealed_rfq_row_itself_holds_nothing_quoted(shop):
    rfq = published(shop)
    _submit(shop, rfq, shop.huaqiang)
    row = Rfq.objects.filter(pk=rfq.pk).values().get()
    assert not any(s in str(row) for s in SECRETS)

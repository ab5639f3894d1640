"""The amounts of a quote's lines and the document's totals (guanxi.crm.services.quote_totals), as a Chinese VAT
invoice computes them: each line's amount without tax rounded half up (四舍五入) to the currency, its tax on
that rounded amount, gross = net + tax; the document's totals are the sums of its lines. Checked against an
independent computation in exact Decimal arithmetic over many generated lines, and by hand."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.core.models import Currency
from guanxi.crm.services.quote_totals import LineAmounts, document_totals, line_amounts

# Unsaved currencies: the rounding reads only their places, so these tests need no database.
CNY = Currency(code="CNY", decimal_places=2)
JPY = Currency(code="JPY", decimal_places=0)
VAT = [Decimal(r) for r in ("0", "1", "3", "6", "9", "13")]


def _exact_half_up(value: Decimal, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def expected(
    q: Decimal, p: Decimal, d: Decimal, rate: Decimal, places: int
) -> tuple[Decimal, Decimal, Decimal]:
    with localcontext() as ctx:
        ctx.prec = 80  # exact: no intermediate rounding
        net = _exact_half_up(q * p * (100 - d) / 100, places)
        tax = _exact_half_up(net * rate / 100, places)
    return net, tax, net + tax


quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000000"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("10000000"), places=6)
discounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
rates = st.sampled_from(VAT)
currencies = st.sampled_from([CNY, JPY])
line = st.tuples(quantities, prices, discounts, rates)


def _amounts(q, p, d, rate, currency) -> LineAmounts:
    return line_amounts(quantity=q, unit_price=p, discount_percent=d, tax_percent=rate, currency=currency)


@settings(max_examples=50, deadline=None)
@given(q=quantities, p=prices, d=discounts, rate=rates, currency=currencies)
def test_a_line_is_rounded_half_up_to_the_currency_and_taxed_on_the_rounded_amount(q, p, d, rate, currency):
    got = _amounts(q, p, d, rate, currency)
    net, tax, gross = expected(q, p, d, rate, currency.decimal_places)
    assert (got.net, got.tax, got.gross) == (net, tax, gross)
    places = currency.decimal_places
    for amount in (got.net, got.tax, got.gross):
        assert amount == amount.quantize(Decimal(1).scaleb(-places)), (
            amount
        )  # no more places than the currency
        assert amount >= 0
    assert got.gross == got.net + got.tax
    # Rounding moves an amount by at most half of the smallest unit.
    with localcontext() as ctx:
        ctx.prec = 80
        assert abs(got.net - q * p * (100 - d) / 100) <= Decimal(1).scaleb(-places) / 2


@settings(max_examples=50, deadline=None)
@given(lines=st.lists(line, min_size=0, max_size=8), currency=currencies)
def test_the_document_totals_are_the_sums_of_its_lines(lines, currency):
    amounts = [_amounts(*x, currency) for x in lines]
    totals = document_totals(amounts, [x[2] for x in lines])
    assert totals.net == sum((a.net for a in amounts), Decimal(0))
    assert totals.tax == sum((a.tax for a in amounts), Decimal(0))
    assert totals.gross == totals.net + totals.tax == sum((a.gross for a in amounts), Decimal(0))
    assert totals.max_discount == max((x[2] for x in lines), default=Decimal(0))
    # The tax of the document is the sum of the rounded taxes, not the tax of the summed amounts.
    for a, x in zip(amounts, lines, strict=True):
        assert a.tax == expected(x[0], x[1], x[2], x[3], currency.decimal_places)[1]


@settings(max_examples=50, deadline=None)
@given(q=quantities, p=prices, rate=rates)
def test_no_discount_and_a_full_discount(q, p, rate):
    full = _amounts(q, p, Decimal(100), rate, CNY)
    assert full == LineAmounts(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    none = _amounts(q, p, Decimal(0), rate, CNY)
    assert none.net == _exact_half_up(q * p, 2)


@pytest.mark.parametrize(
    ("q", "p", "d", "rate", "currency", "net", "tax", "gross"),
    [
        # 3 × 3999.99 × 95 % = 11399.9715 → 11399.97; 13 % of it = 1481.9961 → 1482.00
        ("3", "3999.99", "5", "13", CNY, "11399.97", "1482.00", "12881.97"),
        # Half a fen is rounded up, not to even (banker's rounding would give 0.12)
        ("1", "0.125", "0", "0", CNY, "0.13", "0.00", "0.13"),
        # 0.125 × 1 = 0.13 net; 13 % of 0.13 = 0.0169 → 0.02
        ("1", "0.125", "0", "13", CNY, "0.13", "0.02", "0.15"),
        # 800 service at 6 %
        ("1", "800", "0", "6", CNY, "800.00", "48.00", "848.00"),
        # A unit price with 6 places: 10000 × ¥0.0035 = 35.00, 13 % → 4.55
        ("10000", "0.0035", "0", "13", CNY, "35.00", "4.55", "39.55"),
        # 2.5 kg × 19.99 at 12.5 % off: 43.728125 → 43.73; 9 % → 3.9357 → 3.94
        ("2.5", "19.99", "12.5", "9", CNY, "43.73", "3.94", "47.67"),
        # Yen have no places: 3 × ¥1,234.5 = 3703.5 → 3704; 10 % off → 3333.15 → 3333; 13 % → 433.29 → 433
        ("3", "1234.5", "0", "0", JPY, "3704", "0", "3704"),
        ("3", "1234.5", "10", "13", JPY, "3333", "433", "3766"),
        # ¥0.5 half up → ¥1 (half even would give 0)
        ("1", "0.5", "0", "0", JPY, "1", "0", "1"),
        # 1 % small-scale VAT: 999.99 × 1 % = 9.9999 → 10.00
        ("1", "999.99", "0", "1", CNY, "999.99", "10.00", "1009.99"),
        # 3 %: 0.01 × 3 % = 0.0003 → 0.00
        ("1", "0.01", "0", "3", CNY, "0.01", "0.00", "0.01"),
    ],
)
def test_worked_examples(q, p, d, rate, currency, net, tax, gross):
    got = _amounts(Decimal(q), Decimal(p), Decimal(d), Decimal(rate), currency)
    assert (got.net, got.tax, got.gross) == (Decimal(net), Decimal(tax), Decimal(gross))
    assert str(got.net) == net  # the currency's places, no more, no fewer


def test_worked_document():
    """The smoke test's quote by hand: a discounted switch at 13 % and a service at 6 %."""
    switch = _amounts(Decimal(3), Decimal("3999.99"), Decimal(5), Decimal(13), CNY)
    service = _amounts(Decimal(1), Decimal(800), Decimal(0), Decimal(6), CNY)
    totals = document_totals([switch, service], [Decimal(5), Decimal(0)])
    assert (totals.net, totals.tax, totals.gross) == (
        Decimal("12199.97"),
        Decimal("1530.00"),
        Decimal("13729.97"),
    )
    assert totals.max_discount == Decimal(5)


def test_per_line_rounding_differs_from_rounding_the_sum():
    """Three lines of 0.333 at 13 %: each tax 0.04 (0.0429 rounded), 0.12 in all — not 13 % of 0.99 (0.13)."""
    lines = [_amounts(Decimal(1), Decimal("0.333"), Decimal(0), Decimal(13), CNY) for _ in range(3)]
    totals = document_totals(lines, [Decimal(0)] * 3)
    assert totals.net == Decimal("0.99") and totals.tax == Decimal("0.12") and totals.gross == Decimal("1.11")


def test_an_empty_document_is_zero():
    totals = document_totals([], [])
    assert (totals.net, totals.tax, totals.gross, totals.max_discount) == (0, 0, 0, 0)

"""Tax on a line: from net and from gross, rounded per currency, net + tax == gross."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanxi.core.models import TaxRate
from guanxi.core.money import tax_from_gross, tax_on_net

pytestmark = pytest.mark.django_db


def test_presets_are_seeded():
    rows = {t.code: (t.rate, t.kind) for t in TaxRate.objects.all()}
    assert rows["vat13"] == (Decimal("13"), "standard")
    assert rows["vat9"][0] == 9 and rows["vat6"][0] == 6
    assert rows["vat0"] == (Decimal(0), "zero") and rows["exempt"] == (Decimal(0), "exempt")
    assert TaxRate.objects.get(code="exempt").name_zh == "免税"


def test_tax_on_net():
    t = tax_on_net(Decimal("1000"), TaxRate.objects.get(code="vat13"), "CNY")
    assert (t.net, t.tax, t.gross, t.rate) == (Decimal("1000.00"), Decimal("130.00"), Decimal("1130.00"), 13)
    t = tax_on_net(Decimal("0.5"), Decimal("13"), "CNY")  # 0.065 → 0.07, half up
    assert (t.net, t.tax, t.gross) == (Decimal("0.50"), Decimal("0.07"), Decimal("0.57"))
    t = tax_on_net(Decimal("12345"), Decimal("10"), "JPY")
    assert (t.tax, t.gross) == (Decimal("1235"), Decimal("13580"))  # 1234.5 → 1235
    t = tax_on_net(Decimal("99.99"), TaxRate.objects.get(code="exempt"), "CNY")
    assert (t.tax, t.gross) == (Decimal("0.00"), Decimal("99.99"))


def test_tax_from_gross():
    t = tax_from_gross(Decimal("1130"), Decimal("13"), "CNY")
    assert (t.net, t.tax) == (Decimal("1000.00"), Decimal("130.00"))
    t = tax_from_gross(Decimal("100"), Decimal("13"), "CNY")  # 88.4955… → 88.50
    assert (t.net, t.tax, t.gross) == (Decimal("88.50"), Decimal("11.50"), Decimal("100.00"))
    t = tax_from_gross(Decimal("106"), TaxRate.objects.get(code="vat6"), "CNY")
    assert (t.net, t.tax) == (Decimal("100.00"), Decimal("6.00"))


@pytest.mark.parametrize("rate", [Decimal("100.01"), Decimal("-1"), "abc"])
def test_rates_outside_0_to_100_are_refused(rate):
    with pytest.raises((ValueError, TypeError)):
        tax_on_net(Decimal(1), rate, "CNY")


amounts = st.decimals(min_value=0, max_value=10**10, places=4, allow_nan=False, allow_infinity=False)
rates = st.sampled_from([Decimal(r) for r in ("0", "1", "3", "6", "9", "13", "17", "6.5", "100")])


@given(amount=amounts, rate=rates, currency=st.sampled_from(["CNY", "JPY", "KWD"]))
def test_tax_properties(amount, rate, currency):
    unit = Decimal(1).scaleb(-{"CNY": 2, "JPY": 0, "KWD": 3}[currency])
    on_net = tax_on_net(amount, rate, currency)
    assert on_net.net + on_net.tax == on_net.gross
    assert on_net.tax >= 0 and abs(on_net.tax - on_net.net * rate / 100) <= unit / 2
    from_gross = tax_from_gross(amount, rate, currency)
    assert from_gross.net + from_gross.tax == from_gross.gross  # the agreed total is never changed
    assert from_gross.tax >= 0 and from_gross.net <= from_gross.gross
    # back and forth: the net found from a gross is within one unit of the net it came from
    again = tax_from_gross(on_net.gross, rate, currency)
    assert abs(again.net - on_net.net) <= unit

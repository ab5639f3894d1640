"""Totals of a quote or order, exact in Decimal, as a Chinese VAT invoice (增值税发票) computes them: each line's
amount without tax (金额) is rounded to the currency half up, its tax (税额) is computed on that rounded amount
and rounded; the document's totals are the sums of the lines, and 价税合计 = Σ amount + Σ tax. No database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from guanxi.core.money import round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal
    max_discount: Decimal


def line_amounts(
    *, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, tax_percent: Decimal, currency
) -> LineAmounts:
    """quantity × unit price × (1 − discount) rounded; tax on that; gross = net + tax."""
    net = round_money(quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED, currency)
    tax = round_money(net * tax_percent / HUNDRED, currency)
    return LineAmounts(net, tax, net + tax)


def document_totals(lines: list[LineAmounts], discounts: list[Decimal]) -> Totals:
    net = sum((line.net for line in lines), Decimal(0))
    tax = sum((line.tax for line in lines), Decimal(0))
    return Totals(net, tax, net + tax, max(discounts, default=Decimal(0)))

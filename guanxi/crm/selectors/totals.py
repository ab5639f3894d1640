"""Sums of amounts in several currencies, shown in one: the default company's currency ("the user's
currency"), converted at today's rates. A currency without a rate is left out of the sum and named, never
guessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from guanxi.core.money import round_money
from guanxi.core.selectors.companies import company_default
from guanxi.core.selectors.exchange_rates import NoRateError, convert


def home_currency() -> str:
    company = company_default()
    return company.default_currency if company else "CNY"


@dataclass
class Total:
    currency: str
    count: int = 0
    amount: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)
    missing_rates: list[str] = field(default_factory=list)  # currencies left out: no rate to `currency`


def in_one_currency(rows, currency: str | None = None) -> Total:
    """`rows`: (currency, count, amount, weighted) per currency → one Total in `currency`."""
    currency = currency or home_currency()
    today = timezone.localdate()
    total = Total(currency)
    amount, weighted = Decimal(0), Decimal(0)
    for code, count, a, w in rows:
        total.count += count or 0
        if not a and not w:
            continue
        try:
            amount += convert(a or 0, code, currency, on=today, via="CNY").amount
            weighted += convert(w or 0, code, currency, on=today, via="CNY").amount
        except NoRateError:
            if code not in total.missing_rates:
                total.missing_rates.append(code)
    total.amount, total.weighted = round_money(amount, currency), round_money(weighted, currency)
    return total


def cny(amount, currency: str):
    """An amount in CNY at today's rate (what approval rules compare), or None without a rate."""
    try:
        return convert(amount, currency, "CNY", on=timezone.localdate(), via="USD").amount
    except NoRateError:
        return None

"""Tax on a line: from the net amount (价税分离 the other way round) or from the gross (含税) amount.

Both round to the currency's places, half up, and keep net + tax == gross exactly, as a fapiao does:
from a gross amount the net is rounded and the tax is what is left (税额 = 含税金额 − 不含税金额), so
the total the customer agreed to is never changed by a fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from guanxi.core.models import Currency, TaxRate
from guanxi.core.money.amounts import quantize_half_up, round_money, to_decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxAmounts:
    net: Decimal  # 不含税金额
    tax: Decimal  # 税额
    gross: Decimal  # 价税合计 / 含税金额
    rate: Decimal  # percent, e.g. Decimal("13")


def tax_percent(rate: TaxRate | Any) -> Decimal:
    """The rate in percent from a TaxRate (exempt and zero-rated: 0) or a number; 0 ≤ rate ≤ 100."""
    value = rate.rate if isinstance(rate, TaxRate) else to_decimal(rate)
    if not 0 <= value <= HUNDRED:
        raise ValueError(f"a tax rate is a percent between 0 and 100, not {value}")
    return value


def tax_on_net(net: Any, rate: TaxRate | Any, currency: str | Currency) -> TaxAmounts:
    """Net 1000.00 CNY at 13 % → tax 130.00, gross 1130.00. The net is rounded to the currency first
    (a line's amount is rounded before its tax is computed)."""
    percent = tax_percent(rate)
    net_r = round_money(net, currency)
    tax = round_money(net_r * percent / HUNDRED, currency)
    return TaxAmounts(net=net_r, tax=tax, gross=net_r + tax, rate=percent)


def tax_from_gross(gross: Any, rate: TaxRate | Any, currency: str | Currency) -> TaxAmounts:
    """Gross 1130.00 CNY at 13 % → net 1000.00, tax 130.00; gross 100.00 at 13 % → net 88.50, tax 11.50
    (88.495… rounds half up). The gross is rounded to the currency first."""
    percent = tax_percent(rate)
    gross_r = round_money(gross, currency)
    net = round_money(gross_r * HUNDRED / (HUNDRED + percent), currency)
    return TaxAmounts(net=net, tax=gross_r - net, gross=gross_r, rate=percent)


def percent_text(rate: Decimal) -> str:
    """Decimal('13.0000') → '13'; Decimal('6.5') → '6.5'."""
    return f"{quantize_half_up(to_decimal(rate), 4).normalize():f}"

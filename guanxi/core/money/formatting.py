"""Amounts as people read them: ¥1,234.50 or CNY 1,234.50, with the separators of the active language
(guanxi/formats: Chinese business documents group by thousands, 1,234,567.89, like English ones)."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.formats import number_format

from guanxi.core.models import Currency
from guanxi.core.money.amounts import currency_info, quantize_half_up, to_decimal

Style = Literal["symbol", "code", "plain"]


def format_money(
    amount: Any, currency: str | Currency, *, style: Style = "symbol", places: int | None = None
) -> str:
    """'¥1,234.50' (style "symbol"), 'CNY 1,234.50' ("code"), '1,234.50' ("plain"). Rounded half up to
    the currency's places unless `places` is given (a unit price: places=4). A currency without a symbol
    is written with its code. A negative amount puts the sign first: -¥5.00."""
    info = currency_info(currency)
    value = to_decimal(amount)
    digits = info.decimal_places if places is None else places
    value = quantize_half_up(value, digits)
    number = number_format(abs(value), decimal_pos=digits, use_l10n=True, force_grouping=True)
    sign = "-" if value < 0 else ""
    if style == "plain":
        return f"{sign}{number}"
    if style == "symbol" and info.symbol:
        gap = "\u00a0" if info.symbol[-1].isalpha() else ""  # CHF 12.00, RM 12.00; but ¥12.00, HK$12.00
        return f"{sign}{info.symbol}{gap}{number}"
    return f"{sign}{info.code}\u00a0{number}"

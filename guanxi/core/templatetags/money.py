"""Money in templates: `{% load money %}`.

    {{ line.amount|money:line.currency_id }}     ¥1,234.50
    {{ line.amount|money_code:"CNY" }}           CNY 1,234.50
    {{ price|money:"CNY,4" }}                    ¥0.0035 (a unit price with 4 places)
    {{ money_value|money }}                      a Money carries its currency
    {{ total|rmb_capitals }}                     壹万贰仟叁佰肆拾伍元陆角柒分
    {{ tax_rate.rate|percent }}                  13 %

An empty value renders as "" (a line without a price); an unknown currency raises, as any template bug.
"""

from __future__ import annotations

from typing import Any

from django import template

from guanxi.core.money.capitals import rmb_capitals as _capitals
from guanxi.core.money.formatting import Style, format_money
from guanxi.core.money.tax import percent_text
from guanxi.core.money.values import Money

register = template.Library()


def _format(value: Any, arg: Any, style: Style) -> str:
    if value is None or value == "":
        return ""
    places = None
    if isinstance(value, Money):
        amount, currency = value.amount, value.currency
        if arg not in (None, ""):
            places = int(arg)
    else:
        code, _, digits = str(arg or "").partition(",")
        amount, currency = value, code
        places = int(digits) if digits else None
    return format_money(amount, currency, style=style, places=places)


@register.filter
def money(value: Any, arg: Any = None) -> str:
    """The amount with its currency's symbol: ¥1,234.50."""
    return _format(value, arg, "symbol")


@register.filter
def money_code(value: Any, arg: Any = None) -> str:
    """The amount with its currency's code: CNY 1,234.50."""
    return _format(value, arg, "code")


@register.filter
def rmb_capitals(value: Any) -> str:
    """The amount in Chinese capitals (大写), rounded to the fen."""
    if value is None or value == "":
        return ""
    return _capitals(value)


@register.filter
def percent(value: Any) -> str:
    """A percentage without trailing zeros: 13.0000 → 13 %."""
    if value is None or value == "":
        return ""
    return f"{percent_text(value)}\u00a0%"

from decimal import Decimal

from django import template

from guanxi.core.money.amounts import decimal_places
from guanxi.core.money.formatting import format_money

register = template.Library()


@register.filter
def unit_price(amount: Decimal | None, currency: str) -> str:
    """A unit price with its currency's symbol and as many places as it has (¥12.50, ¥0.0035)."""
    if amount is None:
        return ""
    exponent = amount.normalize().as_tuple().exponent
    places = max(decimal_places(currency), -exponent if isinstance(exponent, int) else 0)
    return format_money(amount, currency, style="symbol", places=places)

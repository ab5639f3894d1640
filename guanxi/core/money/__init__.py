"""Money for every app: amounts (Decimal + currency code, never float), rounding per currency, formatting,
amounts in Chinese capitals, tax on a line. Exchange rates and conversion: guanxi.core.selectors.money;
changing currencies, rates and tax rates: guanxi.core.services.money. Guide: docs/subsystems/money.md.
"""

from guanxi.core.money.amounts import (
    AMOUNT_LIMIT,
    CurrencyMismatchError,
    UnknownCurrencyError,
    clean_amount,
    clean_price,
    currency_check,
    currency_code,
    currency_info,
    decimal_places,
    forget_currencies,
    round_money,
    to_decimal,
    validate_non_negative,
)
from guanxi.core.money.capitals import rmb_capitals
from guanxi.core.money.formatting import format_money
from guanxi.core.money.tax import TaxAmounts, tax_from_gross, tax_on_net
from guanxi.core.money.values import Money

__all__ = [
    "AMOUNT_LIMIT",
    "CurrencyMismatchError",
    "Money",
    "TaxAmounts",
    "UnknownCurrencyError",
    "clean_amount",
    "clean_price",
    "currency_check",
    "currency_code",
    "currency_info",
    "decimal_places",
    "forget_currencies",
    "format_money",
    "rmb_capitals",
    "round_money",
    "tax_from_gross",
    "tax_on_net",
    "to_decimal",
    "validate_non_negative",
]

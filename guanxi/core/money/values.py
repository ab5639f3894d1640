"""Money: a Decimal amount and a currency code, added and compared only within one currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from guanxi.core.money.amounts import CurrencyMismatchError, currency_code, round_money, to_decimal


@dataclass(frozen=True, slots=True)
class Money:
    """`Money("1234.50", "CNY")`. The amount is kept as given (a line may carry more places than the
    currency); `rounded()` rounds it to the currency. Building one reads no database: the code's shape is
    checked, whether the currency exists is checked when it is rounded or formatted."""

    amount: Decimal
    currency: str

    def __init__(self, amount: Any, currency: Any) -> None:
        object.__setattr__(self, "amount", to_decimal(amount))
        object.__setattr__(self, "currency", currency_code(currency))

    def _same(self, other: Any) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"not Money: {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} and {other.currency}: convert one first")
        return other

    def __add__(self, other: Any) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Any) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Any) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Any) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Any) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Any) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Any) -> bool:
        return self.amount >= self._same(other).amount

    def rounded(self) -> Money:
        return Money(round_money(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        from guanxi.core.money.formatting import format_money

        return format_money(self.amount, self.currency, style="code")

"""Amounts in Chinese capitals (金额大写), as cheques, contracts and fapiao write them:
12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分, 100 → 壹佰元整.

The digits come from cn2an's "rmb" mode (MIT). It follows the People's Bank of China rules for writing
amounts (《正确填写票据和结算凭证的基本规定》): a 零 for zeros inside the number (1005 → 壹仟零伍元整,
10.05 → 壹拾元零伍分), 整 after 元 and not after 分, and it writes 壹拾 (not 拾) so nothing can be added in
front. Where the rules allow writing 零 or leaving it out (万位 zero before a non-zero 仟: 107000 →
壹拾万柒仟元; 元 zero before a non-zero 角: 100000.10 → 壹拾万元壹角) it leaves it out, as the rules' own
first example does. This wrapper fixes what cn2an gets wrong or leaves to the caller:

- more than two decimals: cn2an cuts them off (1.236 → …贰角叁分); we round half up first (…贰角肆分);
- zero and minus zero: cn2an writes 负零元整 for -0.00; we write 零元整;
- negative amounts: 负 in front (负壹拾贰元叁角), as cn2an does, from the rounded amount;
- a Decimal in exponent form (Decimal("1E+3")), which cn2an refuses: written out first;
- floats are refused (see amounts.to_decimal), and so are amounts of more than 16 integer digits
  (cn2an's units stop at 万亿) with a clear message instead of cn2an's Chinese-only one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from guanxi.core.money.amounts import quantize_half_up, to_decimal

MAX_INTEGER_DIGITS = 16  # 玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿…: cn2an's largest unit is 万亿


@cache
def _an2cn():
    """cn2an builds its converters when imported (~0.3 s): do it on first use, not at start-up."""
    import cn2an

    return cn2an.an2cn


def rmb_capitals(amount: Any) -> str:
    """The amount in RMB capitals, rounded half up to the fen. Accepts a Decimal, an int or a numeric
    string (or Money, whose amount is used); ValueError for an amount of more than 16 integer digits."""
    value = getattr(amount, "amount", amount)  # Money
    rounded = quantize_half_up(to_decimal(value), 2)
    if rounded == 0:
        return "零元整"
    sign = "负" if rounded < 0 else ""
    digits = f"{abs(rounded):f}"
    if len(digits.split(".")[0]) > MAX_INTEGER_DIGITS:
        raise ValueError(f"too large for Chinese capitals: at most {MAX_INTEGER_DIGITS} integer digits")
    return sign + _an2cn()(digits, "rmb")

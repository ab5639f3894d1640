"""Amounts in Chinese capitals (大写): the hard cases, and properties over many amounts."""

from decimal import Decimal

import cn2an
import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from guanxi.core.money import Money, rmb_capitals

DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def read_capitals(text: str) -> Decimal:
    """An independent reader of RMB capitals (cn2an's own reader knows neither 角 nor 分)."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    if "元" in text:
        integer_text, rest = text.split("元", 1)
    else:
        integer_text, rest = "", text
    result = wan = section = number = 0
    for ch in integer_text:
        if ch in DIGITS:
            number = DIGITS[ch]
        elif ch in SMALL:
            section += number * SMALL[ch]
            number = 0
        elif ch == "万":
            wan = (section + number) * 10**4
            section = number = 0
        elif ch == "亿":
            result = (result + wan + section + number) * 10**8
            wan = section = number = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text}")
    integer = result + wan + section + number
    jiao = fen = 0
    rest = rest.removeprefix("零")
    if "角" in rest:
        head, rest = rest.split("角", 1)
        jiao = DIGITS[head]
    if "分" in rest:
        fen = DIGITS[rest.removesuffix("分")]
    return sign * (integer + Decimal(jiao) / 10 + Decimal(fen) / 100)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        # zeros inside
        ("1005.00", "壹仟零伍元整"),
        ("10.05", "壹拾元零伍分"),
        ("100000.10", "壹拾万元壹角"),
        ("1409.50", "壹仟肆佰零玖元伍角"),  # the PBOC rules' own examples
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("1000010", "壹佰万零壹拾元整"),
        ("100010000", "壹亿零壹万元整"),
        ("101010101.01", "壹亿零壹佰零壹万零壹佰零壹元零壹分"),
        # 分 only, 角 only
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        ("0.01", "壹分"),
        # 整
        ("100.00", "壹佰元整"),
        ("100", "壹佰元整"),
        ("10", "壹拾元整"),  # 壹拾, never 拾: nothing can be written in front
        ("0", "零元整"),
        # negatives
        ("-12.30", "负壹拾贰元叁角"),
        ("-0.001", "零元整"),  # rounds to zero: no 负零
        # more than two places: rounded half up, not cut off
        ("1.235", "壹元贰角肆分"),
        ("0.995", "壹元整"),
        # large amounts (亿, 万亿)
        ("100000000", "壹亿元整"),
        ("123456789012.34", "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分"),
        ("1000000000000", "壹万亿元整"),
        ("1000000010000", "壹万亿零壹万元整"),
        ("9999999999999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("1E+3", "壹仟元整"),  # a Decimal in exponent form
    ],
)
def test_hard_cases(amount, expected):
    assert rmb_capitals(Decimal(amount)) == expected
    assert read_capitals(expected) == Decimal(amount).quantize(Decimal("0.01"), "ROUND_HALF_UP")


def test_inputs():
    assert rmb_capitals(12) == "壹拾贰元整"
    assert rmb_capitals("7.5") == "柒元伍角"
    assert rmb_capitals(Money("12345.67", "CNY")) == "壹万贰仟叁佰肆拾伍元陆角柒分"
    with pytest.raises(TypeError):
        rmb_capitals(1.5)
    with pytest.raises(ValueError, match="at most 16 integer digits"):
        rmb_capitals(Decimal("10000000000000000"))


def test_template_filter():
    html = Template("{% load money %}{{ a|rmb_capitals }}|{{ b|rmb_capitals }}").render(
        Context({"a": Decimal("12345.67"), "b": None})
    )
    assert html == "壹万贰仟叁佰肆拾伍元陆角柒分|"


cents = st.integers(min_value=-(10**17) + 1, max_value=10**17 - 1).map(lambda n: Decimal(n).scaleb(-2))


@given(amount=cents)
def test_capitals_read_back_to_the_amount(amount):
    text = rmb_capitals(amount)
    assert read_capitals(text) == amount
    # structure: one sign at most, in front; 整 only after 元; no doubled 零; 零 never first or before 元
    body = text.removeprefix("负")
    assert "负" not in body and (text.startswith("负") == (amount < 0))
    assert "零零" not in text and "零元" not in body[1:] and not (body.startswith("零") and amount != 0)
    assert text.endswith("整") == (amount % 1 == 0)
    assert text.endswith("分") == (amount * 100 % 10 != 0)
    assert all(ch in "负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整" for ch in text)


@given(yuan=st.integers(min_value=1, max_value=10**16 - 1))
def test_whole_amounts_agree_with_cn2an_reading_them_back(yuan):
    """cn2an reads its own whole-yuan capitals back (it cannot read 角 and 分)."""
    assert Decimal(str(cn2an.cn2an(rmb_capitals(yuan).removesuffix("元整"), "strict"))) == yuan

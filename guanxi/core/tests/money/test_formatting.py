"""Amounts as people read them, in English and Chinese, and the template filters."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from guanxi.core.money import Money, UnknownCurrencyError, format_money

pytestmark = pytest.mark.django_db
NB = "\u00a0"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_format_money_in_both_languages(language):
    with translation.override(language):
        assert format_money(Decimal("1234.5"), "CNY") == "¥1,234.50"
        assert format_money(Decimal("1234.5"), "CNY", style="code") == f"CNY{NB}1,234.50"
        assert format_money(Decimal("1234567.891"), "USD", style="plain") == "1,234,567.89"
        assert format_money(Decimal("-5"), "EUR") == "-€5.00"
        assert format_money(Decimal("1234.5"), "JPY") == "JP¥1,235"
        assert format_money(Decimal("12"), "CHF") == f"CHF{NB}12.00"  # a symbol of letters gets a space
        assert format_money(Decimal("0.0035"), "CNY", places=4) == "¥0.0035"
        assert format_money(Decimal("1.0005"), "KWD", style="code") == f"KWD{NB}1.001"


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrencyError):
        format_money(Decimal(1), "XYZ")


def test_template_filters():
    template = Template(
        "{% load money %}{{ a|money:'CNY' }}|{{ a|money_code:'USD' }}|{{ p|money:'CNY,4' }}|{{ m|money }}|"
        "{{ m|money_code }}|{{ none|money:'CNY' }}|{{ rate|percent }}|{{ half|percent }}"
    )
    html = template.render(
        Context(
            {
                "a": Decimal("1234.5"),
                "p": Decimal("0.00351"),
                "m": Money("99", "HKD"),
                "none": None,
                "rate": Decimal("13.0000"),
                "half": Decimal("6.5"),
            }
        )
    )
    assert html == f"¥1,234.50|USD{NB}1,234.50|¥0.0035|HK$99.00|HKD{NB}99.00||13{NB}%|6.5{NB}%"

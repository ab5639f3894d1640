"""Amounts: Decimal + currency, rounding half up per currency, checking input, the Money type."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from guanxi.core.money import (
    CurrencyMismatchError,
    Money,
    UnknownCurrencyError,
    clean_amount,
    clean_price,
    currency_check,
    decimal_places,
    round_money,
    to_decimal,
    validate_non_negative,
)
from guanxi.core.roles import ADMINISTRATOR  # noqa: F401
from guanxi.core.services.money import currency_create, currency_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.565", "CNY", "1234.57"),  # half up, where Python's default (half even) gives .56
        ("0.125", "CNY", "0.13"),
        ("0.135", "USD", "0.14"),
        ("-0.125", "CNY", "-0.13"),  # half away from zero
        ("1234.5", "JPY", "1235"),
        ("1234.4999", "JPY", "1234"),
        ("999.4", "KRW", "999"),
        ("1.0005", "KWD", "1.001"),  # three places
        ("-0.001", "CNY", "0.00"),  # never "-0.00"
        ("12345678901234567890.125", "EUR", "12345678901234567890.13"),  # beyond the default precision
        (7, "CNY", "7.00"),
    ],
)
def test_round_money_half_up_to_the_currency_places(amount, currency, expected):
    result = round_money(amount if isinstance(amount, int) else Decimal(amount), currency)
    assert str(result) == expected


def test_places_come_from_the_currency_table():
    assert decimal_places("CNY") == 2 and decimal_places("jpy") == 0 and decimal_places("KWD") == 3


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError, match="never a float"):
        round_money(0.1, "CNY")
    with pytest.raises(TypeError):
        Money(1.5, "CNY")
    with pytest.raises(TypeError):
        to_decimal(True)
    with pytest.raises(ValueError):
        to_decimal("NaN")
    with pytest.raises(ValueError):
        to_decimal("12,34x")
    with pytest.raises(ValueError):
        to_decimal("7,1234")  # a decimal comma is not a thousands separator
    assert to_decimal("-1,234,567.5") == Decimal("-1234567.5")


def test_unknown_currencies_are_refused_with_a_clear_message():
    with pytest.raises(UnknownCurrencyError) as exc:
        round_money(Decimal("1"), "XYZ")
    assert exc.value.message_dict == {
        "currency": ["Unknown currency “XYZ”: use an ISO 4217 code set up under Settings → Currencies."]
    }
    with pytest.raises(ValidationError) as bad:
        currency_check("C1Y", field="price_currency")
    assert "is not a currency code" in bad.value.message_dict["price_currency"][0]


def test_a_currency_added_elsewhere_is_known_at_once(admin_user):
    assert decimal_places("CNY") == 2  # the table is loaded now, without XTS
    currency_create(actor=admin_user, code="XTS", name_en="Testing", decimal_places=3)
    assert round_money(Decimal("1.2345"), "XTS") == Decimal("1.235")


def test_inactive_currencies_are_refused_for_new_input_but_still_round(admin_user):
    cny = currency_check("cny")
    currency_update(actor=admin_user, currency=cny, version=cny.version, active=False)
    with pytest.raises(ValidationError) as exc:
        currency_check("CNY")
    assert exc.value.message_dict["currency"] == [
        "CNY is not in use: turn it on under Settings → Currencies."
    ]
    assert currency_check("CNY", active=False).code == "CNY"
    assert round_money(Decimal("1.005"), "CNY") == Decimal("1.01")


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ("-1", {}, "The amount cannot be negative."),
        ("abc", {}, "Enter a number, e.g. 1234.50."),
        ("1.5", {"currency": "JPY"}, "JPY amounts have at most 0 decimal places."),
        ("1.234", {"currency": "CNY"}, "CNY amounts have at most 2 decimal places."),
        ("1.23456", {"max_places": 4}, "At most 4 decimal places."),
        ("10000000000000", {}, "The amount is too large."),
        (None, {}, "Enter a number, e.g. 1234.50."),
    ],
)
def test_clean_amount_refuses_bad_input(value, kwargs, message):
    with pytest.raises(ValidationError) as exc:
        clean_amount(value, field="total", **kwargs)
    assert exc.value.message_dict == {"total": [message]}


def test_clean_amount_and_price_accept_good_input():
    assert clean_amount(" 1,234.50 ", currency="CNY") == Decimal("1234.50")
    assert clean_amount("-5", allow_negative=True) == Decimal(-5)
    assert clean_amount("1.50", currency="JPY", max_places=2) == Decimal("1.50")
    assert clean_price("0.0035", currency="CNY") == Decimal("0.0035")  # unit prices: 6 places
    with pytest.raises(ValidationError) as exc:
        clean_price("-0.01")
    assert exc.value.message_dict == {"price": ["The amount cannot be negative."]}


def test_validator_for_model_and_form_fields():
    validate_non_negative(Decimal("0"))
    validate_non_negative(None)
    with pytest.raises(ValidationError, match="A price cannot be negative."):
        validate_non_negative(Decimal("-0.01"))


def test_money_adds_within_one_currency_only():
    a, b = Money("10.005", "cny"), Money(Decimal("2"), "CNY")
    assert (a + b) == Money("12.005", "CNY")
    assert (a - b).amount == Decimal("8.005") and (-a).amount == Decimal("-10.005")
    assert (a * 3).amount == Decimal("30.015") and (2 * b).amount == Decimal(4)
    assert a.rounded() == Money("10.01", "CNY")
    assert b < a and a >= b
    with pytest.raises(CurrencyMismatchError):
        a + Money("1", "USD")
    with pytest.raises(CurrencyMismatchError):
        a < Money("1", "USD")  # noqa: B015
    with pytest.raises(TypeError):
        a * 1.5
    assert str(Money("1234.5", "CNY")) == "CNY\u00a01,234.50"


amounts = st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=6)


@given(amount=amounts, currency=st.sampled_from(["CNY", "JPY", "KWD"]))
def test_rounding_properties(amount, currency):
    places = {"CNY": 2, "JPY": 0, "KWD": 3}[currency]
    result = round_money(amount, currency)
    unit = Decimal(1).scaleb(-places)
    # to the currency's places, at most half a unit away, idempotent, symmetric around zero
    assert result == result.quantize(unit)
    assert abs(result - amount) <= unit / 2
    assert round_money(result, currency) == result
    assert round_money(-amount, currency) == -result
    # an exact half always goes away from zero
    half = result + unit / 2 if result >= 0 else result - unit / 2
    assert abs(round_money(half, currency)) == abs(result) + unit

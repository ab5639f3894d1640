"""Exchange rates: entering, correcting, deleting (rules, permissions, audit) and converting at a date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Currency, ExchangeRate
from guanxi.core.money import UnknownCurrencyError
from guanxi.core.roles import ADMINISTRATOR, SHIPPED_LABELS
from guanxi.core.selectors.exchange_rates import (
    NoRateError,
    RateFilters,
    convert,
    exchange_rate_history_list,
    exchange_rate_list,
    rate_on,
)
from guanxi.core.services.exchange_rates import (
    exchange_rate_create,
    exchange_rate_delete,
    exchange_rate_update,
)
from guanxi.core.services.money import currency_update
from guanxi.core.tests.money.conftest import DAY

pytestmark = pytest.mark.django_db


def add(actor, base="USD", quote="CNY", rate="7.1234", day=DAY, **kw):
    return exchange_rate_create(actor=actor, date=day, base=base, quote=quote, rate=rate, **kw)


@pytest.mark.parametrize("role", list(SHIPPED_LABELS))
def test_permission_matrix(make_user, admin_user, role):
    user = make_user(f"u-{role}", roles=[role])
    row = add(admin_user)
    assert list(exchange_rate_list(actor=user)) == [row]
    assert convert(Decimal(1), "USD", "CNY", on=DAY).amount == Decimal("7.12")
    if role == ADMINISTRATOR:
        exchange_rate_update(actor=user, exchange_rate=row, version=row.version, rate="7.2")
        return
    with pytest.raises(PermissionDeniedError):
        add(user, day=DAY + dt.timedelta(days=1))
    with pytest.raises(PermissionDeniedError):
        exchange_rate_update(actor=user, exchange_rate=row, version=row.version, rate="7.2")
    with pytest.raises(PermissionDeniedError):
        exchange_rate_delete(actor=user, exchange_rate=row)


def test_users_without_a_role_cannot_read_rates(nobody):
    with pytest.raises(PermissionDeniedError):
        exchange_rate_list(actor=nobody)


def test_entered_rate_is_stored_and_audited(admin_user):
    row = add(admin_user, base="usd", quote=" cny ", rate=" 7.12345678 ")
    row.refresh_from_db()
    assert (row.base_id, row.quote_id, row.rate, row.source) == (
        "USD",
        "CNY",
        Decimal("7.12345678"),
        "manual",
    )
    entry = AuditEntry.objects.get(target_type="core.exchangerate")
    assert entry.changes == {
        "date": [None, "2026-11-25"],
        "base": [None, "USD"],
        "quote": [None, "CNY"],
        "rate": [None, "7.12345678"],
    }
    assert str(row) == "2026-11-25 1 USD = 7.12345678 CNY"
    assert row.inverse == "0.140381"


def test_a_rate_per_100_units(admin_user):
    row = add(admin_user, base="JPY", rate="4.7892", unit=100)
    assert row.rate == Decimal("0.047892")


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"rate": "0"}, {"rate": ["A rate must be above 0."]}),
        ({"rate": "-7"}, {"rate": ["A rate must be above 0."]}),
        ({"rate": "abc"}, {"rate": ["Enter the rate as a number, e.g. 7.1234."]}),
        ({"rate": "7,1234"}, {"rate": ["Write the rate with a decimal point and no commas, e.g. 7.1234."]}),
        ({"rate": ""}, {"rate": ["Enter the rate as a number, e.g. 7.1234."]}),
        ({"rate": "1.00000000001"}, {"rate": ["At most 10 decimal places."]}),
        ({"rate": "123456.1234567891"}, {"rate": ["At most 15 significant digits."]}),
        ({"rate": "1000000000"}, {"rate": ["The rate is too large."]}),
        ({"rate": "7", "unit": "0"}, {"rate": ["The unit must be a number above 0, e.g. 100."]}),
        ({"quote": "USD"}, {"quote": ["Choose two different currencies."]}),
        (
            {"base": "XYZ"},
            {"base": ["Unknown currency “XYZ”: use an ISO 4217 code set up under Settings → Currencies."]},
        ),
        ({"quote": "1"}, {"quote": ["“1” is not a currency code: use three letters, e.g. CNY."]}),
        ({"day": "2026-11-25"}, {"date": ["Enter a date, e.g. 2026-11-25."]}),
        ({"day": dt.date(1800, 1, 1)}, {"date": ["Enter a date between 1900 and 2200."]}),
    ],
)
def test_bad_rates_are_refused(admin_user, kwargs, errors):
    with pytest.raises(ValidationError) as exc:
        add(admin_user, **kwargs)
    assert exc.value.message_dict == errors
    assert not ExchangeRate.objects.exists() and not AuditEntry.objects.exists()


def test_inactive_currency_is_refused(admin_user):
    thb = Currency.objects.get(code="THB")
    currency_update(actor=admin_user, currency=thb, version=thb.version, active=False)
    with pytest.raises(ValidationError) as exc:
        add(admin_user, base="THB")
    assert exc.value.message_dict == {"base": ["THB is not in use: turn it on under Settings → Currencies."]}


def test_one_rate_per_pair_and_day_in_either_direction(admin_user):
    add(admin_user)
    for base, quote in (("USD", "CNY"), ("CNY", "USD")):
        with pytest.raises(ValidationError) as exc:
            add(admin_user, base=base, quote=quote, rate="0.14")
        assert exc.value.message_dict == {
            "date": ["There is already a rate for USD → CNY on 2026-11-25: change that one instead."]
        }
    add(admin_user, day=DAY - dt.timedelta(days=1))  # another day is fine


def test_update_and_delete_are_audited(admin_user):
    row = add(admin_user)
    row = exchange_rate_update(actor=admin_user, exchange_rate=row, version=1, rate="7.2000")
    assert row.rate == Decimal("7.2") and row.version == 2
    with pytest.raises(ConflictError):
        exchange_rate_update(actor=admin_user, exchange_rate=row, version=1, rate="7.3")
    with pytest.raises(ValidationError):
        exchange_rate_update(actor=admin_user, exchange_rate=row, version=2, rate="0")
    unchanged = exchange_rate_update(actor=admin_user, exchange_rate=row, version=2, rate="7.20")
    assert unchanged.version == 2
    exchange_rate_delete(actor=admin_user, exchange_rate=row)
    assert not ExchangeRate.objects.exists()
    history = [(e.action, e.changes) for e in exchange_rate_history_list(actor=admin_user)]
    assert history[0] == (
        "delete",
        {"date": ["2026-11-25", None], "base": ["USD", None], "quote": ["CNY", None], "rate": ["7.2", None]},
    )
    assert history[1] == ("update", {"rate": ["7.1234", "7.2"]})
    assert history[2][0] == "create" and len(history) == 3


def test_list_filters(admin_user):
    a = add(admin_user)
    b = add(admin_user, base="EUR", rate="7.7", day=DAY - dt.timedelta(days=3))
    c = add(admin_user, base="JPY", quote="KRW", rate="9.1", day=DAY - dt.timedelta(days=10))
    rows = lambda **f: list(exchange_rate_list(actor=admin_user, filters=RateFilters(**f)))  # noqa: E731
    assert rows() == [a, b, c]
    assert rows(currency="CNY") == [a, b] and rows(currency="KRW") == [c]
    assert rows(base="EUR") == [b] and rows(quote="CNY", date_to=DAY - dt.timedelta(days=1)) == [b]
    assert rows(date_from=DAY - dt.timedelta(days=5), date_to=DAY) == [a, b]


# Converting ----------------------------------------------------------------------------------------------


def test_convert_at_the_rate_of_the_day(admin_user):
    add(admin_user, day=DAY - dt.timedelta(days=1), rate="7.0000")
    row = add(admin_user)
    c = convert(Decimal("100"), "USD", "CNY", on=DAY)
    assert (c.amount, c.rate, c.rate_date, c.exact) == (Decimal("712.34"), Decimal("7.1234"), DAY, True)
    assert [leg.id for leg in c.legs] == [row.pk] and c.money.currency == "CNY"
    assert c.note() == "rate of 2026-11-25"
    with translation.override("zh-hans"):
        assert c.note() == "汇率日期 2026年11月25日"


def test_convert_uses_the_latest_earlier_rate_and_says_so(admin_user):
    add(admin_user, day=DAY - dt.timedelta(days=7), rate="7.0")
    add(admin_user, day=DAY - dt.timedelta(days=2), rate="7.1")
    add(admin_user, day=DAY + dt.timedelta(days=1), rate="9.9")  # later than the date: never used
    c = convert(Decimal("10"), "USD", "CNY", on=DAY)
    assert (c.amount, c.rate_date, c.exact) == (Decimal("71.00"), DAY - dt.timedelta(days=2), False)


def test_convert_with_the_inverse_rate(admin_user):
    add(admin_user, rate="7.1234")
    c = convert(Decimal("712.34"), "CNY", "USD", on=DAY)
    assert c.amount == Decimal("100.00") and c.legs[0].inverted and c.rate == Decimal("0.1403824017")
    # the later of the two directions wins
    add(admin_user, base="CNY", quote="USD", rate="0.15", day=DAY + dt.timedelta(days=1))
    c = convert(Decimal("100"), "USD", "CNY", on=DAY + dt.timedelta(days=2))
    assert c.legs[0].inverted and c.amount == Decimal("666.67")


def test_convert_rounds_to_the_target_currency(admin_user):
    add(admin_user, base="CNY", quote="JPY", rate="21.1234")
    assert convert(Decimal("100"), "CNY", "JPY", on=DAY).amount == Decimal("2112")
    assert convert(Decimal("-100"), "CNY", "JPY", on=DAY).amount == Decimal("-2112")  # credit notes


def test_convert_through_a_third_currency(admin_user):
    add(admin_user, base="USD", quote="CNY", rate="7.2", day=DAY - dt.timedelta(days=1))
    add(admin_user, base="EUR", quote="CNY", rate="8.0")
    with pytest.raises(NoRateError):
        convert(Decimal("100"), "USD", "EUR", on=DAY)
    c = convert(Decimal("100"), "USD", "EUR", on=DAY, via="CNY")
    assert c.amount == Decimal("90.00") and c.rate == Decimal("0.9")
    assert c.rate_date == DAY - dt.timedelta(days=1) and len(c.legs) == 2 and c.legs[1].inverted


def test_convert_refuses_clearly(admin_user):
    add(admin_user)
    with pytest.raises(NoRateError) as exc:
        convert(Decimal("1"), "USD", "CNY", on=DAY - dt.timedelta(days=1))
    assert str(exc.value) == (
        "No exchange rate from USD to CNY on or before 2026-11-24: enter one under Settings → Exchange rates."
    )
    assert exc.value.status == 422
    with pytest.raises(UnknownCurrencyError) as unknown:
        convert(Decimal("1"), "USD", "XYZ", on=DAY)
    assert list(unknown.value.message_dict) == ["to"]


def test_same_currency_needs_no_rate():
    c = convert(Decimal("1.005"), "CNY", "CNY", on=DAY)
    assert (c.amount, c.rate, c.legs, c.exact, c.note()) == (Decimal("1.01"), 1, (), True, "")


def test_rate_on_is_two_index_lookups(admin_user, django_assert_num_queries):
    add(admin_user)
    with django_assert_num_queries(2):
        assert rate_on("USD", "CNY", DAY).rate == Decimal("7.1234")


def test_a_rate_of_15_significant_digits_is_kept_exactly_on_both_databases(admin_user):
    row = add(admin_user, rate="12345.6789012345")
    row.refresh_from_db()
    assert row.rate == Decimal("12345.6789012345")


@settings(max_examples=30, deadline=None)
@given(
    rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4),
    amount=st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_converting_there_and_back_stays_within_rounding(rate, amount):
    ExchangeRate.objects.all().delete()
    ExchangeRate.objects.create(date=DAY, base_id="USD", quote_id="CNY", rate=rate)
    there = convert(amount, "USD", "CNY", on=DAY)
    back = convert(there.amount, "CNY", "USD", on=DAY)
    assert abs(there.amount - amount * rate) <= Decimal("0.005")
    # going back can lose at most what rounding to a fen in CNY is worth in USD, plus a fen
    assert abs(back.amount - amount) <= Decimal("0.005") / rate + Decimal("0.01")


def test_demo_rates(admin_user):
    from guanxi.core.services.money_demo import exchange_rates_demo

    saturday = dt.date(2026, 11, 28)
    added = exchange_rates_demo(actor=admin_user, today=saturday, days=14)
    assert added == 10 * 4 and exchange_rates_demo(actor=admin_user, today=saturday) == 0
    c = convert(Decimal("100"), "USD", "CNY", on=saturday)
    assert c.rate_date == dt.date(2026, 11, 27) and not c.exact
    assert Decimal("7.08") < c.rate < Decimal("7.16")
    assert convert(Decimal("10000"), "JPY", "CNY", on=saturday).amount > Decimal("470")

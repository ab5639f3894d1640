"""Currencies and tax rates: who may read and change them, the rules, the audit trail, locking."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Currency, TaxRate
from guanxi.core.roles import ADMINISTRATOR, SHIPPED_LABELS
from guanxi.core.selectors.money import (
    currency_choices,
    currency_get,
    currency_list,
    tax_rate_by_code,
    tax_rate_choices,
    tax_rate_list,
)
from guanxi.core.services.money import currency_create, currency_update, tax_rate_create, tax_rate_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(SHIPPED_LABELS))
def test_permission_matrix(make_user, role):
    """Every role reads currencies and tax rates; only administrators (Settings → manage) change them."""
    user = make_user(f"u-{role}", roles=[role])
    assert currency_list(actor=user).filter(code="CNY").exists()
    assert tax_rate_list(actor=user).filter(code="vat13").exists()
    if role == ADMINISTRATOR:
        currency_create(actor=user, code="XTS", name_en="Test")
        tax_rate_create(actor=user, code="t1", name_en="T", rate="5")
        return
    with pytest.raises(PermissionDeniedError):
        currency_create(actor=user, code="XTS", name_en="Test")
    with pytest.raises(PermissionDeniedError):
        cny = Currency.objects.get(code="CNY")
        currency_update(actor=user, currency=cny, version=cny.version, active=False)
    with pytest.raises(PermissionDeniedError):
        tax_rate_create(actor=user, code="t1", name_en="T", rate="5")
    assert not Currency.objects.filter(code="XTS").exists() and not TaxRate.objects.filter(code="t1").exists()


def test_a_user_without_a_role_reads_nothing(nobody):
    for read in (currency_list, tax_rate_list):
        with pytest.raises(PermissionDeniedError):
            read(actor=nobody)


def test_presets_are_seeded():
    codes = set(Currency.objects.values_list("code", flat=True))
    assert {"CNY", "USD", "EUR", "JPY", "HKD", "GBP", "KRW", "TWD", "SGD", "AUD"} <= codes
    jpy = Currency.objects.get(code="JPY")
    assert (jpy.decimal_places, jpy.name_zh, jpy.symbol) == (0, "日元", "JP¥")


def test_create_currency_is_audited(admin_user):
    c = currency_create(
        actor=admin_user,
        code=" xau ",
        name_en="  Gold  (troy ounce) ",
        name_zh="黄金",
        symbol="",
        decimal_places=4,
    )
    assert (c.code, c.name_en, c.decimal_places) == ("XAU", "Gold (troy ounce)", 4)
    entry = AuditEntry.objects.get(target_type="core.currency", target_id="XAU")
    assert entry.action == "create" and entry.changes["decimal_places"] == [None, 4]
    assert entry.actor == admin_user


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"code": "CNY", "name_en": "Again"}, {"code": ["CNY is already set up."]}),
        (
            {"code": "US", "name_en": "x"},
            {"code": ["“US” is not a currency code: use three letters, e.g. CNY."]},
        ),
        ({"code": "XTS", "name_en": " "}, {"name_en": ["This field is required."]}),
        (
            {"code": "XTS", "name_en": "x", "decimal_places": 5},
            {"decimal_places": ["Enter a whole number from 0 to 4."]},
        ),
        (
            {"code": "XTS", "name_en": "a\x00b"},
            {"name_en": ["Remove the control characters from this text."]},
        ),
        ({"code": "XTS", "name_en": "x" * 61}, {"name_en": ["At most 60 characters."]}),
    ],
)
def test_create_currency_refuses_bad_input(admin_user, kwargs, errors):
    with pytest.raises(ValidationError) as exc:
        currency_create(actor=admin_user, **kwargs)
    assert exc.value.message_dict == errors


def test_update_currency_keeps_code_and_places_and_checks_the_version(admin_user):
    usd = Currency.objects.get(code="USD")
    updated = currency_update(actor=admin_user, currency=usd, version=usd.version, symbol="US$", active=False)
    assert (updated.symbol, updated.active, updated.decimal_places, updated.version) == ("US$", False, 2, 2)
    entry = AuditEntry.objects.get(target_type="core.currency", target_id="USD")
    assert entry.changes == {"symbol": ["$", "US$"], "active": [True, False]}
    with pytest.raises(ConflictError):
        currency_update(actor=admin_user, currency=usd, version=1, symbol="$")
    same = currency_update(actor=admin_user, currency=updated, version=2, symbol="US$")
    assert (
        same.version == 2 and AuditEntry.objects.filter(target_id="USD").count() == 1
    )  # no change, no entry


def test_currency_choices_offer_active_ones_and_a_records_own(admin_user):
    usd = Currency.objects.get(code="USD")
    currency_update(actor=admin_user, currency=usd, version=usd.version, active=False)
    assert "USD" not in dict(currency_choices())
    assert dict(currency_choices(include="USD"))["USD"] == "USD · US dollar"
    assert currency_get(actor=admin_user, code="usd").code == "USD"


def test_tax_rate_rules(admin_user):
    t = tax_rate_create(
        actor=admin_user, code="Sales Tax 8", name_en="Sales tax", rate="8.25", kind="standard"
    )
    assert (t.code, t.rate) == ("sales-tax-8", Decimal("8.25"))
    bad = [
        ({"rate": "100.5"}, {"rate": ["A tax rate cannot be above 100 %."]}),
        ({"rate": "-1"}, {"rate": ["A tax rate cannot be negative."]}),
        ({"rate": "x"}, {"rate": ["Enter a percentage, e.g. 13."]}),
        ({"rate": "0"}, {"rate": ["A standard rate is above 0 %: choose zero-rated or exempt for 0 %."]}),
        ({"rate": "3", "kind": "exempt"}, {"rate": ["Zero-rated and exempt taxes have a rate of 0 %."]}),
        ({"rate": "1.00001"}, {"rate": ["At most 4 decimal places."]}),
        ({"rate": "5", "kind": "other"}, {"kind": ["Choose standard, zero-rated or exempt."]}),
        ({"rate": "5", "code": "vat13"}, {"code": ["A tax rate with the code “vat13” exists."]}),
        (
            {"rate": "5", "code": "!!"},
            {"code": ["Enter a short code of letters, digits and hyphens, e.g. vat13."]},
        ),
    ]
    for kwargs, errors in bad:
        data = {"code": "x1", "name_en": "X", "kind": "standard", **kwargs}
        with pytest.raises(ValidationError) as exc:
            tax_rate_create(actor=admin_user, **data)
        assert exc.value.message_dict == errors, kwargs


def test_tax_rate_update_is_audited(admin_user):
    vat9 = TaxRate.objects.get(code="vat9")
    updated = tax_rate_update(
        actor=admin_user, tax_rate=vat9, version=vat9.version, rate="10", name_zh="增值税 10%"
    )
    assert updated.rate == Decimal("10") and updated.version == 2
    entry = AuditEntry.objects.get(target_type="core.taxrate", target_id=str(vat9.pk))
    assert entry.changes == {"name_zh": ["增值税 9%", "增值税 10%"], "rate": ["9", "10"]}
    with pytest.raises(ValidationError):
        tax_rate_update(actor=admin_user, tax_rate=updated, version=2, kind="zero")  # still 10 %
    with pytest.raises(ConflictError):
        tax_rate_update(actor=admin_user, tax_rate=updated, version=1, active=False)


def test_tax_rate_lookups(admin_user):
    assert tax_rate_by_code("vat13").rate == 13 and tax_rate_by_code("nope") is None
    choices = tax_rate_choices()
    assert choices[0][1] == "VAT 13 %" and len(choices) == TaxRate.objects.filter(active=True).count()

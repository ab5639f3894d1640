"""Supplier price information (guanxi.procurement.services.prices): a new price ends the earlier ones it
overlaps and the history keeps them all; breaks price larger quantities; bad input is refused whole."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.procurement.models import SupplierPrice
from guanxi.procurement.selectors.prices import price_history, price_list, prices_for_order
from guanxi.procurement.services.prices import supplier_price_record

TODAY = dt.date(2026, 6, 15)


def _record(actor, shop, **data):
    base = {
        "supplier": shop.huaqiang.pk,
        "product": shop.resistor.pk,
        "unit_price": "0.02",
        "currency": "CNY",
    }
    return supplier_price_record(actor=actor, data={**base, **data})


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)


def test_a_price_with_breaks_prices_each_quantity(shop):
    price = _record(
        shop.buyer,
        shop,
        min_quantity="1000",
        supplier_code="HQ-0603-10K",
        lead_time_days=14,
        breaks=[
            {"min_quantity": "10000", "unit_price": "0.015"},
            {"min_quantity": "50000", "unit_price": "0.012"},
        ],
    )
    assert (price.valid_from, price.supplier_code, price.lead_time_days) == (TODAY, "HQ-0603-10K", 14)
    assert [price.price_for(Decimal(q))[0] for q in ("1000", "9999", "10000", "60000")] == [
        Decimal("0.02"),
        Decimal("0.02"),
        Decimal("0.015"),
        Decimal("0.012"),
    ]
    entry = AuditEntry.objects.filter(subject_type="parties.party", subject_id=str(shop.huaqiang.pk)).latest(
        "id"
    )
    assert entry.changes["unit_price"] == [None, "0.02 CNY"]


def test_a_new_price_cuts_the_old_one_short_and_the_history_keeps_both(shop):
    old = _record(shop.buyer, shop, valid_from="2026-01-01")
    new = _record(shop.buyer, shop, unit_price="0.018", valid_from="2026-07-01")
    old.refresh_from_db()
    assert old.valid_until == dt.date(2026, 6, 30) and old.replaced_at is None
    # Today (15 June) the old price holds; from July the new one.
    assert (
        prices_for_order(
            supplier_id=shop.huaqiang.pk, currency="CNY", product_ids=[shop.resistor.pk], on=TODAY
        )[shop.resistor.pk]
        == old
    )
    assert (
        prices_for_order(
            supplier_id=shop.huaqiang.pk,
            currency="CNY",
            product_ids=[shop.resistor.pk],
            on=dt.date(2026, 7, 2),
        )[shop.resistor.pk]
        == new
    )
    assert list(price_history(actor=shop.buyer, supplier=shop.huaqiang.pk, product=shop.resistor.pk)) == [
        new,
        old,
    ]


def test_a_price_from_the_same_day_replaces_the_earlier_one(shop):
    old = _record(shop.buyer, shop)
    new = _record(shop.buyer, shop, unit_price="0.019")
    old.refresh_from_db()
    assert old.replaced_at is not None
    assert list(price_list(actor=shop.buyer, supplier=shop.huaqiang.pk)) == [new]
    assert SupplierPrice.objects.count() == 2


def test_other_currencies_and_suppliers_are_left_alone(shop):
    cny = _record(shop.buyer, shop)
    _record(shop.buyer, shop, currency="USD", unit_price="0.003")
    _record(shop.admin, shop, supplier=shop.preferred.pk, unit_price="0.03")
    cny.refresh_from_db()
    assert cny.replaced_at is None and cny.valid_until is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"unit_price": "-1"}, "unit_price"),
        ({"unit_price": "abc"}, "unit_price"),
        ({"min_quantity": "0"}, "min_quantity"),
        ({"lead_time_days": "-3"}, "lead_time_days"),
        ({"valid_from": "2026-07-01", "valid_until": "2026-06-01"}, "valid_until"),
        ({"valid_from": "15/06/2026"}, "valid_from"),
        ({"currency": "ZZZ"}, "currency"),
        (
            {"min_quantity": "100", "breaks": [{"min_quantity": "50", "unit_price": "0.01"}]},
            "breaks[0].min_quantity",
        ),
        (
            {
                "breaks": [
                    {"min_quantity": "50", "unit_price": "0.01"},
                    {"min_quantity": "50", "unit_price": "0.009"},
                ]
            },
            "breaks[1].min_quantity",
        ),
        ({"breaks": [{"min_quantity": "50", "unit_price": "-0.01"}]}, "breaks[0].unit_price"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(shop, data, field):
    with pytest.raises(ValidationError) as exc:
        _record(shop.buyer, shop, **data)
    assert field in exc.value.message_dict
    assert not SupplierPrice.objects.exists()


def test_only_products_we_buy_and_suppliers_one_may_change(shop):
    with pytest.raises(ValidationError) as exc:
        _record(shop.buyer, shop, product=shop.sold_only.pk, supplier=999999)
    assert set(exc.value.message_dict) == {"product", "supplier"}
    with pytest.raises(PermissionDeniedError):
        _record(shop.rep, shop)
    with pytest.raises(PermissionDeniedError):
        _record(shop.executive, shop)

"""Goods receipts with inspection and returns (guanxi.procurement.services.receipts): the order lines keep
received, accepted, rejected and returned quantities; the order's state follows; too much, too early, too far
back and someone else's lines are refused with nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.procurement.models import PurchasingSettings, Receipt
from guanxi.procurement.services.receipts import receipt_post, return_post

from .receiving_support import sent_order


def _lines(o):
    return list(o.lines.order_by("position"))


def _receive(shop, rows, actor=None, **data):
    return receipt_post(actor=actor or shop.buyer, data={"lines": rows, **data})


def test_a_partial_receipt_with_a_rejection(shop):
    o = sent_order(shop)
    resistor, carton = _lines(o)
    receipt = _receive(
        shop,
        [
            {
                "order_line": resistor.pk,
                "received": "600",
                "rejected": "50",
                "reject_reason": "quality",
                "reject_note": "引脚氧化",
            },
            {"order_line": carton.pk, "received": "200"},
        ],
    )
    resistor.refresh_from_db()
    carton.refresh_from_db()
    o.refresh_from_db()
    assert (
        receipt.number.startswith("GR")
        and receipt.received_on == timezone.localdate()
        and not receipt.backdated
    )
    assert (resistor.received_quantity, resistor.accepted_quantity, resistor.rejected_quantity) == (
        Decimal("600"),
        Decimal("550"),
        Decimal("50"),
    )
    assert resistor.open_quantity == Decimal("450") and carton.open_quantity == 0
    assert o.state == "partial"
    line = receipt.lines.get(order_line=resistor)
    assert (line.reject_reason, line.reject_note) == ("quality", "引脚氧化")
    # The rest arrives: the order is received.
    _receive(shop, [{"order_line": resistor.pk, "received": "450"}])
    o.refresh_from_db()
    assert o.state == "received"
    assert AuditEntry.objects.filter(target_type="procurement.receipt").count() == 2


def test_more_than_is_open_is_refused_unless_within_the_tolerance(shop):
    o = sent_order(shop)
    resistor = _lines(o)[0]
    with pytest.raises(ValidationError) as exc:
        _receive(shop, [{"order_line": resistor.pk, "received": "1001"}])
    assert "1000" in exc.value.message_dict["lines[0].received"][0]
    # Two lines of one receipt on the same order line count together.
    with pytest.raises(ValidationError):
        _receive(
            shop,
            [{"order_line": resistor.pk, "received": "600"}, {"order_line": resistor.pk, "received": "600"}],
        )
    assert not Receipt.objects.exists()
    PurchasingSettings.objects.update_or_create(pk=1, defaults={"over_delivery_percent": Decimal("5")})
    _receive(shop, [{"order_line": resistor.pk, "received": "1050"}])
    # Rejected goods do not count: 10 over, 10 rejected.
    o2 = sent_order(shop)
    _receive(
        shop,
        [{"order_line": _lines(o2)[0].pk, "received": "1060", "rejected": "60", "reject_reason": "excess"}],
    )


@pytest.mark.parametrize(
    ("row", "key"),
    [
        ({"received": "-1"}, "lines[0].received"),
        ({"received": "0"}, "lines[0].received"),
        ({"received": "10", "rejected": "3"}, "lines[0].reject_reason"),
        ({"received": "10", "accepted": "9", "rejected": "0"}, "lines[0].accepted"),
        ({"received": "abc"}, "lines[0].received"),
        ({"received": "1.0001"}, "lines[0].received"),
    ],
)
def test_bad_quantities_are_refused(shop, row, key):
    o = sent_order(shop)
    with pytest.raises(ValidationError) as exc:
        _receive(shop, [{"order_line": _lines(o)[0].pk, **row}])
    assert key in exc.value.message_dict
    assert not Receipt.objects.exists()


def test_dates_back_within_the_window_are_marked_later_or_further_back_refused(shop):
    o = sent_order(shop)
    line = _lines(o)[0]
    today = timezone.localdate()
    receipt = _receive(
        shop, [{"order_line": line.pk, "received": "1"}], received_on=today - dt.timedelta(days=3)
    )
    assert receipt.backdated
    entry = AuditEntry.objects.filter(target_type="procurement.receipt", target_id=str(receipt.pk)).get()
    assert entry.changes["backdated"] == [None, True]
    for day, words in (
        (today + dt.timedelta(days=1), "on or before today"),
        (today - dt.timedelta(days=8), "at most 7"),
    ):
        with pytest.raises(ValidationError) as exc:
            _receive(shop, [{"order_line": line.pk, "received": "1"}], received_on=day)
        assert words in exc.value.message_dict["received_on"][0]


def test_only_orders_with_the_supplier_and_only_lines_one_reaches(shop):
    draft = sent_order(shop)
    # A draft or a cancelled order takes no goods; nor another team's; nor does a sales rep receive.
    from guanxi.procurement.services.orders import order_create

    d = order_create(
        actor=shop.buyer,
        data={"supplier": shop.huaqiang.pk, "lines": [{"product": shop.resistor.pk, "unit_price": "1"}]},
    )
    with pytest.raises(ValidationError) as exc:
        _receive(shop, [{"order_line": d.lines.get().pk, "received": "1"}])
    assert "lines[0].order_line" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _receive(shop, [{"order_line": _lines(draft)[0].pk, "received": "1"}], actor=shop.buyer_west)
    with pytest.raises(PermissionDeniedError):
        _receive(shop, [{"order_line": _lines(draft)[0].pk, "received": "1"}], actor=shop.rep)


def test_lines_of_two_suppliers_do_not_share_a_receipt(shop):
    a = sent_order(shop)
    b = sent_order(
        shop,
        {"product": shop.resistor.pk, "quantity": "10", "unit_price": "1"},
        supplier=shop.preferred,
        actor=shop.pm,
    )
    with pytest.raises(ValidationError) as exc:
        _receive(
            shop,
            [
                {"order_line": _lines(a)[0].pk, "received": "1"},
                {"order_line": _lines(b)[0].pk, "received": "1"},
            ],
            actor=shop.pm,
        )
    assert "same supplier" in exc.value.message_dict["lines"][0]


def test_a_return_opens_the_quantity_again_and_never_exceeds_what_was_accepted(shop):
    o = sent_order(shop)
    resistor, carton = _lines(o)
    _receive(
        shop, [{"order_line": resistor.pk, "received": "1000"}, {"order_line": carton.pk, "received": "200"}]
    )
    o.refresh_from_db()
    assert o.state == "received"
    with pytest.raises(ValidationError) as exc:
        return_post(
            actor=shop.buyer,
            data={
                "kind": "quality",
                "reason": "来料检验后发现虚焊",
                "lines": [{"order_line": resistor.pk, "quantity": "1001"}],
            },
        )
    assert "1000" in exc.value.message_dict["lines[0].quantity"][0]
    with pytest.raises(ValidationError) as exc:
        return_post(
            actor=shop.buyer,
            data={"kind": "nope", "reason": "", "lines": [{"order_line": resistor.pk, "quantity": "1"}]},
        )
    assert {"kind", "reason"} <= set(exc.value.message_dict)
    for day, said in (
        (timezone.localdate() + dt.timedelta(days=1), "on or before today"),
        ("2020-01-01", "at most"),
    ):
        with pytest.raises(ValidationError) as exc:  # never ahead, and back only within the receipts' window
            return_post(
                actor=shop.buyer,
                data={"kind": "quality", "reason": "虚焊", "returned_on": str(day),
                      "lines": [{"order_line": resistor.pk, "quantity": "1"}]},
            )  # fmt: skip
        assert said in exc.value.message_dict["returned_on"][0]
    back = return_post(
        actor=shop.buyer,
        data={
            "kind": "quality",
            "reason": "来料检验后发现虚焊",
            "lines": [{"order_line": resistor.pk, "quantity": "100"}],
        },
    )
    resistor.refresh_from_db()
    o.refresh_from_db()
    assert back.number.startswith("RT") and back.kind == "quality"
    assert (resistor.returned_quantity, resistor.open_quantity, o.state) == (
        Decimal("100"),
        Decimal("100"),
        "partial",
    )

"""Delivery notes (送货单): entered against open order lines, received in one step by the code on its QR code
(typed in any width or case), in part with a rejection, never twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, NotFoundError
from guanxi.procurement.services.delivery_notes import (
    delivery_note_cancel,
    delivery_note_create,
    note_by_code,
)
from guanxi.procurement.services.receipts import receipt_from_note

from .receiving_support import sent_order


@pytest.fixture
def note(shop):
    o = sent_order(shop)
    resistor, carton = o.lines.order_by("position")
    return delivery_note_create(
        actor=shop.buyer,
        data={
            "ship_date": "2026-11-20",
            "carrier": "顺丰速运",
            "tracking_number": "SF1234567890",
            "lines": [
                {"order_line": resistor.pk, "quantity": "1000"},
                {"order_line": carton.pk, "quantity": "100"},
            ],
        },
    )


def test_a_note_is_found_by_its_code_however_it_is_typed(shop, note):
    assert note.number.startswith("DN") and len(note.code) == 10 and note.state == "open"
    typed = " ".join(note.code[i : i + 2] for i in range(0, 10, 2)).lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in note.code)
    assert note_by_code(actor=shop.buyer, code=typed) == note
    assert note_by_code(actor=shop.buyer, code=full_width) == note
    with pytest.raises(NotFoundError):
        note_by_code(actor=shop.buyer, code="ZZZZ2345ZZ")  # a well-formed code that no note has
    with pytest.raises(NotFoundError):  # another team's buyer cannot receive it
        note_by_code(actor=shop.buyer_west, code=note.code)


def test_receive_in_one_step(shop, note):
    receipt = receipt_from_note(actor=shop.buyer, note=note)
    note.refresh_from_db()
    assert note.state == "received" and receipt.delivery_note == note
    assert [(x.received_quantity, x.accepted_quantity) for x in receipt.lines.order_by("id")] == [
        (Decimal("1000"), Decimal("1000")),
        (Decimal("100"), Decimal("100")),
    ]
    with pytest.raises(ValidationError):
        receipt_from_note(actor=shop.buyer, note=note)


def test_receive_part_of_a_note_with_a_rejection_then_the_rest(shop, note):
    first, second = note.lines.order_by("id")
    receipt_from_note(
        actor=shop.buyer,
        note=note,
        data={
            "lines": [
                {"note_line": first.pk, "received": "400", "rejected": "20", "reject_reason": "damaged"}
            ]
        },
    )
    note.refresh_from_db()
    first.refresh_from_db()
    assert note.state == "partial" and first.received_quantity == Decimal("400")
    rest = receipt_from_note(actor=shop.buyer, note=note)
    assert sorted(x.received_quantity for x in rest.lines.all()) == [Decimal("100"), Decimal("600")]
    note.refresh_from_db()
    assert note.state == "received"


def test_a_note_above_the_open_quantity_is_refused(shop):
    o = sent_order(shop)
    line = o.lines.order_by("position").first()
    with pytest.raises(ValidationError) as exc:
        delivery_note_create(
            actor=shop.buyer, data={"lines": [{"order_line": line.pk, "quantity": "1000.001"}]}
        )
    assert "lines[0].quantity" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        delivery_note_create(
            actor=shop.buyer,
            data={
                "ship_date": "2026-11-20",
                "expected_on": "2026-11-19",
                "lines": [{"order_line": line.pk, "quantity": "1"}],
            },
        )
    assert "expected_on" in exc.value.message_dict


def test_cancel_only_what_was_not_received(shop, note):
    with pytest.raises(ConflictError):
        delivery_note_cancel(actor=shop.buyer, note=note, version=note.version + 1)
    receipt_from_note(
        actor=shop.buyer, note=note, data={"lines": [{"note_line": note.lines.first().pk, "received": "1"}]}
    )
    note.refresh_from_db()
    with pytest.raises(ValidationError):
        delivery_note_cancel(actor=shop.buyer, note=note, version=note.version)


def test_what_is_on_the_way_is_not_announced_twice(shop, note):
    resistor, carton = note.lines.order_by("id").values_list("order_line", flat=True)

    def second(line, qty):
        return delivery_note_create(actor=shop.buyer, data={"lines": [{"order_line": line, "quantity": qty}]})

    with pytest.raises(ValidationError) as exc:
        second(resistor, "1")  # all 1,000 are on the first note
    assert "on delivery notes on the way" in exc.value.message_dict["lines[0].quantity"][0]
    with pytest.raises(ValidationError):
        second(carton, "101")  # 100 of 200 are on the way
    second(carton, "100")
    # The first note arrives with 200 resistors rejected: they are open again, and nothing is on the way.
    receipt_from_note(
        actor=shop.buyer,
        note=note,
        data={
            "lines": [
                {
                    "note_line": note.lines.get(order_line=resistor).pk,
                    "received": "1000",
                    "rejected": "200",
                    "reject_reason": "quality",
                }
            ]
        },
    )
    with pytest.raises(ValidationError):
        second(resistor, "201")
    replacement = second(resistor, "200")
    delivery_note_cancel(actor=shop.buyer, note=replacement, version=replacement.version)
    second(resistor, "200")  # a cancelled note announces nothing

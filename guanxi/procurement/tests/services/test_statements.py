"""Reconciliation statements (guanxi.procurement.services.statements): the period's receipts, returns and
invoices with the difference; the supplier confirms (locked) or disputes line by line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import ConflictError
from guanxi.procurement.services.invoices import invoice_enter
from guanxi.procurement.services.receipts import receipt_post, return_post
from guanxi.procurement.services.statements import statement_answer, statement_create, statement_send

from .receiving_support import sent_order


@pytest.fixture
def statement(shop):
    o = sent_order(shop)
    resistor, carton = o.lines.order_by("position")
    receipt_post(
        actor=shop.buyer,
        data={
            "lines": [
                {"order_line": resistor.pk, "received": "1000"},
                {"order_line": carton.pk, "received": "200"},
            ]
        },
    )
    return_post(
        actor=shop.buyer,
        data={"kind": "quality", "reason": "虚焊", "lines": [{"order_line": resistor.pk, "quantity": "100"}]},
    )
    today = timezone.localdate()
    invoice_enter(
        actor=shop.buyer,
        data={
            "fapiao_number": "12345678",
            "invoice_date": today,
            "stated_gross": "1017",
            "lines": [{"order_line": resistor.pk, "quantity": "450"}],
        },
    )
    return statement_create(
        actor=shop.buyer,
        data={"supplier": shop.huaqiang.pk, "period_start": today.replace(day=1), "period_end": today},
    )


def test_a_statement_lists_what_was_received_returned_and_invoiced(shop, statement):
    s = statement
    assert s.number.startswith("ST") and s.state == "draft"
    kinds = sorted((x.kind, x.amount) for x in s.lines.all())
    assert kinds == [
        ("invoice", Decimal("-1017")),
        ("receipt", Decimal("678")),  # 200 cartons × 3 + 13 %
        ("receipt", Decimal("2260")),  # 1000 resistors × 2 + 13 %
        ("return", Decimal("-226")),
    ]
    assert (s.received_total, s.returned_total, s.invoiced_total, s.difference) == (
        Decimal("2938"),
        Decimal("226"),
        Decimal("1017"),
        Decimal("1695"),
    )


def test_confirmed_line_by_line_it_is_locked(shop, statement):
    s = statement_send(actor=shop.buyer, statement=statement, version=statement.version)
    lines = list(s.lines.all())
    s = statement_answer(actor=shop.buyer, statement=s, version=s.version, answers={lines[0].pk: "confirmed"})
    assert s.state == "sent"
    s = statement_answer(
        actor=shop.buyer,
        statement=s,
        version=s.version,
        answers={x.pk: {"answer": "confirmed"} for x in lines},
    )
    assert s.state == "confirmed" and s.is_locked
    with pytest.raises(ValidationError) as exc:
        statement_answer(
            actor=shop.buyer,
            statement=s,
            version=s.version,
            answers={lines[0].pk: {"answer": "disputed", "note": "x"}},
        )
    assert "locked" in exc.value.message_dict["state"][0]


def test_a_dispute_needs_a_note_and_can_be_answered_again(shop, statement):
    s = statement_send(actor=shop.buyer, statement=statement, version=statement.version)
    line = s.lines.filter(kind="return").get()
    with pytest.raises(ValidationError) as exc:
        statement_answer(
            actor=shop.buyer, statement=s, version=s.version, answers={line.pk: {"answer": "disputed"}}
        )
    assert f"answers.{line.pk}.note" in exc.value.message_dict
    s = statement_answer(
        actor=shop.buyer,
        statement=s,
        version=s.version,
        answers={line.pk: {"answer": "disputed", "note": "退货单未签收"}},
    )
    assert s.state == "disputed"
    with pytest.raises(ConflictError):
        statement_answer(actor=shop.buyer, statement=s, version=s.version - 1, answers={})
    s = statement_answer(
        actor=shop.buyer, statement=s, version=s.version, answers={x.pk: "confirmed" for x in s.lines.all()}
    )
    assert s.state == "confirmed"


def test_an_empty_or_backwards_period_is_refused(shop):
    with pytest.raises(ValidationError) as exc:
        statement_create(
            actor=shop.buyer,
            data={"supplier": shop.huaqiang.pk, "period_start": "2026-02-01", "period_end": "2026-01-01"},
        )
    assert "period_end" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        statement_create(
            actor=shop.buyer,
            data={"supplier": shop.huaqiang.pk, "period_start": "2020-01-01", "period_end": "2020-01-31"},
        )
    assert "Nothing was received" in exc.value.message_dict["period_end"][0]

"""Change orders (guanxi.procurement.services.order_changes): the order as it was stays as a revision; a total
above the approved one is approved again (and undone when refused); the statistical promised date moves only
here, with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.procurement.services.order_changes import order_change
from guanxi.procurement.services.orders import order_confirm, order_create, order_send, order_submit


@pytest.fixture
def confirmed(shop):
    o = order_create(
        actor=shop.buyer,
        data={
            "supplier": shop.huaqiang.pk,
            "lines": [
                {
                    "product": shop.resistor.pk,
                    "quantity": "1000",
                    "unit_price": "5",
                    "requested_date": "2026-12-01",
                }
            ],
        },
    )
    o = order_submit(actor=shop.buyer, order=o, version=o.version)
    o = order_send(actor=shop.buyer, order=o, version=o.version)
    line = o.lines.get()
    return order_confirm(actor=shop.buyer, order=o, version=o.version, dates={line.pk: "2026-12-05"})


def _change(shop, o, reason="供应商调价", **line):
    current = o.lines.get()
    row = {"id": current.pk, "product": shop.resistor.pk, "quantity": "1000", "unit_price": "5", **line}
    return order_change(actor=shop.buyer, order=o, version=o.version, data={"reason": reason, "lines": [row]})


def test_a_cheaper_change_keeps_the_state_the_dates_and_the_revision(shop, confirmed):
    assert confirmed.gross_total == Decimal("5650")
    o = _change(shop, confirmed, unit_price="4.5")
    line = o.lines.get()
    assert (o.state, o.revision, o.gross_total) == ("confirmed", 1, Decimal("5085"))
    assert (line.first_confirmed_date, line.planned_date) == (dt.date(2026, 12, 5), dt.date(2026, 12, 5))
    rev = o.revisions.get()
    assert (rev.revision, rev.reason, rev.gross_total) == (1, "供应商调价", Decimal("5650"))
    assert rev.snapshot["lines"][0]["unit_price"] == "5.000000" and rev.snapshot["state"] == "confirmed"


def test_a_dearer_change_is_approved_again_and_returns_to_confirmed(shop, confirmed):
    o = _change(shop, confirmed, quantity="3000")  # 16,950 CNY: above 10,000 and above the approved 5,650
    assert o.state == "pending"
    approval_approve(actor=shop.pm, request=approval_status_of(o))
    o.refresh_from_db()
    assert (o.state, o.approved_total) == ("confirmed", Decimal("16950"))


def test_a_refused_change_is_undone(shop, confirmed):
    o = _change(shop, confirmed, quantity="3000")
    approval_reject(actor=shop.pm, request=approval_status_of(o), comment="数量不对")
    o.refresh_from_db()
    line = o.lines.get()
    assert (o.state, o.revision, o.gross_total, line.quantity) == (
        "confirmed",
        0,
        Decimal("5650"),
        Decimal("1000"),
    )
    assert line.first_confirmed_date == dt.date(2026, 12, 5)
    assert not o.revisions.exists()


def test_the_statistical_promised_date_moves_only_by_a_change_with_a_reason(shop, confirmed):
    with pytest.raises(ValidationError) as exc:
        _change(shop, confirmed, reason="", first_confirmed_date="2026-12-20")
    assert "reason" in exc.value.message_dict
    o = _change(
        shop, confirmed, reason="我方推迟交期", first_confirmed_date="2026-12-20", planned_date="2026-12-20"
    )
    line = o.lines.get()
    assert (line.first_confirmed_date, line.planned_date) == (dt.date(2026, 12, 20), dt.date(2026, 12, 20))


def test_drafts_are_edited_not_changed(shop):
    o = order_create(
        actor=shop.buyer,
        data={"supplier": shop.huaqiang.pk, "lines": [{"product": shop.resistor.pk, "unit_price": "1"}]},
    )
    with pytest.raises(ValidationError) as exc:
        _change(shop, o)
    assert "state" in exc.value.message_dict

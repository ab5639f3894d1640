"""Two clerks receive the same order line at the same moment, together more than is open: the line's row is
locked (SELECT … FOR UPDATE), so one receipt is posted and the other refused — never more accepted than
ordered. Each thread has its own connection and transaction, as under gunicorn."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanxi.core.tests.races import race
from guanxi.procurement.models import Receipt
from guanxi.procurement.services.receipts import receipt_post

from .receiving_support import sent_order

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks as PostgreSQL takes them"),
]


def test_two_receipts_at_once_never_over_receive(shop):
    o = sent_order(shop)
    line = o.lines.order_by("position").first()

    def receive(actor, qty):
        return lambda: receipt_post(actor=actor, data={"lines": [{"order_line": line.pk, "received": qty}]})

    results = race(receive(shop.buyer, "700"), receive(shop.mate, "400"))
    assert isinstance(results[0], Receipt), results
    assert isinstance(results[1], ValidationError) and "300" in str(results[1].message_dict), results
    line.refresh_from_db()
    assert line.accepted_quantity == Decimal("700")
    # Within what is open both count.
    results = race(receive(shop.buyer, "100"), receive(shop.mate, "200"))
    assert all(isinstance(r, Receipt) for r in results), results
    line.refresh_from_db()
    assert line.accepted_quantity == Decimal("1000")

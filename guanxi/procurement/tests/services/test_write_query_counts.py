"""Posting a receipt and matching an invoice cost the same number of queries for 1 line as for 20 (the
benchmark's 100-line invoice must not pay per line); so do a return and cancelling an invoice."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.procurement.services.invoices import invoice_cancel, invoice_enter
from guanxi.procurement.services.receipts import receipt_post, return_post

from .receiving_support import sent_order


def _order(shop, n):
    return sent_order(
        shop, *[{"product": shop.resistor.pk, "quantity": "10", "unit_price": "1"} for _ in range(n)]
    )


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_receipt_and_invoice_queries_do_not_grow_with_lines(shop):
    counts = {}
    for n in (2, 1, 20):  # the first pays once for what is made once (the settings' row, the sequences)
        lines = list(_order(shop, n).lines.values_list("pk", flat=True))
        rows = [{"order_line": pk, "received": "10"} for pk in lines]
        counts[("receipt", n)] = _count(
            lambda rows=rows: receipt_post(actor=shop.buyer, data={"lines": rows})
        )
        data = {
            "fapiao_number": f"1234567{n:02d}",  # one fapiao each
            "invoice_date": "2026-11-20",
            "stated_gross": str(11.3 * n),
            "lines": [{"order_line": pk, "quantity": "10"} for pk in lines],
        }
        invoice = []
        counts[("invoice", n)] = _count(
            lambda data=data: invoice.append(invoice_enter(actor=shop.buyer, data=data))
        )
        back = {
            "kind": "quality",
            "reason": "裂纹",
            "lines": [{"order_line": pk, "quantity": "1"} for pk in lines],
        }
        counts[("return", n)] = _count(lambda back=back: return_post(actor=shop.buyer, data=back))
        inv = invoice[0]
        counts[("cancel", n)] = _count(
            lambda inv=inv: invoice_cancel(
                actor=shop.buyer, invoice=inv, version=inv.version, reason="录错了"
            )
        )
    assert counts[("receipt", 1)] == counts[("receipt", 20)], counts
    assert counts[("invoice", 1)] == counts[("invoice", 20)], counts
    assert counts[("return", 1)] == counts[("return", 20)], counts
    assert counts[("cancel", 1)] == counts[("cancel", 20)], counts
    assert counts[("receipt", 1)] <= 25 and counts[("invoice", 1)] <= 25, counts

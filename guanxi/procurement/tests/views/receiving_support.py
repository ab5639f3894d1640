"""What the receiving page tests share: a sent order with a delivery note of both its lines, received in part
with a rejection, and the page of each thing made through the services as users would."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse

from guanxi.procurement.services.delivery_notes import delivery_note_create
from guanxi.procurement.services.receipts import receipt_from_note, return_post
from guanxi.procurement.tests.services.receiving_support import sent_order

__all__ = ["delivered", "note_for", "received", "sent_order"]


def note_for(shop, order, *quantities, actor=None, **data):
    """A delivery note of the order's lines (each line the quantity given, in position order)."""
    lines = list(order.lines.order_by("position"))
    qty = quantities or tuple(str(x.quantity.normalize()) for x in lines)
    rows = [{"order_line": x.pk, "quantity": q} for x, q in zip(lines, qty, strict=False) if q]
    return delivery_note_create(
        actor=actor or shop.buyer,
        data={
            "ship_date": "2026-11-20",
            "carrier": "顺丰速运",
            "tracking_number": "SF1234567890",
            "lines": rows,
            **data,
        },
    )


def delivered(shop):
    """A sent order (1000 resistors, 200 cartons) and a note shipping all of it, nothing received yet."""
    o = sent_order(shop)
    return SimpleNamespace(order=o, note=note_for(shop, o))


def received(shop):
    """… its resistors received in part (600, 50 rejected for quality), then 100 of them returned."""
    d = delivered(shop)
    first = d.note.lines.order_by("id").first()
    d.receipt = receipt_from_note(
        actor=shop.buyer,
        note=d.note,
        data={
            "lines": [
                {"note_line": first.pk, "received": "600", "rejected": "50", "reject_reason": "quality"}
            ]
        },
    )
    d.back = return_post(
        actor=shop.buyer,
        data={
            "kind": "quality",
            "reason": "引脚氧化",
            "lines": [{"order_line": first.order_line_id, "quantity": "100"}],
        },
    )
    return d


def urls(d) -> list[str]:
    """Every receiving page of these documents."""
    o, n = d.order, d.note
    return [
        reverse("procurement:receiving"),
        reverse("procurement:delivery_notes"),
        reverse("procurement:receipts"),
        reverse("procurement:returns"),
        reverse("procurement:delivery_note_create") + f"?order={o.pk}",
        n.get_absolute_url(),
        n.get_absolute_url() + "?tab=history",
        n.get_absolute_url() + "?tab=attachments",
        reverse("procurement:delivery_note_receive", args=[n.pk]),
        reverse("procurement:order_receive", args=[o.pk]),
        reverse("procurement:order_return", args=[o.pk]),
        d.receipt.get_absolute_url(),
        d.receipt.get_absolute_url() + "?tab=history",
        d.back.get_absolute_url(),
        reverse("core:print_preview", args=["procurement.deliverynote", n.pk, "delivery_note"]),
        o.get_absolute_url(),
    ]

"""Demo purchasing, mid-year: Emily Chen (Buyer) has recorded her suppliers' prices (one replaced by a newer
quote, so its history shows) and has purchase orders in every state — a draft, one waiting in 刘洋's inbox
(above 10,000 CNY), approved, sent (its delivery note in transit), confirmed by the supplier (one line late, one
changed by a change order), partially received from a delivery note with a rejection, received, closed short
and cancelled; a matched invoice and one held for its price; a reconciliation statement awaiting the supplier's
confirmation. Loaded once, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from guanxi.catalog.models import Product, Unit
from guanxi.core.models import User
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.parties.models import Party
from guanxi.procurement.models import PurchaseOrder
from guanxi.procurement.services.approval_rules import order_rules_ensure
from guanxi.procurement.services.delivery_notes import delivery_note_create
from guanxi.procurement.services.invoices import invoice_enter
from guanxi.procurement.services.order_changes import order_change
from guanxi.procurement.services.orders import (
    order_cancel,
    order_close,
    order_confirm,
    order_create,
    order_send,
    order_submit,
)
from guanxi.procurement.services.prices import supplier_price_record
from guanxi.procurement.services.receipts import receipt_from_note, receipt_post
from guanxi.procurement.services.statements import statement_create, statement_send

# (product code, unit price CNY, minimum order, lead time days, breaks)
PRICES = [
    ("R-0603-10K", "0.0080", "5000", 10, [("50000", "0.0065"), ("200000", "0.0055")]),
    ("C-0805-1U", "0.0220", "4000", 14, [("40000", "0.0190")]),
    ("BOX-A4", "3.20", "500", 7, [("5000", "2.85")]),
    ("AL-6061", "24.50", "100", 21, []),
    ("CU-WIRE", "2.10", "1000", 10, []),
    ("SV-LOGI", "850", "1", 2, []),
]


def load_demo_purchasing() -> int:
    """Returns how many purchase orders were made (0: already there, or no demo buyer, manager or suppliers)."""
    if PurchaseOrder.objects.exists():
        return 0
    buyer = User.objects.filter(username="emily.chen").first()
    manager = User.objects.filter(username="liu.yang").first()
    suppliers = list(
        Party.objects.filter(
            is_supplier=True,
            supplier_status__in=["approved", "preferred"],
            archived_at=None,
            merged_into=None,
            owner=buyer,
        ).order_by("-supplier_status", "id")[:4]
    )
    products = {p.code: p for p in Product.objects.filter(can_buy=True, archived_at=None)}
    if buyer is None or manager is None or len(suppliers) < 2 or not products:
        return 0
    order_rules_ensure()
    today = timezone.localdate()
    _prices(buyer, suppliers, products, today)
    pcs = Unit.objects.filter(code="pcs").first()

    def line(code, qty, days, price=None):
        p = products[code]
        unit = pcs.pk if pcs and p.unit.code == "pcs" else p.unit_id
        return {
            "product": p.pk,
            "quantity": qty,
            "unit": unit,
            "unit_price": price,
            "requested_date": today + dt.timedelta(days=days),
        }

    def order(supplier, lines, **data):
        return order_create(
            actor=buyer,
            data={
                "supplier": supplier.pk,
                "lines": lines,
                "payment_terms": "月结60天 / 60 days end of month",
                "delivery_address": "深圳市南山区科技园南区 关系科技 收货仓 / Receiving dock",
                **data,
            },
        )

    def submit(o):
        o = order_submit(actor=buyer, order=o, version=o.version)
        request = approval_status_of(o)
        if o.state == "pending" and request is not None:
            approval_approve(actor=manager, request=request)
            o.refresh_from_db()
        return o

    def send(o):
        o = order_submit_if_draft(o)
        return order_send(actor=buyer, order=o, version=o.version)

    def order_submit_if_draft(o):
        return submit(o) if o.state == "draft" else o

    def confirm(o, late_days=0):
        o = send(o)
        o.refresh_from_db()
        dates = {ln.pk: ln.requested_date + dt.timedelta(days=late_days) for ln in o.lines.all()}
        return order_confirm(actor=buyer, order=o, version=o.version, dates=dates)

    a, b = suppliers[0], suppliers[1]
    c = suppliers[2] if len(suppliers) > 2 else a
    made = []
    made.append(
        order(
            a,
            [line("R-0603-10K", "60000", 20), line("C-0805-1U", "40000", 20)],
            notes="新项目备料 / Stock for the new project",
        )
    )
    o = order(b, [line("AL-6061", "800", 30)])  # 22,148 CNY with VAT: waits in 刘洋's inbox
    made.append(order_submit(actor=buyer, order=o, version=o.version))
    made.append(submit(order(c, [line("BOX-A4", "2000", 10)])))
    made.append(send(submit(order(a, [line("CU-WIRE", "3000", 15)]))))
    made.append(
        confirm(order(b, [line("BOX-A4", "6000", -3), line("SV-LOGI", "1", -3)]), late_days=0)
    )  # late now
    changed = confirm(order(a, [line("R-0603-10K", "200000", 25)]))
    first = changed.lines.get()
    made.append(
        order_change(
            actor=buyer,
            order=changed,
            version=changed.version,
            data={
                "reason": "供应商因铜价上涨推迟一周 / Supplier one week later (copper price)",
                "lines": [
                    {
                        "id": first.pk,
                        "product": first.product_id,
                        "quantity": "200000",
                        "unit": first.unit_id,
                        "unit_price": str(first.unit_price),
                        "requested_date": first.requested_date,
                        "planned_date": first.planned_date + dt.timedelta(days=7),
                    }
                ],
            },
        )
    )
    closed = confirm(order(c, [line("SV-LOGI", "2", -20)]))
    made.append(
        order_close(
            actor=buyer,
            order=closed,
            version=closed.version,
            reason="只用了一车，其余取消 / One truck was enough",
        )
    )
    cancelled = send(order(b, [line("CU-WIRE", "1000", 12)]))
    made.append(
        order_cancel(
            actor=buyer, order=cancelled, version=cancelled.version, reason="需求取消 / Demand cancelled"
        )
    )
    made += _receiving(buyer, a, c, made[3], order, line, confirm, today)
    return len(made)


def _receiving(buyer, a, c, in_transit, order, line, confirm, today) -> list:
    """A delivery note received with a rejection (partially received), an order received in full and its
    invoice matched, an invoice held for its price, a note in transit, a statement awaiting confirmation."""
    partial = confirm(order(a, [line("R-0603-10K", "100000", 2), line("C-0805-1U", "40000", 2)]))
    resistors, caps = partial.lines.order_by("position")
    note = delivery_note_create(
        actor=buyer,
        data={
            "carrier": "顺丰速运 SF Express",
            "tracking_number": "SF1402938475612",
            "lines": [
                {"order_line": resistors.pk, "quantity": "60000"},
                {"order_line": caps.pk, "quantity": "40000"},
            ],
        },
    )
    note_lines = {x.order_line_id: x for x in note.lines.all()}
    receipt_from_note(
        actor=buyer,
        note=note,
        data={
            "lines": [
                {"note_line": note_lines[resistors.pk].pk, "received": "60000"},
                {
                    "note_line": note_lines[caps.pk].pk,
                    "received": "40000",
                    "rejected": "2000",
                    "reject_reason": "quality",
                    "reject_note": "容值超差 / Capacitance out of tolerance",
                },
            ]
        },
    )
    resistors.refresh_from_db()
    invoice_enter(  # the supplier invoiced above the order price: held for approval
        actor=buyer,
        data={
            "fapiao_number": "24442000000031415926",
            "invoice_date": today,
            "stated_gross": str(
                round(60000 * (resistors.unit_price + Decimal("0.0010")) * Decimal("1.13"), 2)
            ),
            "lines": [
                {
                    "order_line": resistors.pk,
                    "quantity": "60000",
                    "unit_price": str(resistors.unit_price + Decimal("0.0010")),
                }
            ],
        },
    )
    full = confirm(order(c, [line("BOX-A4", "3000", 1)]))
    boxes = full.lines.get()
    receipt_post(actor=buyer, data={"lines": [{"order_line": boxes.pk, "received": "3000"}]})
    invoice_enter(
        actor=buyer,
        data={
            "fapiao_number": "24442000000027182818",
            "invoice_date": today,
            "stated_gross": str(boxes.gross),
            "lines": [{"order_line": boxes.pk, "quantity": "3000"}],
        },
    )
    transit = in_transit.lines.get()
    delivery_note_create(
        actor=buyer,
        data={
            "carrier": "德邦物流 Deppon",
            "tracking_number": "DPK7730018842",
            "lines": [{"order_line": transit.pk, "quantity": "3000"}],
        },
    )
    statement = statement_create(
        actor=buyer, data={"supplier": a.pk, "period_start": today.replace(day=1), "period_end": today}
    )
    statement_send(actor=buyer, statement=statement, version=statement.version)
    return [partial, full]


def _prices(buyer, suppliers, products, today) -> None:
    """Every supplier quotes every product (a little dearer down the list), from four months ago."""
    for n, supplier in enumerate(suppliers):
        factor = Decimal(100 + 6 * n) / 100
        for code, price, moq, lead, breaks in PRICES:
            if code not in products:
                continue
            supplier_price_record(
                actor=buyer,
                data={
                    "supplier": supplier.pk,
                    "product": products[code].pk,
                    "currency": "CNY",
                    "unit_price": f"{Decimal(price) * factor:.4f}",
                    "min_quantity": moq,
                    "lead_time_days": lead + n,
                    "supplier_code": f"S{supplier.pk}-{code}",
                    "breaks": [
                        {"min_quantity": q, "unit_price": f"{Decimal(p) * factor:.4f}"} for q, p in breaks
                    ],
                    "valid_from": today - dt.timedelta(days=120),
                },
            )
    # A newer quote replaces the first supplier's resistor price (the history shows both).
    if "R-0603-10K" in products:
        supplier_price_record(
            actor=buyer,
            data={
                "supplier": suppliers[0].pk,
                "product": products["R-0603-10K"].pk,
                "currency": "CNY",
                "unit_price": "0.0075",
                "min_quantity": "5000",
                "lead_time_days": 10,
                "breaks": [{"min_quantity": "50000", "unit_price": "0.0062"}],
                "valid_from": today - dt.timedelta(days=30),
                "note": "年中调价 / Mid-year price review",
            },
        )

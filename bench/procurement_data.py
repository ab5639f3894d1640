"""The purchasing benchmark's data (bench/procurement.py fills with it): a buyer and a procurement manager in one
team, suppliers, and orders of 5 lines in every state by bulk_create. 7 of 12 orders have arrived: each of their
lines came on a receipt of its own and is billed on one of two invoices."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

LINES = 5
BATCH = 5000
DONE = ("partial", "received", "closed")
# Every bench line: 100 pieces at 10 CNY, 13 % tax — on the order, and on the invoice that bills it.
AMOUNTS = {
    "quantity": Decimal(100),
    "unit_price": Decimal(10),
    "tax_percent": Decimal(13),
    "net": Decimal(1000),
    "tax": Decimal(130),
    "gross": Decimal(1130),
}


def _users():
    from django.contrib.auth.models import Group

    from guanxi.core import roles
    from guanxi.core.models import Team, TeamMembership, User

    team, _ = Team.objects.get_or_create(name="Bench purchasing")
    out = {}
    for name, role in (("bench.pm", roles.PROCUREMENT_MANAGER), ("bench.buyer", roles.BUYER)):
        u, _ = User.objects.get_or_create(username=name)
        u.groups.set(Group.objects.filter(name=role))
        TeamMembership.objects.get_or_create(user=u, team=team)
        out[name] = u
    return team, out["bench.pm"], out["bench.buyer"]


def _fill(suppliers: int, orders: int) -> None:
    from django.db import connection, transaction

    from guanxi.catalog.models import Product, Unit
    from guanxi.core.models import Company
    from guanxi.parties.models import Party
    from guanxi.procurement.models import (
        PurchaseOrder,
        PurchaseOrderLine,
        Receipt,
        ReceiptLine,
        SupplierInvoice,
        SupplierInvoiceLine,
    )

    rng = random.Random(8)
    team, pm, buyer = _users()
    company = Company.objects.first() or Company.objects.create(name_zh="基准测试公司", is_default=True)
    unit = Unit.objects.filter(code="pcs").first() or Unit.objects.first()
    have = Product.objects.filter(can_buy=True).count()
    Product.objects.bulk_create(
        Product(
            code=f"BENCH-{i:05d}",
            code_key=f"bench-{i:05d}",
            name_en=f"Bench part {i}",
            name_zh=f"基准物料{i}",
            unit=unit,
            can_sell=False,
            can_buy=True,
            approval_status="approved",
        )
        for i in range(have, 2000)
    )
    products = list(Product.objects.filter(can_buy=True).values_list("pk", flat=True))
    have = Party.objects.filter(is_supplier=True).count()
    for start in range(have, suppliers, BATCH):
        Party.objects.bulk_create(
            Party(
                name=f"基准供应商 {i:06d}",
                is_supplier=True,
                supplier_status="approved",
                owner=buyer,
                team=team,
            )
            for i in range(start, min(start + BATCH, suppliers))
        )
    supplier_ids = list(Party.objects.filter(is_supplier=True).values_list("pk", flat=True))
    # 7 of 12 orders have arrived (partially received, received or closed): each of their lines came on a receipt
    # of its own and is billed on one of two invoices (lines 1-3, lines 4-5). At 1M orders: ~2.9M receipts and
    # receipt lines, ~1.2M invoices with ~2.9M lines — the 3M receipts and 1M invoices.
    states = [
        "draft",
        "approved",
        "sent",
        "confirmed",
        "partial",
        "received",
        "received",
        "received",
        "closed",
        "closed",
        "closed",
        "cancelled",
    ]
    today = dt.date.today()
    have = PurchaseOrder.objects.count()
    t = time.perf_counter()
    for start in range(have, orders, BATCH):
        with transaction.atomic():
            batch = [
                PurchaseOrder(
                    number=f"BPO{i:08d}",
                    company=company,
                    supplier_id=rng.choice(supplier_ids),
                    owner=buyer,
                    team=team,
                    state=rng.choice(states),
                    currency_id="CNY",
                    ordered_on=today - dt.timedelta(days=rng.randint(0, 730)),
                    net_total=Decimal(5000),
                    tax_total=Decimal(650),
                    gross_total=Decimal(5650),
                )
                for i in range(start, min(start + BATCH, orders))
            ]
            PurchaseOrder.objects.bulk_create(batch)
            lines = []
            for o in batch:
                done = o.state in DONE
                for n in range(1, LINES + 1):
                    lines.append(
                        PurchaseOrderLine(
                            order=o,
                            position=n,
                            product_id=rng.choice(products),
                            description=f"Bench part {n}",
                            unit=unit,
                            **AMOUNTS,
                            requested_date=o.ordered_on + dt.timedelta(days=14),
                            received_quantity=Decimal(100) if done else 0,
                            accepted_quantity=Decimal(100) if done else 0,
                            invoiced_quantity=Decimal(100) if done else 0,
                        )
                    )
            PurchaseOrderLine.objects.bulk_create(lines)
            arrived = [line for line in lines if line.order.state in DONE]
            receipts = [
                Receipt(
                    number=f"BGR{line.pk:09d}",
                    company=company,
                    supplier_id=line.order.supplier_id,
                    owner=buyer,
                    team=team,
                    received_on=line.order.ordered_on + dt.timedelta(days=10 + line.position * 3),
                )
                for line in arrived
            ]
            Receipt.objects.bulk_create(receipts)
            ReceiptLine.objects.bulk_create(
                ReceiptLine(
                    receipt=receipt,
                    order_line=line,
                    received_quantity=Decimal(100),
                    accepted_quantity=Decimal(100),
                )
                for receipt, line in zip(receipts, arrived, strict=True)
            )
            invoices = {}
            for o in batch:
                if o.state not in DONE:
                    continue
                for part, gross in ((1, 3390), (2, 2260)):
                    invoices[(o.pk, part)] = SupplierInvoice(
                        number=f"BPI{o.pk:08d}-{part}",
                        company=company,
                        supplier_id=o.supplier_id,
                        owner=buyer,
                        team=team,
                        fapiao_number=f"{o.pk:018d}{part:02d}",
                        invoice_date=o.ordered_on + dt.timedelta(days=20 + part * 10),
                        currency_id="CNY",
                        state="matched",
                        stated_gross=Decimal(gross),
                        net_total=Decimal(gross) / Decimal("1.13"),
                        tax_total=Decimal(gross) - Decimal(gross) / Decimal("1.13"),
                        gross_total=Decimal(gross),
                    )
            SupplierInvoice.objects.bulk_create(invoices.values())
            SupplierInvoiceLine.objects.bulk_create(
                SupplierInvoiceLine(
                    invoice=invoices[(line.order_id, 1 if line.position <= 3 else 2)],
                    order_line=line,
                    **AMOUNTS,
                    order_price=Decimal(10),
                )
                for line in arrived
            )
        if (start // BATCH) % 20 == 0:
            print(f"  {start + len(batch):,} orders ({time.perf_counter() - t:.0f} s)", flush=True)
    with connection.cursor() as c:
        c.execute("ANALYZE")

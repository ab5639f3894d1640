"""Demo sourcing: two requests for quotation by Emily Chen (Buyer). One awarded: aluminium and copper wire,
three suppliers quoted (one in USD, converted in the comparison), opened early by 刘洋 (Procurement Manager)
for an urgent customer order, scored and awarded line by line with a justification — ready for "Make the
purchase orders". One open: cartons for next quarter, two quotes sealed until the deadline, one supplier
declined. Loaded once, through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from guanxi.catalog.models import Product
from guanxi.core.models import User
from guanxi.parties.models import Party
from guanxi.procurement.models import Rfq
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.services import awards, quotes, rfqs


def _deadline(days: int) -> str:
    return (
        (timezone.localtime() + dt.timedelta(days=days)).replace(hour=17, minute=0).strftime("%Y-%m-%dT%H:%M")
    )


def _invite_all(buyer, rfq: Rfq, suppliers) -> Rfq:
    for s in suppliers:
        rfqs.rfq_invite(actor=buyer, rfq=rfq, version=Rfq.objects.get(pk=rfq.pk).version, supplier=s.pk)
    rfq = Rfq.objects.get(pk=rfq.pk)
    return rfqs.rfq_publish(actor=buyer, rfq=rfq, version=rfq.version)


def _quote(buyer, rfq: Rfq, supplier, prices, leads, currency="CNY", days=30) -> None:
    lines = list(rfq.lines.order_by("position"))
    data = {
        "currency": currency,
        "payment_days": days,
        "valid_until": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        "lines": [
            {"rfq_line": ln.pk, "unit_price": p, "lead_days": d}
            for ln, p, d in zip(lines, prices, leads, strict=True)
            if p is not None
        ],
    }
    quotes.quote_submit(actor=buyer, rfq=rfq, supplier=supplier.pk, data=data)


def load_demo_sourcing() -> int:
    """Returns how many RFQs were made (0: already there, or no demo buyer, manager, suppliers or products)."""
    if Rfq.objects.exists():
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
        ).order_by("-supplier_status", "id")[:3]
    )
    products = {p.code: p for p in Product.objects.filter(can_buy=True, archived_at=None)}
    needed = ("AL-6061", "CU-WIRE", "BOX-A4")
    if buyer is None or manager is None or len(suppliers) < 3 or not all(c in products for c in needed):
        return 0
    a, b, c = suppliers
    needed_by = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    metal = rfqs.rfq_create(
        actor=buyer,
        data={
            "title": "铝型材和铜线 下半年 / Aluminium and copper wire, H2",
            "deadline": _deadline(5),
            "lines": [
                {"product": products["AL-6061"].pk, "quantity": "800", "needed_by": needed_by},
                {"product": products["CU-WIRE"].pk, "quantity": "5000", "needed_by": needed_by},
            ],
            "criteria": [
                {"kind": "price", "weight": 60},
                {"kind": "lead_time", "weight": 15},
                {"kind": "payment_terms", "weight": 10},
                {"kind": "quality", "weight": 15},
            ],
        },
    )
    metal = _invite_all(buyer, metal, [a, b, c])
    _quote(buyer, metal, a, ["24.20", "2.05"], [21, 10], days=60)
    _quote(buyer, metal, b, ["23.80", "2.15"], [28, 7], days=30)
    _quote(buyer, metal, c, ["3.30", None], [35, 0], currency="USD", days=45)
    metal = quotes.rfq_open(
        actor=manager,
        rfq=metal,
        version=Rfq.objects.get(pk=metal.pk).version,
        reason="客户加急订单，需提前定标 / Urgent customer order: award early",
    )
    table = comparison(metal)
    quality = next(cr for cr in table.criteria if cr.kind == "quality")
    scores = {
        str(col.quote.pk): {str(quality.pk): s} for col, s in zip(table.columns, (90, 75, 80), strict=False)
    }
    metal = quotes.quote_scores_set(actor=buyer, rfq=metal, version=metal.version, scores=scores)
    table = comparison(metal)
    by = {col.supplier.pk: col.quote.pk for col in table.columns}
    lines = [row.line.pk for row in table.rows]
    awards.rfq_award(
        actor=buyer,
        rfq=metal,
        version=metal.version,
        award={"lines": {str(lines[0]): by[a.pk], str(lines[1]): by[a.pk]}},
        reason="质量评分最高，账期60天 / Best quality score and 60-day terms",
    )
    cartons = rfqs.rfq_create(
        actor=buyer,
        data={
            "title": "瓦楞纸箱 下季度 / Corrugated cartons, next quarter",
            "deadline": _deadline(3),
            "lines": [{"product": products["BOX-A4"].pk, "quantity": "20000", "needed_by": needed_by}],
        },
    )
    cartons = _invite_all(buyer, cartons, [a, b, c])
    _quote(buyer, cartons, a, ["2.90"], [7])
    _quote(buyer, cartons, b, ["2.75"], [10], days=45)
    quotes.quote_decline(
        actor=buyer, rfq=cartons, supplier=c.pk, reason="产能已满 / No capacity this quarter"
    )
    return 2

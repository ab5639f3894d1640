"""Building RFQs for the sourcing tests: a published RFQ with two lines and three invited suppliers, quotes
entered, the deadline moved into the past (as if time had passed) so the RFQ may be opened."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from guanxi.procurement.models import Rfq
from guanxi.procurement.services import quotes, rfqs
from guanxi.procurement.tests.conftest import supplier


def later(hours: int = 48) -> str:
    return (timezone.localtime() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def draft(shop, actor=None, **extra) -> Rfq:
    data = {
        "title": "电阻和纸箱 2026 Q4",
        "deadline": later(),
        "lines": [
            {"product": shop.resistor.pk, "quantity": "10000"},
            {"product": shop.carton.pk, "quantity": "500"},
        ],
        **extra,
    }
    return rfqs.rfq_create(actor=actor or shop.buyer, data=data)


def published(shop, actor=None, suppliers=None, **extra) -> Rfq:
    actor = actor or shop.buyer
    rfq = draft(shop, actor, **extra)
    if suppliers is None:
        third = supplier(shop.admin, "上海第三电子有限公司", "approved")
        suppliers = [shop.huaqiang, shop.preferred, third]
    for s in suppliers:
        rfq = rfqs.rfq_invite(actor=actor, rfq=rfq, version=_v(rfq), supplier=s.pk)
        rfq = Rfq.objects.get(pk=rfq.rfq_id)
    return rfqs.rfq_publish(actor=actor, rfq=rfq, version=rfq.version)


def _v(rfq) -> int:
    return Rfq.objects.get(pk=rfq.pk).version


def quote(shop, rfq, party, prices, *, lead=(10, 10), currency="CNY", days=30, actor=None):
    lines = list(rfq.lines.order_by("position"))
    data = {
        "currency": currency,
        "payment_days": days,
        "lines": [
            {"rfq_line": ln.pk, "unit_price": p, "lead_days": d}
            for ln, p, d in zip(lines, prices, lead, strict=False)
            if p is not None
        ],
    }
    return quotes.quote_submit(actor=actor or shop.buyer, rfq=rfq, supplier=party.pk, data=data)


def past_deadline(rfq) -> Rfq:
    Rfq.objects.filter(pk=rfq.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    return Rfq.objects.get(pk=rfq.pk)


def opened(shop, rfq, actor=None) -> Rfq:
    rfq = past_deadline(rfq)
    return quotes.rfq_open(actor=actor or shop.buyer, rfq=rfq, version=rfq.version)

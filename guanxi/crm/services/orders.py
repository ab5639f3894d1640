"""Sales orders (销售订单): an accepted quote becomes one (numbered, lines copied with their amounts); the first
confirmed order makes a prospect an active customer (the customer lifecycle)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.crm.choices import QuoteState
from guanxi.crm.models import SalesOrder, SalesOrderLine
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.services.quotes import _lock, _set_state, require_changer
from guanxi.parties.choices import CustomerStatus
from guanxi.parties.services.holders import party_set_customer_status

LINE_FIELDS = [
    "position", "product_id", "description", "quantity", "unit_id", "unit_price", "discount_percent", "tax_rate_id",
    "tax_percent", "net", "tax", "gross",
]  # fmt: skip
HEADER_FIELDS = [
    "company_id", "customer_id", "contact_id", "opportunity_id", "owner_id", "team_id", "currency_id", "language",
    "notes", "net_total", "tax_total", "gross_total",
]  # fmt: skip


@transaction.atomic
def quote_accept(*, actor, quote, version: Any) -> SalesOrder:
    """The customer accepted a sent quote: it is accepted and a confirmed sales order is made from it."""
    require_changer(actor)
    sel.quote_get(actor=actor, pk=quote.pk, mode="edit")
    q = _lock(quote, version)
    if q.state != QuoteState.SENT:
        raise ValidationError({"state": _("Only a sent quote is accepted or rejected.")})
    _set_state(actor, q, QuoteState.ACCEPTED, decided_at=timezone.now())
    order = SalesOrder(
        **{f: getattr(q, f) for f in HEADER_FIELDS},
        quote=q,
        ordered_on=timezone.localdate(),
        created_by=actor,
        number=number_next(doc_type="crm.sales_order", company=q.company_id),
    )
    order.save()
    SalesOrderLine.objects.bulk_create(
        SalesOrderLine(order=order, **{f: getattr(line, f) for f in LINE_FIELDS}) for line in q.lines.all()
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=order,
        changes={
            "number": [None, order.number],
            "quote": [None, q.number],
            "gross_total": [None, str(order.gross_total)],
        },
        also=[q.customer, q],
    )
    if q.customer.customer_status in (
        CustomerStatus.PROSPECT,
        CustomerStatus.INACTIVE,
    ):  # an order wakes it up
        party_set_customer_status(
            actor=actor,
            party=q.customer,
            status=CustomerStatus.ACTIVE,
            reason=_("Confirmed order %(number)s") % {"number": order.number},
        )
    return order

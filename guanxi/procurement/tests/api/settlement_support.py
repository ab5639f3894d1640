"""What the API tests of supplier invoices, reconciliation statements and requisitions share: an order with the
supplier whose goods were received and accepted (set up through the services, as users would), the body of an
invoice as the API takes it, and an approval decided through /api/v1/approvals."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from guanxi.core.tests.api.helpers import ok
from guanxi.procurement.services.approval_rules import invoice_rule_ensure, requisition_rules_ensure
from guanxi.procurement.services.receipts import receipt_post
from guanxi.procurement.tests.services.receiving_support import sent_order

FAPIAO = "24442000000012345678"
VAT = Decimal("1.13")


def rules() -> None:
    """The shipped approval rules of releasing held invoices and of requisitions (made at `migrate`)."""
    invoice_rule_ensure()
    requisition_rules_ensure()


def received(shop, *, actor=None, supplier=None, resistors="850", rejected="50"):
    """1000 resistors at 2.00 and 200 cartons at 3.00 ordered and sent; 800 resistors accepted (50 rejected)
    and every carton: (order, resistor line, carton line)."""
    actor = actor or shop.buyer
    o = sent_order(shop, supplier=supplier, actor=actor)
    resistor, carton = o.lines.order_by("position")
    receipt_post(
        actor=actor,
        data={
            "lines": [
                {
                    "order_line": resistor.pk,
                    "received": resistors,
                    "rejected": rejected,
                    "reject_reason": "quality",
                },
                {"order_line": carton.pk, "received": "200"},
            ]
        },
    )
    return o, resistor, carton


def invoice_body(*rows: dict, fapiao: str = FAPIAO, **extra) -> dict:
    """An invoice of these lines ({"order_line", "quantity", "unit_price"?}); its stated total is what the lines
    come to with 13 % VAT (a line without a price at 2.00), unless given."""
    gross = sum(
        (Decimal(r["quantity"]) * Decimal(r.get("unit_price", "2")) * VAT for r in rows), Decimal(0)
    ).quantize(Decimal("0.01"))
    return {
        "fapiao_number": fapiao,
        "invoice_date": timezone.localdate().isoformat(),
        "stated_gross": str(gross),
        "lines": list(rows),
        **extra,
    }


def approval_of(api, document_type: str, document_id: int) -> dict:
    """The waiting request of this document in the caller's inbox (fails when it is not there)."""
    inbox = ok(api.get("/approvals/inbox"))["items"]
    return next(
        x for x in inbox if x["document_type"] == document_type and x["document_id"] == str(document_id)
    )


def in_inbox(api, document_type: str, document_id: int) -> bool:
    inbox = ok(api.get("/approvals/inbox"))["items"]
    return any(x["document_type"] == document_type and x["document_id"] == str(document_id) for x in inbox)

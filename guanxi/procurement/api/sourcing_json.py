"""The answers of /api/v1/rfqs as plain data (guanxi.procurement.api.sourcing_routes returns them): an RFQ
with its lines, criteria, invitations and quotes, and the comparison table. A quote's contents are read only
from an opened quote's own columns and lines; a sealed quote is read without its `sealed` column at all."""

from __future__ import annotations

from guanxi.procurement.choices import QuoteState
from guanxi.procurement.models import Rfq, SupplierQuote
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.selectors.comparison import Comparison

SUMMARY = ["id", "number", "title", "state", "round", "deadline", "version", "created_at"]
DETAIL = ["company_id", "notes", "published_at", "opened_at", "opened_early_reason", "awarded_at",
          "award_reason", "cancelled_at", "cancel_reason"]  # fmt: skip
RECEIVED = ["id", "round", "state", "received_at"]
OPENED = ["payment_days", "valid_until", "notes"]


def ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def _base(r: Rfq) -> dict:
    return {**{f: getattr(r, f) for f in SUMMARY}, "currency": r.currency_id, "owner": ref(r.owner)}


def summary_json(r: Rfq) -> dict:
    """A row of the list (read with its owner and the selector's counts)."""
    return {**_base(r), "invited": r.invited, "answered": r.answered}  # type: ignore[attr-defined]  # annotations


def received_json(q: SupplierQuote) -> dict:
    """Who quoted, in which round, when: all that is known of a quote until it is opened."""
    return {**{f: getattr(q, f) for f in RECEIVED}, "supplier": ref(q.supplier)}


def quote_json(q: SupplierQuote) -> dict:
    out = received_json(q)
    if q.state == QuoteState.OPENED:  # never a sealed (or replaced) one's: they have no contents in clear
        out.update({f: getattr(q, f) for f in OPENED})
        out["currency"] = q.currency_id
        out["lines"] = [
            {"rfq_line": x.rfq_line_id, "unit_price": x.unit_price, "lead_days": x.lead_days, "note": x.note}
            for x in q.lines.all()
        ]
    return out


def _quotes(r: Rfq) -> list[SupplierQuote]:
    return list(
        SupplierQuote.objects.filter(rfq=r)
        .defer("sealed")
        .select_related("supplier")
        .prefetch_related("lines")
        .order_by("round", "received_at", "id")
    )


def invitation_json(inv) -> dict:
    return {
        "id": inv.pk,
        "supplier": ref(inv.supplier),
        "override_reason": inv.override_reason,
        "invited_at": inv.created_at,
        "answered_at": inv.answered_at,
        "declined_at": inv.declined_at,
        "declined_round": inv.declined_round,
        "decline_reason": inv.decline_reason,
    }


def rfq_json(r: Rfq) -> dict:
    """One RFQ (read with its owner, team, currency and opener) with its lines, criteria, invitations, and
    every round's quotes (contents only once opened)."""
    lines = [
        {
            "id": x.pk,
            "position": x.position,
            "product_id": x.product_id,
            "description": x.description,
            "quantity": x.quantity,
            "unit_id": x.unit_id,
            "needed_by": x.needed_by,
            "awarded_quote_id": x.awarded.quote_id if x.awarded is not None else None,
            "purchase_order": (
                {"id": x.purchase_order.pk, "name": x.purchase_order.number} if x.purchase_order else None
            ),
        }
        for x in sel.rfq_lines(r)
    ]
    return {
        **_base(r),
        **{f: getattr(r, f) for f in DETAIL},
        "team": ref(r.team),
        "opened_by": ref(r.opened_by),
        "lines": lines,
        "criteria": [criterion_json(c) for c in sel.rfq_criteria(r)],
        "invitations": [invitation_json(row.invitation) for row in sel.invitations_of(r)],
        "quotes": [quote_json(q) for q in _quotes(r)],
    }


def criterion_json(c) -> dict:
    return {"id": c.pk, "kind": c.kind, "name": c.name, "weight": c.weight}


def comparison_json(r: Rfq, table: Comparison) -> dict:
    columns = [
        {
            "quote_id": c.quote.pk,
            "supplier": ref(c.supplier),
            "currency": c.quote.currency_id or r.currency_id,
            "rate": c.rate,
            "payment_days": c.quote.payment_days,
            "valid_until": c.quote.valid_until,
            "total": c.total,
            "quoted": c.quoted,
            "scores": [{"criterion_id": k, "score": v} for k, v in c.scores.items()],
            "weighted": c.weighted,
            "rank": c.rank,
        }
        for c in table.columns
    ]
    rows = [
        {
            "line_id": row.line.pk,
            "position": row.line.position,
            "description": row.line.description,
            "quantity": row.line.quantity,
            "unit_id": row.line.unit_id,
            "best_price": row.best_price,
            "awarded_quote_id": next(
                (c.quote_line.quote_id for c in row.cells if c and c.quote_line.pk == row.line.awarded_id),
                None,
            ),
            "cells": [
                {
                    "quote_id": cell.quote_line.quote_id,
                    "quote_line_id": cell.quote_line.pk,
                    "quoted_price": cell.quote_line.unit_price,
                    "unit_price": cell.unit_price,
                    "amount": cell.amount,
                    "lead_days": cell.quote_line.lead_days,
                    "note": cell.quote_line.note,
                    "best": cell.best,
                }
                if cell is not None
                else None
                for cell in row.cells
            ],
        }
        for row in table.rows
    ]
    cheapest = table.cheapest_complete()
    return {
        "id": r.pk,
        "number": r.number,
        "state": r.state,
        "version": r.version,
        "round": table.round,
        "rounds": r.round,
        "currency": r.currency_id,
        "rates_on": table.on,
        "cheapest_complete": cheapest.quote.pk if cheapest is not None else None,
        "criteria": [criterion_json(c) for c in table.criteria],
        "columns": columns,
        "rows": rows,
    }

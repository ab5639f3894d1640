"""/api/v1/reconciliation-statements: reconciliation statements (对账单) with a supplier for a period — the same
services and selectors as the pages (guanxi.procurement.services.statements, selectors.invoices). A statement
lists the period's goods accepted on receipts and returned (at the order price with tax) and the invoices
entered, with the difference; it is sent to the supplier, whose answer is recorded line by line (confirmed, or
disputed with a note). Every line confirmed confirms and locks it: a confirmed statement is never changed."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.pagination import keyset_page
from guanxi.procurement.api.schemas import Id
from guanxi.procurement.api.statement_schemas import (
    ReconciliationStatementAnswerIn,
    ReconciliationStatementIn,
    ReconciliationStatementOut,
    ReconciliationStatementPage,
    ReconciliationStatementStateCode,
    ReconciliationStatementVersionIn,
)
from guanxi.procurement.choices_receipts import SupplierAnswer
from guanxi.procurement.models import ReconciliationStatement
from guanxi.procurement.selectors import invoices as sel
from guanxi.procurement.services import statements as svc

router = Router(tags=["purchasing"])
SUMMARY = ["id", "number", "state", "period_start", "period_end", "received_total", "returned_total",
           "invoiced_total", "difference", "sent_at", "answered_at", "version", "created_at"]  # fmt: skip
LINE = ["id", "kind", "document_number", "order_number", "day", "description", "quantity", "amount", "answer",
        "answer_note"]  # fmt: skip


class ReconciliationStatementQuery(Schema):
    state: Literal["", ReconciliationStatementStateCode] = Field("", description='"" all, or a state')
    supplier: Id | None = None
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def _summary(s: ReconciliationStatement) -> dict:
    return {
        **{f: getattr(s, f) for f in SUMMARY},
        "supplier": _ref(s.supplier),
        "owner": _ref(s.owner),
        "currency": s.currency_id,
    }


def statement_json(s: ReconciliationStatement) -> dict:
    """One statement (read with its supplier, owner and team) with its lines and the supplier's answers."""
    return {
        **_summary(s),
        "company_id": s.company_id,
        "team": _ref(s.team),
        "locked": s.is_locked,
        "lines": [{f: getattr(x, f) for f in LINE} for x in sel.statement_lines(s)],
    }


def _one(s: ReconciliationStatement) -> dict:
    """The statement as a write left it (read again: the services update it with update())."""
    return statement_json(
        ReconciliationStatement.objects.select_related("supplier", "owner", "team").get(pk=s.pk)
    )


def _statement(request, id: int) -> ReconciliationStatement:
    return sel.statement_get(actor=request.user, pk=id)


@router.get("/reconciliation-statements", response={200: ReconciliationStatementPage, **responses(*STD)})
def reconciliation_statements_list(request, query: Query[ReconciliationStatementQuery]):
    """The statements the caller sees (scoped like purchase orders), latest period first."""
    filters = sel.StatementFilters(state=query.state, supplier=query.supplier)
    qs = sel.statement_list(actor=request.user, filters=filters)
    page = keyset_page(qs, ordering=sel.STATEMENT_ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [_summary(s) for s in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/reconciliation-statements", response={201: ReconciliationStatementOut, **responses(*STD, 409)})
def reconciliation_statements_create(request, payload: ReconciliationStatementIn):
    """Draw up a statement for a supplier, a period (default: last month) and a currency: the receipts, returns
    and invoices (not cancelled) of the caller's orders with the supplier, dated in the period. Refused when
    there is nothing in the period."""
    data = payload.dict()
    if data["period_start"] is None and data["period_end"] is None:
        data["period_start"], data["period_end"] = svc.statement_period_default()
    s = svc.statement_create(actor=request.user, data=data)
    return Status(201, _one(s))


@router.get("/reconciliation-statements/{id}", response={200: ReconciliationStatementOut, **responses(*STD)})
def reconciliation_statements_get(request, id: Id):
    return statement_json(_statement(request, id))


@router.post(
    "/reconciliation-statements/{id}/send",
    response={200: ReconciliationStatementOut, **responses(*STD, 409)},
)
def reconciliation_statements_send(request, id: Id, payload: ReconciliationStatementVersionIn):
    """Draft → sent to the supplier, whose answer is then recorded line by line."""
    s = svc.statement_send(actor=request.user, statement=_statement(request, id), version=payload.version)
    return _one(s)


@router.post(
    "/reconciliation-statements/{id}/answer",
    response={200: ReconciliationStatementOut, **responses(*STD, 409)},
)
def reconciliation_statements_answer(request, id: Id, payload: ReconciliationStatementAnswerIn):
    """Record the supplier's answers to a sent (or disputed) statement: per line confirmed, or disputed with a
    note. Every line confirmed: `confirmed`, locked; any line disputed: `disputed`. A confirmed statement is
    refused (422)."""
    s = _statement(request, id)
    answers: dict = {k: v.dict() for k, v in payload.answers.items()}
    if payload.confirm_all:
        for line in sel.statement_lines(s):
            answers.setdefault(str(line.pk), {"answer": SupplierAnswer.CONFIRMED.value})
    if not answers:
        raise ValidationError({"answers": _("Confirm or dispute at least one line.")})
    s = svc.statement_answer(actor=request.user, statement=s, version=payload.version, answers=answers)
    return _one(s)

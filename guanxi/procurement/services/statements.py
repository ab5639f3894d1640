"""Reconciliation statements (对账单): `statement_create` draws up, for a supplier, a period and a currency, the
receipts (accepted goods at the order price with tax), the returns and the invoices (not cancelled) with
dates in the period; `statement_send` sends it; `statement_answer` records the supplier's answer per line
(entered by the buyer until the portal exists): every line confirmed confirms and locks the statement, any
disputed line makes it disputed (answered again after the buyer sorts it out). A confirmed statement is
never changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_text, small_int
from guanxi.core.exceptions import ConflictError, NotFoundError
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import currency_check
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.crm.services.quote_totals import line_amounts
from guanxi.procurement.choices_receipts import (
    InvoiceState,
    StatementLineKind,
    StatementState,
    SupplierAnswer,
)
from guanxi.procurement.models import (
    ReceiptLine,
    ReconciliationStatement,
    StatementLine,
    SupplierInvoice,
    SupplierReturnLine,
)
from guanxi.procurement.selectors.orders import order_visible
from guanxi.procurement.services.invoices import require_enterer
from guanxi.suppliers.selectors.suppliers import supplier_scope

MAX_DAYS = 366


def _gross(line, quantity: Decimal, currency: str) -> Decimal:
    return line_amounts(
        quantity=quantity,
        unit_price=line.unit_price,
        discount_percent=Decimal(0),
        tax_percent=line.tax_percent,
        currency=currency,
    ).gross


def _build(statement: ReconciliationStatement, actor) -> list[StatementLine]:
    s = statement
    orders = order_visible(actor=actor).filter(supplier=s.supplier, currency=s.currency).values("pk")
    period = {"gte": s.period_start, "lte": s.period_end}
    out: list[StatementLine] = []
    receipts = ReceiptLine.objects.filter(
        order_line__order__in=orders,
        receipt__received_on__range=(period["gte"], period["lte"]),
        accepted_quantity__gt=0,
    ).select_related("receipt", "order_line__order")
    for r in receipts:
        ol = r.order_line
        out.append(
            StatementLine(
                statement=s,
                kind=StatementLineKind.RECEIPT,
                document_number=r.receipt.number,
                order_number=ol.order.number,
                day=r.receipt.received_on,
                description=ol.description,
                quantity=r.accepted_quantity,
                amount=_gross(ol, r.accepted_quantity, s.currency_id),
            )
        )
    returns = SupplierReturnLine.objects.filter(
        order_line__order__in=orders, supplier_return__returned_on__range=(period["gte"], period["lte"])
    ).select_related("supplier_return", "order_line__order")
    for back in returns:
        ol = back.order_line
        out.append(
            StatementLine(
                statement=s,
                kind=StatementLineKind.RETURN,
                document_number=back.supplier_return.number,
                order_number=ol.order.number,
                day=back.supplier_return.returned_on,
                description=ol.description,
                quantity=back.quantity,
                amount=-_gross(ol, back.quantity, s.currency_id),
            )
        )
    invoices = (
        SupplierInvoice.objects.filter(
            supplier=s.supplier,
            currency=s.currency,
            invoice_date__range=(period["gte"], period["lte"]),
            lines__order_line__order__in=orders,
        )
        .exclude(state=InvoiceState.CANCELLED)
        .distinct()
    )
    for inv in invoices:
        out.append(
            StatementLine(
                statement=s,
                kind=StatementLineKind.INVOICE,
                document_number=inv.number,
                day=inv.invoice_date,
                description=_("Fapiao %(number)s") % {"number": inv.fapiao_number},
                amount=-inv.gross_total,
            )
        )
    return out


@transaction.atomic
def statement_create(*, actor, data: dict) -> ReconciliationStatement:
    require_enterer(actor)
    errors: dict = {}
    supplier = supplier_scope(actor=actor).filter(pk=small_int(data.get("supplier")) or 0).first()
    if supplier is None:
        errors["supplier"] = _("Choose a supplier you can see.")
    start = clean_date(errors, "period_start", data.get("period_start"), required=True)
    end = clean_date(errors, "period_end", data.get("period_end"), required=True)
    if start and end and (end < start or (end - start).days > MAX_DAYS):
        errors["period_end"] = _("The period ends on or after it starts, within a year.")
    try:
        currency = currency_check(data.get("currency") or "CNY", field="currency")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert supplier is not None and start is not None and end is not None
    from guanxi.core.selectors.companies import company_default
    from guanxi.parties.services.common import default_team_id

    company = company_default()
    if company is None:
        raise ValidationError({"company": _("Set up our company first (Settings → Our companies).")})
    s = ReconciliationStatement.objects.create(
        number=number_next(doc_type="procurement.statement", company=company, on=end),
        company=company,
        supplier=supplier,
        owner=actor,
        team_id=default_team_id(actor),
        currency=currency,
        period_start=start,
        period_end=end,
        created_by=actor,
    )
    lines = _build(s, actor)
    if not lines:
        raise ValidationError({"period_end": _("Nothing was received, returned or invoiced in this period.")})
    StatementLine.objects.bulk_create(lines)
    s.received_total = sum((x.amount for x in lines if x.kind == StatementLineKind.RECEIPT), Decimal(0))
    s.returned_total = -sum((x.amount for x in lines if x.kind == StatementLineKind.RETURN), Decimal(0))
    s.invoiced_total = -sum((x.amount for x in lines if x.kind == StatementLineKind.INVOICE), Decimal(0))
    s.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=s,
        changes={
            "number": [None, s.number],
            "period_start": [None, start.isoformat()],
            "period_end": [None, end.isoformat()],
        },
        also=[supplier],
    )
    return s


def _lock(statement: ReconciliationStatement, version: Any) -> ReconciliationStatement:
    s = (
        ReconciliationStatement.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .filter(pk=statement.pk)
        .first()
    )
    if s is None:
        raise NotFoundError()
    if str(s.version) != str(version):
        raise ConflictError()
    if s.is_locked:
        raise ValidationError({"state": _("A confirmed statement is locked.")})
    return s


def _set(
    actor, s: ReconciliationStatement, state: str, changes: dict | None = None, **fields
) -> ReconciliationStatement:
    before = s.state
    ReconciliationStatement.objects.filter(pk=s.pk).update(state=state, version=F("version") + 1, **fields)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=s,
        changes={"state": [before, state], **(changes or {})},
        also=[s.supplier],
    )
    s.refresh_from_db()
    return s


@transaction.atomic
def statement_send(*, actor, statement: ReconciliationStatement, version: Any) -> ReconciliationStatement:
    require_enterer(actor)
    s = _lock(statement, version)
    if s.state != StatementState.DRAFT:
        raise ValidationError({"state": _("Only a draft is sent.")})
    return _set(actor, s, StatementState.SENT, sent_at=timezone.now())


@transaction.atomic
def statement_answer(
    *, actor, statement: ReconciliationStatement, version: Any, answers: dict
) -> ReconciliationStatement:
    """answers: {line id: {"answer": "confirmed" | "disputed", "note": "…"}} — a disputed line needs a note.
    Every line answered confirmed: confirmed and locked; any disputed: disputed."""
    require_enterer(actor)
    s = _lock(statement, version)
    if s.state not in (StatementState.SENT, StatementState.DISPUTED):
        raise ValidationError({"state": _("Send the statement to the supplier first.")})
    lines = {x.pk: x for x in s.lines.all()}
    errors: dict = {}
    changed = []
    for key, value in (answers or {}).items():
        line = lines.get(small_int(key) or 0)
        value = value if isinstance(value, dict) else {"answer": value}
        if line is None:
            errors[f"answers.{key}"] = _("This line is not on the statement.")
            continue
        answer = value.get("answer") or ""
        note = clean_text(errors, f"answers.{key}.note", value.get("note"), max_length=500)
        if answer not in SupplierAnswer.values:
            errors[f"answers.{key}.answer"] = _("Confirm or dispute the line.")
        elif answer == SupplierAnswer.DISPUTED and not note:
            errors[f"answers.{key}.note"] = _("Say what the supplier disputes.")
        else:
            line.answer, line.answer_note = answer, note
            changed.append(line)
    if errors:
        raise ValidationError(errors)
    StatementLine.objects.bulk_update(changed, ["answer", "answer_note"])
    answered = [x.answer for x in lines.values()]
    state: str
    if any(a == SupplierAnswer.DISPUTED for a in answered):
        state = StatementState.DISPUTED
    elif all(a == SupplierAnswer.CONFIRMED for a in answered):
        state = StatementState.CONFIRMED
    else:
        state = s.state
    counts = {"confirmed": answered.count("confirmed"), "disputed": answered.count("disputed")}
    return _set(actor, s, state, {"answers": [None, counts]}, answered_at=timezone.now())


def statement_period_default(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Last calendar month: what a statement usually covers."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end

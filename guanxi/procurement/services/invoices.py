"""Supplier invoices and the three-way match (三单匹配).

`invoice_enter` takes the fapiao as the supplier issued it — number, date, currency, the total it states — and
its lines against purchase order lines. It refuses what cannot be right: lines of another supplier or of an
order in another currency, more than was accepted and not yet invoiced (beyond the quantity tolerance), a
fapiao entered before. Then it matches each line against the order and the receipts: a price above the
order's beyond the tolerance (within both the percent and the amount per line), or another tax rate, makes the
line an exception; a stated total that differs from the lines makes the invoice one. A matched invoice is
ready for payment; one with exceptions is held until `invoice_release` gets an approval (never from whoever
entered it). Cancelling frees the quantities and the fapiao number."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_number, clean_text, small_int
from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_amount, currency_check
from guanxi.core.money.amounts import AMOUNT_LIMIT
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_assign, number_placeholder
from guanxi.crm.services.quote_totals import line_amounts
from guanxi.procurement.choices import OrderState
from guanxi.procurement.choices_receipts import InvoiceState, MatchProblem
from guanxi.procurement.models import (
    PurchaseOrder,
    PurchasingSettings,
    SupplierInvoice,
    SupplierInvoiceLine,
)
from guanxi.procurement.permissions import Action
from guanxi.procurement.services import receiving as rc

DOC = "procurement.supplierinvoice"
INVOICEABLE = (
    OrderState.SENT,
    OrderState.CONFIRMED,
    OrderState.PARTIAL,
    OrderState.RECEIVED,
    OrderState.CLOSED,
)
HUNDRED = Decimal(100)
MAX_LINES = 500


def require_enterer(actor) -> None:
    if not grants_for(actor).can(Action.INVOICE_ENTER):
        raise PermissionDeniedError()


def _fapiao(errors: dict, data: dict) -> tuple[str, str]:
    # NFKC: full-width digits typed with a Chinese input method are the same fapiao as half-width ones.
    number = "".join(unicodedata.normalize("NFKC", str(data.get("fapiao_number") or "")).split())
    code = "".join(unicodedata.normalize("NFKC", str(data.get("fapiao_code") or "")).split())
    if not number.isdigit() or not 8 <= len(number) <= 20:
        errors["fapiao_number"] = _("Enter the fapiao number: 8 to 20 digits.")
    if code and (not code.isdigit() or len(code) not in (10, 12)):
        errors["fapiao_code"] = _("A fapiao code has 10 or 12 digits (leave it empty on a digital fapiao).")
    return number, code


def price_problem(
    *, order_price: Decimal, price: Decimal, quantity: Decimal, rules: PurchasingSettings
) -> bool:
    """Whether a price above the order's is beyond the tolerance (cheaper is never a problem). Tolerated only
    when the difference is within both the percent of the order price and the amount for the whole line."""
    diff = price - order_price
    if diff <= 0:
        return False
    within_percent = order_price > 0 and diff * HUNDRED / order_price <= rules.price_tolerance_percent
    within_amount = diff * quantity <= rules.price_tolerance_amount
    return not (within_percent and within_amount)


def _fapiao_taken_message() -> str:
    return _("This fapiao of the supplier was entered already.")


def fapiao_taken(supplier_id: int, number: str, code: str) -> bool:
    """Whether the supplier's fapiao is on an invoice that is not cancelled (the unique index also says so)."""
    return (
        SupplierInvoice.objects.filter(supplier_id=supplier_id, fapiao_number=number, fapiao_code=code)
        .exclude(state=InvoiceState.CANCELLED)
        .exists()
    )


@transaction.atomic
def invoice_enter(*, actor, data: dict) -> SupplierInvoice:
    require_enterer(actor)
    raw = data.get("lines") or []
    if not isinstance(raw, list) or not raw:
        raise ValidationError({"lines": _("Add at least one line.")})
    if len(raw) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": MAX_LINES}})
    rules = PurchasingSettings.current()
    errors: dict = {}
    number, code = _fapiao(errors, data)
    day = clean_date(errors, "invoice_date", data.get("invoice_date"), required=True)
    due = clean_date(errors, "due_date", data.get("due_date"))
    note = clean_text(errors, "note", data.get("note"), max_length=500)
    try:
        currency = currency_check(data.get("currency") or "CNY", field="currency")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        currency = None
    try:
        stated = clean_amount(data.get("stated_gross"), currency=currency, field="stated_gross")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        stated = None
    lines = rc.locked_lines(actor, [small_int(r.get("order_line")) for r in raw], states=INVOICEABLE)
    rows = []
    taking: dict[int, Decimal] = {}
    total = Decimal(0)
    for i, r in enumerate(raw):
        key = f"lines[{i}]"
        line = rc.line_ref(errors, f"{key}.order_line", r.get("order_line"), lines)
        qty = rc.quantity(errors, f"{key}.quantity", r.get("quantity"), positive=True)
        price_raw = r.get("unit_price")
        price = clean_number(
            errors,
            f"{key}.unit_price",
            price_raw if price_raw not in (None, "") else (line.unit_price if line else 0),
            places=6,
            low=Decimal(0),
            high=Decimal(10**12),
        )
        tax_raw = r.get("tax_percent")
        tax = clean_number(
            errors,
            f"{key}.tax_percent",
            tax_raw if tax_raw not in (None, "") else (line.tax_percent if line else 0),
            places=4,
            low=Decimal(0),
            high=Decimal(100),
        )
        if line is None or qty is None or price is None or tax is None or currency is None:
            continue
        if line.order.currency_id != currency.pk:
            errors[f"{key}.order_line"] = _(
                "Order %(number)s is in %(currency)s: enter its invoice in that currency."
            ) % {"number": line.order.number, "currency": line.order.currency_id}
            continue
        big = line_amounts(
            quantity=qty, unit_price=price, discount_percent=Decimal(0), tax_percent=tax, currency=currency.pk
        )
        if big.gross >= AMOUNT_LIMIT:  # the line's columns hold less (a database error otherwise)
            errors[f"{key}.unit_price"] = _("This line's amount is too large.")
            continue
        total += big.gross
        taking[line.pk] = taking.get(line.pk, Decimal(0)) + qty
        most = line.to_invoice + line.quantity * rules.quantity_tolerance_percent / HUNDRED
        if taking[line.pk] > most:
            errors[f"{key}.quantity"] = _("Only %(n)s were accepted on receipts and not yet invoiced.") % {
                "n": f"{line.to_invoice.normalize():f}"
            }
            continue
        rows.append((line, qty, price, tax, big))
    if not errors and total >= AMOUNT_LIMIT:
        errors["lines"] = _("The invoice's total is too large.")
    if errors:
        raise ValidationError(errors)
    rc.one_supplier([row[0] for row in rows])
    first = rows[0][0].order
    if fapiao_taken(first.supplier_id, number, code):
        raise ValidationError({"fapiao_number": _fapiao_taken_message()})
    assert currency is not None and stated is not None and day is not None
    try:
        with transaction.atomic():  # two clerks entering the same fapiao at once: the unique index decides
            invoice = SupplierInvoice.objects.create(
                number=number_placeholder(),  # the real one last: the counter's lock is held until the commit
                company_id=first.company_id,
                supplier_id=first.supplier_id,
                owner_id=first.owner_id,
                team_id=first.team_id,
                fapiao_number=number,
                fapiao_code=code,
                invoice_date=day,
                due_date=due,
                currency=currency,
                stated_gross=stated,
                state=InvoiceState.MATCHED,
                note=note,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError({"fapiao_number": _fapiao_taken_message()}) from exc
    any_problem = False
    net = tax_sum = Decimal(0)
    made = []
    for line, qty, price, tax, amounts in rows:
        problems = []
        if price_problem(order_price=line.unit_price, price=price, quantity=qty, rules=rules):
            problems.append(MatchProblem.PRICE.value)
        if tax != line.tax_percent:
            problems.append(MatchProblem.TAX.value)
        any_problem = any_problem or bool(problems)
        made.append(
            SupplierInvoiceLine(
                invoice=invoice,
                order_line=line,
                quantity=qty,
                unit_price=price,
                tax_percent=tax,
                net=amounts.net,
                tax=amounts.tax,
                gross=amounts.gross,
                order_price=line.unit_price,
                price_difference=(price - line.unit_price) * qty,
                problems=problems,
            )
        )
        net, tax_sum = net + amounts.net, tax_sum + amounts.tax
    SupplierInvoiceLine.objects.bulk_create(made)
    rc.add_sums(invoice.lines.all(), link="order_line", fields={"invoiced_quantity": "quantity"})
    invoice.net_total, invoice.tax_total, invoice.gross_total = net, tax_sum, net + tax_sum
    if abs(stated - invoice.gross_total) > rules.price_tolerance_amount:
        invoice.problems = [MatchProblem.TOTAL.value]
        any_problem = True
    invoice.state = InvoiceState.EXCEPTION if any_problem else InvoiceState.MATCHED
    invoice.save()
    number_assign(invoice, doc_type="procurement.supplier_invoice", company=first.company_id, on=day)
    _audit(
        actor,
        AuditAction.CREATE,
        invoice,
        {"number": [None, invoice.number], "fapiao_number": [None, number], "state": [None, invoice.state]},
        orders={row[0].order for row in rows},
    )
    return invoice


def _audit(actor, action: str, invoice: SupplierInvoice, changes: dict, orders=None) -> None:
    """One audit entry, shown in the histories of the supplier and of the orders the invoice bills."""
    if orders is None:
        orders = PurchaseOrder.objects.filter(lines__invoice_lines__invoice=invoice).distinct()
    audit_record(
        actor=actor, action=action, target=invoice, changes=changes, also=[invoice.supplier, *orders]
    )


def _lock(invoice: SupplierInvoice, version: Any) -> SupplierInvoice:
    current = (
        SupplierInvoice.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .filter(pk=invoice.pk)
        .first()
    )
    if current is None:
        raise NotFoundError()
    if str(current.version) != str(version):
        raise ConflictError()
    return current


@transaction.atomic
def invoice_release(*, actor, invoice: SupplierInvoice, version: Any) -> SupplierInvoice:
    """Ask to release a held invoice for payment despite its exceptions (the approvals block decides)."""
    from guanxi.core.services.approvals import approval_submit

    require_enterer(actor)
    inv = _lock(invoice, version)
    if inv.state != InvoiceState.EXCEPTION:
        raise ValidationError({"state": _("Only an invoice held for exceptions is released.")})
    request = approval_submit(actor=actor, obj=inv)
    inv.refresh_from_db()
    if request.status == "pending":
        SupplierInvoice.objects.filter(pk=inv.pk).update(state=InvoiceState.PENDING, version=F("version") + 1)
        _audit(actor, AuditAction.UPDATE, inv, {"state": [InvoiceState.EXCEPTION, InvoiceState.PENDING]})
        inv.refresh_from_db()
    return inv


def invoice_decided(invoice: SupplierInvoice, state: str) -> None:
    """An approval decision: released for payment, or held again."""
    SupplierInvoice.objects.filter(
        pk=invoice.pk, state__in=[InvoiceState.PENDING, InvoiceState.EXCEPTION]
    ).update(state=state, version=F("version") + 1)


@transaction.atomic
def invoice_cancel(*, actor, invoice: SupplierInvoice, version: Any, reason: str = "") -> SupplierInvoice:
    """A wrongly entered invoice is cancelled (not one released for payment): its quantities may be invoiced
    again and its fapiao number entered again."""
    require_enterer(actor)
    inv = _lock(invoice, version)
    if inv.state in (InvoiceState.RELEASED, InvoiceState.CANCELLED):
        raise ValidationError({"state": _("A released or cancelled invoice stays as it is.")})
    errors: dict = {}
    reason = clean_text(errors, "reason", reason, max_length=500, required=True)
    if errors:
        raise ValidationError(errors)
    if inv.state == InvoiceState.PENDING:
        from guanxi.core.services.approvals import approval_end_for

        approval_end_for(actor=actor, obj=inv, reason="invoice cancelled")
    rc.locked_lines(actor, inv.lines.values_list("order_line_id", flat=True), states=INVOICEABLE)
    rc.add_sums(inv.lines.all(), link="order_line", fields={"invoiced_quantity": "quantity"}, subtract=True)
    before = inv.state
    SupplierInvoice.objects.filter(pk=inv.pk).update(
        state=InvoiceState.CANCELLED, note=reason, version=F("version") + 1
    )
    _audit(
        actor, AuditAction.UPDATE, inv, {"state": [before, InvoiceState.CANCELLED], "reason": [None, reason]}
    )
    inv.refresh_from_db()
    return inv

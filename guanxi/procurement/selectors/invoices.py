"""Reads of supplier invoices (供应商发票) and reconciliation statements (对账单), scoped like purchase orders
(the buyer and team they carry): the lists with their filters, one document with its lines, the order lines
that still have something to invoice (accepted − returned − invoiced) for the invoice form, and the suppliers
the forms and filters offer."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError
from guanxi.core.roles import grants_for
from guanxi.parties.models import Party
from guanxi.procurement.choices import OrderState
from guanxi.procurement.choices_receipts import InvoiceState, StatementState
from guanxi.procurement.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    ReconciliationStatement,
    StatementLine,
    SupplierInvoice,
    SupplierInvoiceLine,
)
from guanxi.procurement.permissions import Action
from guanxi.procurement.selectors.orders import order_visible, require_reader
from guanxi.procurement.selectors.receiving import receiving_visible

INVOICE_ORDERING = ["-invoice_date", "-id"]
STATEMENT_ORDERING = ["-period_end", "-id"]
MAX_CHOICES = 500
MAX_FORM_LINES = 200
# Orders an invoice may bill (as guanxi.procurement.services.invoices.INVOICEABLE: the service decides).
INVOICEABLE = (
    OrderState.SENT,
    OrderState.CONFIRMED,
    OrderState.PARTIAL,
    OrderState.RECEIVED,
    OrderState.CLOSED,
)


def may_enter(actor) -> bool:
    """Whether the user may enter invoices and draw up, send and answer statements."""
    return grants_for(actor).can(Action.INVOICE_ENTER)


def _pk(value) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < n < 2**63:
        raise NotFoundError()
    return n


# --- Supplier invoices ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceFilters:
    state: str = ""
    supplier: int | None = None
    q: str = ""  # our number or the fapiao number


def invoice_list(*, actor, filters: InvoiceFilters) -> QuerySet[SupplierInvoice]:
    require_reader(actor)
    qs = receiving_visible(SupplierInvoice, actor=actor)
    f = filters
    if f.state in InvoiceState.values:
        qs = qs.filter(state=f.state)
    elif f.state:
        raise ValidationError({"state": _("Choose a state from the list.")})
    if f.supplier:
        qs = qs.filter(supplier_id=f.supplier)
    if f.q:
        digits = "".join(f.q.split())
        qs = qs.filter(Q(number__icontains=f.q) | Q(fapiao_number__icontains=digits))
    return qs.select_related("supplier", "owner").order_by(*INVOICE_ORDERING)


def invoice_get(*, actor, pk) -> SupplierInvoice:
    """One invoice the user reaches (NotFoundError otherwise: existence does not leak)."""
    require_reader(actor)
    row = (
        receiving_visible(SupplierInvoice, actor=actor)
        .select_related("supplier", "owner", "team", "company", "created_by")
        .filter(pk=_pk(pk))
        .first()
    )
    if row is None:
        raise NotFoundError()
    return row


def invoice_lines(invoice: SupplierInvoice) -> list[SupplierInvoiceLine]:
    return list(
        invoice.lines.select_related("order_line__order", "order_line__unit", "order_line__product").order_by(
            "id"
        )
    )


def invoice_suppliers(*, actor) -> QuerySet[Party]:
    """The suppliers of the invoices the user sees (the list's supplier filter)."""
    ids = receiving_visible(SupplierInvoice, actor=actor).values("supplier_id")
    return Party.objects.filter(pk__in=ids).only("id", "name").order_by("name")[:MAX_CHOICES]


def _invoiceable(actor) -> QuerySet[PurchaseOrderLine]:
    orders = order_visible(actor=actor).filter(state__in=INVOICEABLE).values("pk")
    return PurchaseOrderLine.objects.filter(order__in=orders)


def _open_to_invoice(qs: QuerySet[PurchaseOrderLine]) -> QuerySet[PurchaseOrderLine]:
    return qs.filter(accepted_quantity__gt=F("returned_quantity") + F("invoiced_quantity"))


def invoice_form_lines(
    *, actor, order: int | None = None, supplier: int | None = None, include=()
) -> list[PurchaseOrderLine]:
    """The lines the invoice form offers: of one order, or of all the supplier's orders, that the user sees
    and that still have something to invoice — and those in `include` (posted ids: shown again with the
    service's answer even when someone invoiced them meanwhile). By order, then position."""
    if not order and not supplier:
        return []
    qs = _invoiceable(actor)
    qs = qs.filter(order_id=order) if order else qs.filter(order__supplier_id=supplier)
    wanted = [i for i in include if i]
    qs = qs.filter(
        Q(accepted_quantity__gt=F("returned_quantity") + F("invoiced_quantity")) | Q(pk__in=wanted)
    )
    return list(
        qs.select_related("order", "order__supplier", "unit", "product").order_by(
            "order__ordered_on", "order_id", "position", "id"
        )[:MAX_FORM_LINES]
    )


def invoiceable_suppliers(*, actor) -> QuerySet[Party]:
    """The suppliers with order lines the user sees that have something to invoice (where the form starts)."""
    ids = _open_to_invoice(_invoiceable(actor)).values("order__supplier_id")
    return Party.objects.filter(pk__in=ids).only("id", "name").order_by("name")[:MAX_CHOICES]


def order_for_invoice(*, actor, pk) -> PurchaseOrder | None:
    """The order an invoice starts from (?order=), if the user sees it."""
    try:
        n = _pk(pk)
    except NotFoundError:
        return None
    return order_visible(actor=actor).select_related("supplier", "currency").filter(pk=n).first()


def supplier_for_invoice(*, actor, pk) -> Party | None:
    """The supplier an invoice or statement starts from (?supplier=), if it has orders the user sees."""
    try:
        n = _pk(pk)
    except NotFoundError:
        return None
    if not order_visible(actor=actor).filter(supplier_id=n).exists():
        return None
    return Party.objects.filter(pk=n).only("id", "name").first()


def order_has_to_invoice(*, actor, order: PurchaseOrder) -> bool:
    """Whether something accepted on the order is not invoiced yet (the order page's "Enter invoice")."""
    if order.state not in INVOICEABLE or not may_enter(actor):
        return False
    return _open_to_invoice(PurchaseOrderLine.objects.filter(order_id=order.pk)).exists()


# --- Reconciliation statements --------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementFilters:
    state: str = ""
    supplier: int | None = None


def statement_list(*, actor, filters: StatementFilters) -> QuerySet[ReconciliationStatement]:
    require_reader(actor)
    qs = receiving_visible(ReconciliationStatement, actor=actor)
    f = filters
    if f.state in StatementState.values:
        qs = qs.filter(state=f.state)
    elif f.state:
        raise ValidationError({"state": _("Choose a state from the list.")})
    if f.supplier:
        qs = qs.filter(supplier_id=f.supplier)
    return qs.select_related("supplier", "owner").order_by(*STATEMENT_ORDERING)


def statement_get(*, actor, pk) -> ReconciliationStatement:
    require_reader(actor)
    row = (
        receiving_visible(ReconciliationStatement, actor=actor)
        .select_related("supplier", "owner", "team", "company")
        .filter(pk=_pk(pk))
        .first()
    )
    if row is None:
        raise NotFoundError()
    return row


def statement_lines(statement: ReconciliationStatement) -> list[StatementLine]:
    return list(statement.lines.all())


def statement_suppliers(*, actor) -> QuerySet[Party]:
    """The suppliers of the statements the user sees (the list's supplier filter)."""
    ids = receiving_visible(ReconciliationStatement, actor=actor).values("supplier_id")
    return Party.objects.filter(pk__in=ids).only("id", "name").order_by("name")[:MAX_CHOICES]


def statement_new_suppliers(*, actor) -> QuerySet[Party]:
    """The suppliers a statement may be drawn up for: those of the orders the user sees."""
    ids = order_visible(actor=actor).values("supplier_id")
    return Party.objects.filter(pk__in=ids).only("id", "name").order_by("name")[:MAX_CHOICES]

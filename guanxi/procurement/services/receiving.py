"""What receiving shares: the order lines a user may receive against, locked in id order (two clerks posting
against the same line wait for each other and never over-receive), the quantity still open on a line, the
over-delivery tolerance, and what a line's receipts mean for its order's state."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_number, small_int
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.procurement.choices import OrderState
from guanxi.procurement.models import PurchaseOrder, PurchaseOrderLine, PurchasingSettings
from guanxi.procurement.permissions import Action
from guanxi.procurement.selectors.orders import order_visible

RECEIVABLE = (OrderState.SENT, OrderState.CONFIRMED, OrderState.PARTIAL)
HUNDRED = Decimal(100)
MAX = Decimal(10**9)


def require_receiver(actor) -> None:
    if not grants_for(actor).can(Action.RECEIPT_POST):
        raise PermissionDeniedError()


def locked_lines(actor, ids, *, states=RECEIVABLE) -> dict[int, PurchaseOrderLine]:
    """The order lines with these ids that the user reaches, on orders in `states`, locked: their orders first,
    then the lines, each in id order (as the order services lock an order before its lines: no deadlock)."""
    ids = [i for i in ids if i]
    visible = order_visible(actor=actor).filter(state__in=states).values("pk")
    orders = {
        o.pk: o
        for o in PurchaseOrder.objects.select_for_update(of=("self",))
        .filter(pk__in=PurchaseOrderLine.objects.filter(pk__in=ids).values("order_id"))
        .select_related("supplier")
        .order_by("pk")
    }
    rows = (
        PurchaseOrderLine.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, order__in=visible)
        .select_related("unit")
        .order_by("pk")
    )
    out = {}
    for line in rows:
        line.order = orders[line.order_id]  # one object per order (not a copy joined to each of its lines)
        out[line.pk] = line
    return out


def add_sums(source: QuerySet, *, link: str, fields: dict[str, str], subtract: bool = False) -> None:
    """Add to (or take from) each row that the rows of `source` point to by `link` the sums of their `fields`
    ({target field: source field}), in one UPDATE: a receipt's quantities onto its order lines, an invoice's
    onto the lines it bills. The target rows must be locked (`locked_lines`)."""
    target = source.model._meta.get_field(link).related_model
    mine = source.filter(**{link: OuterRef("pk")}).order_by().values(link)
    changes = {}
    for to, frm in fields.items():
        total = Subquery(mine.annotate(s=Sum(frm)).values("s"))
        changes[to] = F(to) - total if subtract else F(to) + total
    target._default_manager.filter(pk__in=source.values(link)).update(**changes)


def limit(line: PurchaseOrderLine, rules: PurchasingSettings) -> Decimal:
    """The most that may still be taken in on a line: the open quantity and the over-delivery tolerance."""
    return line.open_quantity + line.quantity * rules.over_delivery_percent / HUNDRED


def quantity(errors: dict, key: str, value, *, positive: bool = False) -> Decimal | None:
    return clean_number(
        errors,
        key,
        value if value not in (None, "") else 0,
        places=3,
        low=Decimal(0),
        high=MAX,
        positive=positive,
    )


def line_ref(errors: dict, key: str, value, lines: dict) -> PurchaseOrderLine | None:
    line = lines.get(small_int(value) or 0)
    if line is None:
        errors[key] = _("Choose a line of an order with the supplier that you may receive.")
    return line


def one_supplier(lines) -> None:
    if len({line.order.supplier_id for line in lines}) > 1:
        raise ValidationError({"lines": _("All lines must come from orders with the same supplier.")})


def refresh_orders(order_ids) -> None:
    """Each order's state after its lines changed: received when nothing is open, partially received when
    something arrived, else as it was (sent or confirmed)."""
    for order in PurchaseOrder.objects.select_for_update().filter(pk__in=order_ids).order_by("pk"):
        lines = list(order.lines.all())
        if all(line.open_quantity <= 0 for line in lines):
            state = OrderState.RECEIVED
        elif any(line.received_quantity > 0 for line in lines):
            state = OrderState.PARTIAL
        else:
            continue
        if state != order.state and order.state in (*RECEIVABLE, OrderState.RECEIVED):
            PurchaseOrder.objects.filter(pk=order.pk).update(state=state, version=order.version + 1)

"""A sales order after it is confirmed: delivery dates per line, deliveries (发货) that move it to partially
delivered and delivered, closing and cancelling. Each is one transaction on the locked order row, checked
against the version the user saw, with its audit entry on the order and the customer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import ConflictError
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.crm.choices import FapiaoState, OrderState
from guanxi.crm.models import OrderDelivery, OrderDeliveryLine, SalesOrder
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.services.cleaning import _date
from guanxi.crm.services.quotes import require_changer

OPEN = (OrderState.CONFIRMED, OrderState.PARTIAL)  # still to be delivered
MAX_LINES = 200


def _lock(actor, order: SalesOrder, version: Any) -> SalesOrder:
    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("Reload the order and try again.")}) from exc
    current = SalesOrder.objects.select_for_update().select_related("customer").get(pk=order.pk)
    if current.version != seen:
        raise ConflictError()
    return current


def _audit(actor, order: SalesOrder, changes: dict) -> None:
    audit_record(actor=actor, action=AuditAction.UPDATE, target=order, changes=changes, also=[order.customer])


def _state(actor, order: SalesOrder, state: str, changes: dict, **fields) -> SalesOrder:
    before = order.state
    order.state = state
    for k, v in fields.items():
        setattr(order, k, v)
    order.version += 1
    order.save()
    if before != state:
        changes = {"state": [str(OrderState(before).label), str(OrderState(state).label)], **changes}
    _audit(actor, order, changes)
    return order


def _lines_of(order: SalesOrder, keys) -> dict:
    return {
        str(line.pk): line
        for line in order.lines.select_for_update().filter(pk__in=[k for k in keys if str(k).isdigit()])
    }


@transaction.atomic
def order_set_delivery_dates(*, actor, order: SalesOrder, version: Any, dates: dict) -> SalesOrder:
    """The promised delivery date of each line ({line id: date or empty}), while the order is open."""
    order = _lock(actor, order, version)
    if order.state not in OPEN:
        raise ValidationError(
            {"state": _("Delivery dates change only while the order is still to be delivered.")}
        )
    lines = _lines_of(order, dates)
    errors: dict = {}
    changes: dict = {}
    for key, value in list(dates.items())[:MAX_LINES]:
        line = lines.get(str(key))
        if line is None:
            errors[f"lines.{key}"] = _("This line is not on the order.")
            continue
        day = _date(errors, f"lines.{key}", value) if value not in (None, "") else None
        if day is not None and day < order.ordered_on:
            errors[f"lines.{key}"] = _("A delivery date cannot be before the order date.")
        elif f"lines.{key}" not in errors and day != line.delivery_date:
            changes[f"delivery_date #{line.position}"] = [str(line.delivery_date or ""), str(day or "")]
            line.delivery_date = day
    if errors:
        raise ValidationError(errors)
    for line in lines.values():
        line.save(update_fields=["delivery_date"])
    if changes:
        order.version += 1
        order.save(update_fields=["version", "updated_at"])
        _audit(actor, order, changes)
    return order


def _quantity(errors: dict, field: str, value, most: Decimal, line_no) -> Decimal | None:
    try:
        qty = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not qty.is_finite() or qty <= 0:
        errors[field] = _("Enter a quantity above 0.")
    elif qty.as_tuple().exponent < -3:  # type: ignore[operator]
        errors[field] = _("At most 3 decimal places.")
    elif qty > most:
        errors[field] = _("Line %(line)s: at most %(n)s is still to be delivered.") % {
            "line": line_no,
            "n": f"{most.normalize():f}",
        }
    else:
        return qty
    return None


@transaction.atomic
def order_deliver(
    *, actor, order: SalesOrder, version: Any, quantities: dict, delivered_on: Any = None, note: str = ""
) -> OrderDelivery:
    """Record a delivery: the quantity of each line it carried ({line id: quantity}; empty or 0 lines are left
    out), at most what is still to be delivered. The order becomes partially delivered, or delivered when
    nothing is left."""
    order = _lock(actor, order, version)
    if order.state not in OPEN:
        raise ValidationError({"state": _("Only an order still to be delivered takes a delivery.")})
    errors: dict = {}
    day = _date(errors, "delivered_on", delivered_on or timezone.localdate())
    if day is not None and day < order.ordered_on:
        errors["delivered_on"] = _("A delivery cannot be before the order date.")
    elif day is not None and day > timezone.localdate() + dt.timedelta(days=1):
        errors["delivered_on"] = _("A delivery is recorded once it has happened: not in the future.")
    note = clean_text(errors, "note", note or "", max_length=200)
    wanted = {
        str(k): v for k, v in list(quantities.items())[:MAX_LINES] if str(v or "").strip() not in ("", "0")
    }
    lines = _lines_of(order, wanted)
    carried = []
    for key, value in wanted.items():
        line = lines.get(key)
        if line is None:
            errors[f"lines.{key}"] = _("This line is not on the order.")
            continue
        qty = _quantity(errors, f"lines.{key}", value, line.to_deliver, line.position)
        if qty is not None:
            carried.append((line, qty))
    if not carried and not errors:
        errors["lines"] = _("Enter the quantity delivered of at least one line.")
    if errors or day is None:
        raise ValidationError(errors)
    delivery = OrderDelivery.objects.create(order=order, delivered_on=day, note=note, created_by=actor)
    OrderDeliveryLine.objects.bulk_create(
        OrderDeliveryLine(delivery=delivery, line=ln, quantity=q) for ln, q in carried
    )
    for line, qty in carried:
        type(line).objects.filter(pk=line.pk).update(delivered_quantity=F("delivered_quantity") + qty)
    left = any(ln.quantity > ln.delivered_quantity for ln in order.lines.all())
    changes = {
        "delivery": [None, f"{day} " + ", ".join(f"#{ln.position} × {q.normalize():f}" for ln, q in carried)]
    }
    _state(actor, order, OrderState.PARTIAL if left else OrderState.DELIVERED, changes)
    return delivery


@transaction.atomic
def order_close(*, actor, order: SalesOrder, version: Any, reason: str = "") -> SalesOrder:
    """Close a delivered order; an order not fully delivered closes only with a reason (the rest will not be
    delivered)."""
    order = _lock(actor, order, version)
    errors: dict = {}
    reason = clean_text(errors, "reason", reason or "", max_length=500)
    if order.state in (OrderState.CLOSED, OrderState.CANCELLED):
        errors["state"] = _("This order is closed or cancelled already.")
    elif order.state != OrderState.DELIVERED and not reason and "reason" not in errors:
        errors["reason"] = _("Say why an order that is not fully delivered is closed.")
    if errors:
        raise ValidationError(errors)
    changes = {"reason": [None, reason]} if reason else {}
    return _state(actor, order, OrderState.CLOSED, changes, closed_at=timezone.now(), close_reason=reason)


@transaction.atomic
def order_cancel(*, actor, order: SalesOrder, version: Any, reason: str) -> SalesOrder:
    """Cancel an order nothing of which was delivered, collected or invoiced, with a reason."""
    order = _lock(actor, order, version)
    errors: dict = {}
    reason = clean_text(errors, "reason", reason or "", max_length=500)
    if not reason and "reason" not in errors:
        errors["reason"] = _("Say why the order is cancelled.")
    if order.state != OrderState.CONFIRMED:
        errors["state"] = _("Only an order nothing of which was delivered is cancelled.")
    elif order.collections.exists():
        errors["state"] = _("Money was collected for this order: it cannot be cancelled.")
    elif order.fapiao_requests.exclude(state=FapiaoState.REJECTED).exists():
        errors["state"] = _("A fapiao was requested for this order: it cannot be cancelled.")
    if errors:
        raise ValidationError(errors)
    return _state(
        actor,
        order,
        OrderState.CANCELLED,
        {"reason": [None, reason]},
        cancelled_at=timezone.now(),
        close_reason=reason,
    )

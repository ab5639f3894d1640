"""Writes of receivables (回款) and fapiao requests (开票申请) on a sales order. The order's row is locked for
each change, so two clerks recording collections at once never take more than the order's open amount, and
two fapiao requests never exceed what is not invoiced. Each change is audited on the order and its customer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_amount
from guanxi.core.services.audit import audit_record
from guanxi.crm.choices import CollectionMethod, FapiaoKind, FapiaoState, OrderState
from guanxi.crm.models import Collection, CollectionAllocation, FapiaoRequest, Instalment, SalesOrder
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.services.quotes import require_changer

ZERO = Decimal(0)


def _order(actor, order: SalesOrder) -> SalesOrder:
    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = SalesOrder.objects.select_for_update().select_related("customer").get(pk=order.pk)
    if o.state == OrderState.CANCELLED:  # locked: a cancel and a collection at once are one after the other
        raise ValidationError(
            {"state": _("This order is cancelled: it takes no plan, collection or fapiao.")}
        )
    return o


def _date(errors: dict, field: str, value: Any) -> dt.date | None:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value or "").strip())
        if not 1900 <= day.year <= 2200:
            raise ValueError
        return day
    except ValueError:
        errors[field] = _("Enter a date (YYYY-MM-DD).")
        return None


def collected(order: SalesOrder) -> Decimal:
    """What the order's collections add up to (SalesOrder.collected keeps it; this reads the rows)."""
    return Collection.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or ZERO


def requested(order: SalesOrder) -> Decimal:
    return (
        FapiaoRequest.objects.filter(order=order)
        .exclude(state=FapiaoState.REJECTED)
        .aggregate(s=Sum("amount"))["s"]
        or ZERO
    )


def _audit(actor, order: SalesOrder, changes: dict) -> None:
    audit_record(actor=actor, action=AuditAction.UPDATE, target=order, changes=changes, also=[order.customer])


@transaction.atomic
def plan_set(*, actor, order: SalesOrder, instalments: list[dict]) -> list[Instalment]:
    """The collection plan (回款计划): instalments with a due date and an amount, together at most the order's
    total. What is already paid on an instalment stays with it (its amount cannot go below that)."""
    o = _order(actor, order)
    errors: dict = {}
    rows: list[tuple[dt.date, Decimal, int]] = []
    for i, raw in enumerate(instalments):
        key = f"instalments[{i}]"
        day = _date(errors, f"{key}.due_date", raw.get("due_date"))
        try:
            amount = clean_amount(raw.get("amount"), currency=o.currency_id, field=f"{key}.amount")
            if amount <= 0:
                errors[f"{key}.amount"] = _("Enter an amount above zero.")
        except ValidationError as exc:
            errors.update(exc.message_dict)
            amount = None
        try:
            remind = int(raw.get("remind_days_before", 3) or 0)
            if not 0 <= remind <= 365:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"{key}.remind_days_before"] = _("Enter a number from 0 to 365.")
            remind = 3
        if day is not None and amount is not None:
            rows.append((day, amount, remind))
    if errors:
        raise ValidationError(errors)
    total = sum((a for _d, a, _r in rows), ZERO)
    if total > o.gross_total:
        raise ValidationError(
            {
                "instalments": _("The instalments add up to %(total)s, more than the order's %(order)s.")
                % {"total": total, "order": o.gross_total}
            }
        )
    paid = collected(o)
    if rows and total < paid:
        raise ValidationError(
            {"instalments": _("%(paid)s is collected already: the plan cannot be less.") % {"paid": paid}}
        )
    # An instalment saved again unchanged (same day, same amount) keeps whether its owner was told already.
    told = {
        (x.due_date, x.amount): (x.reminded_at, x.overdue_notified_at)
        for x in Instalment.objects.filter(order=o)
    }
    # Collections stay allocated in due-date order: re-spread what was paid over the new instalments.
    CollectionAllocation.objects.filter(instalment__order=o).delete()
    Instalment.objects.filter(order=o).delete()
    made = [
        Instalment(
            order=o,
            position=i,
            due_date=d,
            amount=a,
            remind_days_before=r,
            reminded_at=told.get((d, a), (None, None))[0],
            overdue_notified_at=told.get((d, a), (None, None))[1],
        )
        for i, (d, a, r) in enumerate(sorted(rows, key=lambda x: x[0]), start=1)
    ]
    Instalment.objects.bulk_create(made)
    for c in Collection.objects.filter(order=o).order_by("received_on", "id"):
        _allocate(c, c.amount)
    _audit(
        actor,
        o,
        {"collection_plan": [None, ", ".join(f"{d} {a}" for d, a, _r in sorted(rows, key=lambda x: x[0]))]},
    )
    return list(Instalment.objects.filter(order=o).order_by("due_date", "position"))


def _allocate(collection: Collection, amount: Decimal) -> None:
    """Pay the order's open instalments, earliest due first, with `amount` of `collection`."""
    left = amount
    for inst in (
        Instalment.objects.select_for_update()
        .filter(order_id=collection.order_id)
        .order_by("due_date", "position")
    ):
        if left <= 0:
            break
        take = min(left, inst.amount - inst.paid)
        if take <= 0:
            continue
        CollectionAllocation.objects.create(collection=collection, instalment=inst, amount=take)
        inst.paid += take
        inst.save(update_fields=["paid"])
        left -= take


@transaction.atomic
def collection_record(*, actor, order: SalesOrder, data: dict) -> Collection:
    """Money received (回款): at most what is still open on the order; it pays the open instalments in due
    order (any rest is money received beyond the plan, still within the order's total)."""
    o = _order(actor, order)
    errors: dict = {}
    day = (
        _date(errors, "received_on", data.get("received_on") or timezone.localdate()) or timezone.localdate()
    )
    try:
        amount = clean_amount(data.get("amount"), currency=o.currency_id, field="amount")
        if amount <= 0:
            errors["amount"] = _("Enter an amount above zero.")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        amount = ZERO
    method = data.get("method") or CollectionMethod.TRANSFER
    if method not in CollectionMethod.values:
        errors["method"] = _("Choose a method from the list.")
    reference = clean_text(errors, "bank_reference", data.get("bank_reference", ""), max_length=100)
    note = clean_text(errors, "note", data.get("note", ""), max_length=500)
    if errors:
        raise ValidationError(errors)
    open_amount = o.gross_total - o.collected
    if amount > open_amount:
        raise ValidationError(
            {"amount": _("Only %(open)s is still open on this order.") % {"open": open_amount}}
        )
    c = Collection.objects.create(
        order=o,
        received_on=day,
        amount=amount,
        method=method,
        bank_reference=reference,
        note=note,
        created_by=actor,
    )
    _allocate(c, amount)
    SalesOrder.objects.filter(pk=o.pk).update(collected=F("collected") + amount)  # the row is locked: _order
    _audit(actor, o, {"collection": [None, f"{day} {o.currency_id} {amount}"]})
    return c


@transaction.atomic
def fapiao_request_create(*, actor, order: SalesOrder, data: dict) -> FapiaoRequest:
    """A fapiao request (开票申请), pre-filled with the customer's 开票信息, for at most what is not requested
    yet. Without approval rules it is to be issued at once; with them it waits for approval."""
    from guanxi.core.models import ApprovalRule
    from guanxi.core.services.approvals import approval_submit

    o = _order(actor, order)
    errors: dict = {}
    kind = data.get("kind") or FapiaoKind.ELECTRONIC
    if kind not in FapiaoKind.values:
        errors["kind"] = _("Choose a kind of fapiao.")
    try:
        amount = clean_amount(data.get("amount"), currency=o.currency_id, field="amount")
        if amount <= 0:
            errors["amount"] = _("Enter an amount above zero.")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        amount = ZERO
    party = o.customer
    fields = {
        "title": (data.get("title") or party.invoice_title or party.name, 200),
        "tax_number": (data.get("tax_number", party.invoice_tax_number), 30),
        "bank_name": (data.get("bank_name", party.invoice_bank_name), 100),
        "bank_account": (data.get("bank_account", party.invoice_bank_account), 40),
        "address": (data.get("address", party.invoice_address), 200),
        "phone": (data.get("phone", party.invoice_phone), 30),
        "note": (data.get("note", ""), 500),
    }
    values = {k: clean_text(errors, k, v, max_length=n) for k, (v, n) in fields.items()}
    if kind == FapiaoKind.SPECIAL and not values["tax_number"] and "tax_number" not in errors:
        errors["tax_number"] = _("A special VAT fapiao needs the customer's taxpayer number.")
    if errors:
        raise ValidationError(errors)
    open_amount = o.gross_total - requested(o)
    if amount > open_amount:
        raise ValidationError(
            {"amount": _("Only %(open)s is not invoiced yet on this order.") % {"open": open_amount}}
        )
    r = FapiaoRequest.objects.create(
        order=o, kind=kind, amount=amount, requested_by=actor, team=o.team, **values
    )
    _audit(actor, o, {"fapiao_request": [None, f"{r.get_kind_display()} {o.currency_id} {amount}"]})
    if not ApprovalRule.objects.filter(document_type="crm.fapiaorequest", is_active=True).exists():
        FapiaoRequest.objects.filter(pk=r.pk).update(state=FapiaoState.APPROVED)
        r.state = FapiaoState.APPROVED
    else:
        request = approval_submit(actor=actor, obj=r)
        r.refresh_from_db()
        if request.status != "pending" and r.state == FapiaoState.PENDING:
            r.state = FapiaoState.APPROVED
    return r


def fapiao_decided(r: FapiaoRequest, state: str) -> None:
    FapiaoRequest.objects.filter(pk=r.pk, state=FapiaoState.PENDING).update(
        state=state, version=r.version + 1
    )


@transaction.atomic
def fapiao_issue(*, actor, request: FapiaoRequest, data: dict) -> FapiaoRequest:
    """Record the issued fapiao: its number, the issue date and the courier's tracking number."""
    _order(actor, request.order)
    r = FapiaoRequest.objects.select_for_update().get(pk=request.pk)
    if r.state != FapiaoState.APPROVED:
        raise ValidationError({"state": _("Only an approved request is issued.")})
    errors: dict = {}
    r.fapiao_number = clean_text(
        errors, "fapiao_number", data.get("fapiao_number"), max_length=40, required=True
    )
    r.issued_on = (
        _date(errors, "issued_on", data.get("issued_on") or timezone.localdate()) or timezone.localdate()
    )
    r.tracking_number = clean_text(errors, "tracking_number", data.get("tracking_number", ""), max_length=60)
    if errors:
        raise ValidationError(errors)
    r.state, r.version = FapiaoState.ISSUED, r.version + 1
    r.save()
    _audit(actor, r.order, {"fapiao_issued": [None, f"{r.fapiao_number} {r.amount}"]})
    return r


def instalments_remind(*, now: dt.datetime | None = None) -> int:
    """The scheduled job: tell owners of instalments due soon (their reminder days before) and of overdue ones,
    once each (conditional updates: two workers tell once)."""
    from functools import partial

    from guanxi.crm.hooks import tell_instalment

    now = now or timezone.now()
    today = timezone.localdate(now)
    told = 0
    unpaid = (
        Instalment.objects.filter(paid__lt=F("amount")).select_related("order").order_by("due_date", "id")
    )
    soon = unpaid.filter(
        reminded_at__isnull=True, due_date__gte=today, due_date__lte=today + dt.timedelta(days=365)
    )
    for inst in soon[:5000]:
        if inst.due_date - dt.timedelta(days=inst.remind_days_before) > today:
            continue
        if Instalment.objects.filter(pk=inst.pk, reminded_at__isnull=True).update(reminded_at=now):
            told += 1
            transaction.on_commit(partial(tell_instalment, inst, False))
    for inst in unpaid.filter(overdue_notified_at__isnull=True, due_date__lt=today)[:5000]:
        if Instalment.objects.filter(pk=inst.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=now
        ):
            told += 1
            transaction.on_commit(partial(tell_instalment, inst, True))
    return told

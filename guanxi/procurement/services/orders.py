"""Writes of purchase orders (采购订单): create (by hand; prices from the supplier's price information), update
while a draft, submit (the approvals block decides by the amount: the shipped rules let an order under 10,000
CNY through and send larger ones to a Procurement Manager — never to the buyer who asks), send (e-mailed as a PDF
in the supplier's language), record the supplier's confirmation (the promised date per line), cancel and close.
Only approved or preferred suppliers receive orders (guanxi.suppliers.services.lifecycle.may_receive_orders):
the check runs on create, submit and send. Each write is one transaction with its audit entry on the order and
the supplier. Change orders: guanxi.procurement.services.order_changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_text, small_int
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import Company
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import currency_check
from guanxi.core.selectors.companies import company_default
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.services.common import default_team_id
from guanxi.procurement.choices import OrderState
from guanxi.procurement.models import PurchaseOrder, PurchaseOrderLine
from guanxi.procurement.selectors import orders as sel
from guanxi.procurement.services.order_lines import clean_order_lines
from guanxi.suppliers.selectors.suppliers import supplier_scope
from guanxi.suppliers.services.lifecycle import may_receive_orders

DOC = "procurement.purchaseorder"
NUMBERS = "procurement.purchase_order"


def require_changer(actor) -> None:
    if not sel.may_change(actor):
        raise PermissionDeniedError()


def lock(order: PurchaseOrder, version: Any) -> PurchaseOrder:
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("Reload the purchase order and try again.")}) from exc
    current = (
        PurchaseOrder.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=order.pk)
    )
    if current.version != seen:
        raise ConflictError()
    return current


def supplier_refusal(party) -> str:
    """Why no order may go to this supplier now ("" when one may)."""
    if may_receive_orders(party):
        return ""
    return _("%(name)s is %(status)s: purchase orders go only to approved or preferred suppliers.") % {
        "name": party.name,
        "status": party.get_supplier_status_display() or _("not a supplier"),
    }


def _header(errors: dict, actor, o: PurchaseOrder, data: dict, creating: bool) -> None:
    if creating or "supplier" in data:
        party = supplier_scope(actor=actor).filter(pk=small_int(data.get("supplier")) or 0).first()
        if party is None or party.archived_at:
            errors["supplier"] = _("Choose a supplier you can see.")
        elif refusal := supplier_refusal(party):
            errors["supplier"] = refusal
        else:
            o.supplier = party
    if "contact" in data:
        o.contact = None
        if data["contact"] not in (None, ""):
            o.contact = (
                party_visible(actor=actor).filter(pk=small_int(data["contact"]) or 0, kind="person").first()
            )
            if o.contact is None:
                errors["contact"] = _("Choose people you can see.")
    if creating or "currency" in data:
        try:
            o.currency = currency_check(data.get("currency") or "CNY", field="currency")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if creating or "ordered_on" in data:
        o.ordered_on = clean_date(errors, "ordered_on", data.get("ordered_on")) or timezone.localdate()
    if creating or "language" in data:
        lang = data.get("language") or (o.supplier.preferred_language if o.supplier_id else "") or ""
        if lang and lang not in ("en", "zh-hans"):
            errors["language"] = _("Choose English or Chinese.")
        o.language = lang
    for field, limit, multiline in (
        ("payment_terms", 200, False),
        ("delivery_address", 500, False),
        ("notes", 5000, True),
    ):
        if field in data:
            setattr(o, field, clean_text(errors, field, data[field], max_length=limit, multiline=multiline))


def set_lines(o: PurchaseOrder, lines: list[dict], keep: dict | None = None) -> None:
    """Replace the lines and the totals. `keep` maps a new line's position to the fields of the line it
    replaces that only the supplier's confirmation and the receipts set (a change order keeps them)."""
    o.lines.all().delete()
    rows = []
    for x in lines:
        extra = (keep or {}).get(x["position"], {})
        rows.append(PurchaseOrderLine(order=o, **{k: v for k, v in x.items() if k != "id"}, **extra))
    PurchaseOrderLine.objects.bulk_create(rows)
    o.net_total = sum((x["net"] for x in lines), 0)
    o.tax_total = sum((x["tax"] for x in lines), 0)
    o.gross_total = o.net_total + o.tax_total


def audit(actor, action: str, o: PurchaseOrder, changes: dict) -> None:
    audit_record(actor=actor, action=action, target=o, changes=changes, also=[o.supplier])


def cleaned_lines(actor, o: PurchaseOrder, raw: list[dict]) -> list[dict]:
    return clean_order_lines(
        actor=actor,
        lines=raw,
        supplier_id=o.supplier_id,
        currency=o.currency_id,
        on=o.ordered_on,
        language=o.language or "en",
    )


@transaction.atomic
def order_create(*, actor, data: dict) -> PurchaseOrder:
    require_changer(actor)
    company = (
        Company.objects.filter(pk=small_int(data.get("company")) or 0).first()
        if data.get("company")
        else company_default()
    )
    if company is None:
        raise ValidationError(
            {
                "company": _(
                    "Set up our company first (Settings → Our companies): orders carry its letterhead."
                )
            }
        )
    o = PurchaseOrder(company=company, owner=actor, team_id=default_team_id(actor), created_by=actor)
    errors: dict = {}
    _header(errors, actor, o, data, creating=True)
    if errors:
        raise ValidationError(errors)
    lines = cleaned_lines(actor, o, data.get("lines") or [])
    o.number = number_next(doc_type=NUMBERS, company=company, on=o.ordered_on)
    o.save()
    set_lines(o, lines)
    o.save()
    audit(
        actor, AuditAction.CREATE, o, {"number": [None, o.number], "gross_total": [None, str(o.gross_total)]}
    )
    return o


@transaction.atomic
def order_update(*, actor, order: PurchaseOrder, version: Any, data: dict) -> PurchaseOrder:
    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = lock(order, version)
    if not o.is_editable:
        raise ValidationError(
            {"state": _("Only a draft is edited; change an approved order with a change order.")}
        )
    before = str(o.gross_total)
    errors: dict = {}
    _header(errors, actor, o, data, creating=False)
    if errors:
        raise ValidationError(errors)
    if {"lines", "currency", "supplier"} & set(data):
        raw = data.get("lines")
        if raw is None:
            from guanxi.procurement.services.order_lines import line_dict

            raw = [line_dict(x) for x in o.lines.all()]
            if (
                "currency" in data or "supplier" in data
            ):  # take the prices again in the new currency or supplier
                raw = [{**x, "unit_price": None} if x["product"] else x for x in raw]
        set_lines(o, cleaned_lines(actor, o, raw))
    o.version += 1
    o.save()
    audit(actor, AuditAction.UPDATE, o, {"gross_total": [before, str(o.gross_total)]})
    return o


def set_state(actor, o: PurchaseOrder, state: str, **fields) -> PurchaseOrder:
    before = o.state
    o.state = state
    for k, v in fields.items():
        setattr(o, k, v)
    o.version += 1
    o.save()
    audit(actor, AuditAction.UPDATE, o, {"state": [before, state]})
    return o


def _refuse_unless_supplier_ok(o: PurchaseOrder) -> None:
    if refusal := supplier_refusal(o.supplier):
        raise ValidationError({"supplier": refusal})


@transaction.atomic
def order_submit(*, actor, order: PurchaseOrder, version: Any) -> PurchaseOrder:
    """Draft → to approve, or approved at once when the rule that applies needs no approval."""
    from guanxi.core.services.approvals import approval_submit

    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = lock(order, version)
    if o.state != OrderState.DRAFT:
        raise ValidationError({"state": _("Only a draft is submitted.")})
    _refuse_unless_supplier_ok(o)
    request = approval_submit(actor=actor, obj=o)
    o.refresh_from_db()
    if request.status == "pending":
        return set_state(actor, o, OrderState.PENDING)
    return o  # approved at once: order_approved has set the state


def order_approved(order: PurchaseOrder) -> None:
    """An approval decision (or a rule needing none): the order may go to the supplier; its total is the one
    agreed. After a change order the order returns to where it was (sent or confirmed)."""
    o = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if o.state not in (OrderState.PENDING, OrderState.DRAFT):
        return
    back = OrderState.APPROVED
    if o.revision:
        back = o.revisions.order_by("-revision").values_list("snapshot__state", flat=True).first() or back
    PurchaseOrder.objects.filter(pk=o.pk).update(
        state=back, approved_total=o.gross_total, version=o.version + 1
    )


def order_rejected(order: PurchaseOrder) -> None:
    """Rejected or withdrawn: a first submission returns to draft; a change order is undone (the order as the
    supplier has it, from its last revision)."""
    from guanxi.procurement.services.order_changes import change_undo

    o = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if o.state != OrderState.PENDING:
        return
    if o.revision and o.approved_total is not None:
        change_undo(o)
    else:
        PurchaseOrder.objects.filter(pk=o.pk).update(state=OrderState.DRAFT, version=o.version + 1)


@transaction.atomic
def order_send(*, actor, order: PurchaseOrder, version: Any, email: str = "") -> PurchaseOrder:
    """Approved → sent (again: a sent or confirmed order is sent anew, e.g. after a change). With an e-mail
    address the PDF goes there, in the background after the commit."""
    from django.core.validators import validate_email

    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = lock(order, version)
    if o.state not in (OrderState.APPROVED, OrderState.SENT, OrderState.CONFIRMED):
        raise ValidationError({"state": _("Only an approved order is sent: submit it first.")})
    _refuse_unless_supplier_ok(o)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": _("Enter a valid email address.")}) from exc
    state = OrderState.SENT if o.state == OrderState.APPROVED else o.state
    o = set_state(actor, o, state, sent_at=timezone.now(), sent_to=email or o.sent_to)
    if email:
        from guanxi.procurement.tasks import order_email_task

        pk, actor_id = o.pk, actor.pk
        transaction.on_commit(lambda: order_email_task.enqueue(order_id=pk, to=email, actor_id=actor_id))
    return o


@transaction.atomic
def order_confirm(
    *, actor, order: PurchaseOrder, version: Any, dates: dict, acknowledged_at=None
) -> PurchaseOrder:
    """The supplier's confirmation (entered by the buyer until the portal exists): a promised date per line
    ({line id: date}); the first one a line gets is its statistical promised date, later ones move only the
    planning date. When the supplier acknowledged the order is kept (default: now)."""
    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = lock(order, version)
    if o.state not in (OrderState.SENT, OrderState.CONFIRMED, OrderState.PARTIAL):
        raise ValidationError({"state": _("Only a sent order is confirmed by the supplier.")})
    lines = {line.pk: line for line in o.lines.select_for_update()}
    errors: dict = {}
    clean: dict = {}
    for key, value in (dates or {}).items():
        line = lines.get(small_int(key) or 0)
        if line is None:
            errors[f"dates.{key}"] = _("This line is not on the order.")
            continue
        day = clean_date(errors, f"dates.{key}", value, required=True)
        if day is not None:
            clean[line.pk] = day
    missing = [pk for pk, line in lines.items() if pk not in clean and line.planned_date is None]
    if missing and not errors:
        errors["dates"] = _("Give the promised date of every line.")
    if errors:
        raise ValidationError(errors)
    changes = {}
    for pk, day in clean.items():
        line = lines[pk]
        before = line.planned_date
        if line.first_confirmed_date is None:
            line.first_confirmed_date = day
        line.planned_date = day
        line.save(update_fields=["first_confirmed_date", "planned_date"])
        if before != day:
            changes[f"planned_date:{line.position}"] = [
                before.isoformat() if before else None,
                day.isoformat(),
            ]
    when = acknowledged_at or o.acknowledged_at or timezone.now()
    state = OrderState.CONFIRMED if o.state == OrderState.SENT else o.state
    before_state = o.state
    o.state, o.acknowledged_at = state, when
    o.version += 1
    o.save()
    audit(actor, AuditAction.UPDATE, o, {"state": [before_state, state], **changes})
    return o


@transaction.atomic
def order_cancel(*, actor, order: PurchaseOrder, version: Any, reason: str = "") -> PurchaseOrder:
    """Cancelled before anything is received; an order the supplier has (sent, confirmed) needs a reason. A
    request waiting for approval is withdrawn."""
    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = lock(order, version)
    if o.state in (OrderState.PARTIAL, OrderState.RECEIVED, OrderState.CLOSED, OrderState.CANCELLED):
        raise ValidationError({"state": _("Goods were received or the order is finished: close it instead.")})
    if o.state == OrderState.PENDING:  # its request ends; a change order waiting for it is undone first
        from guanxi.core.services.approvals import approval_end_for
        from guanxi.procurement.services.order_changes import change_undo

        approval_end_for(actor=actor, obj=o, reason="purchase order cancelled")
        if o.revision and o.approved_total is not None:
            change_undo(o)
        o.refresh_from_db()
    errors: dict = {}
    reason = clean_text(errors, "reason", reason, max_length=500)
    if not reason and o.state in (
        OrderState.SENT,
        OrderState.CONFIRMED,
    ):  # nothing is written: all rolls back
        errors["reason"] = _("Say why the order is cancelled: the supplier has it.")
    if errors:
        raise ValidationError(errors)
    return set_state(actor, o, OrderState.CANCELLED, cancelled_at=timezone.now(), close_reason=reason)


@transaction.atomic
def order_close(*, actor, order: PurchaseOrder, version: Any, reason: str = "") -> PurchaseOrder:
    """Closed: received in full, or closed short (nothing more is expected) with a reason."""
    require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = lock(order, version)
    if o.state not in (OrderState.SENT, OrderState.CONFIRMED, OrderState.PARTIAL, OrderState.RECEIVED):
        raise ValidationError({"state": _("Only an order with the supplier is closed.")})
    errors: dict = {}
    reason = clean_text(errors, "reason", reason, max_length=500)
    if not reason and o.state != OrderState.RECEIVED:
        errors["reason"] = _("Say why the order is closed before everything arrived.")
    if errors:
        raise ValidationError(errors)
    return set_state(actor, o, OrderState.CLOSED, closed_at=timezone.now(), close_reason=reason)

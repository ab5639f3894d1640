"""Goods receipts with inspection (收货 / 质检) and returns to suppliers (退货).

`receipt_post`: per order line what arrived (received), what inspection accepted and rejected (with a reason),
on the day the goods arrived — dated back at most the settings' days, and then marked and audited. Accepted
goods count against the order (the open quantity is ordered − accepted + returned); more than the open
quantity beyond the over-delivery tolerance is refused. `receipt_from_note` receives a delivery note in one
step (scanned or typed code). `return_post` sends accepted goods back: the quantity is open again (the
supplier owes it, or the buyer closes the order short)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_text, small_int
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_assign, number_next, number_placeholder
from guanxi.procurement.choices import OrderState
from guanxi.procurement.choices_receipts import NoteState, RejectReason, ReturnKind
from guanxi.procurement.models import (
    DeliveryNote,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasingSettings,
    Receipt,
    ReceiptLine,
    SupplierReturn,
    SupplierReturnLine,
)
from guanxi.procurement.services import receiving as rc

MAX_LINES = 500
QUANTITIES = ("received_quantity", "accepted_quantity", "rejected_quantity")


def _day(errors: dict, key: str, value, rules: PurchasingSettings) -> tuple[dt.date, bool]:
    """The receipt's date: today by default; dated back within the settings' window (marked); never ahead."""
    today = timezone.localdate()
    day = clean_date(errors, key, value) or today
    if day > today:
        errors[key] = _("Goods are received on or before today.")
    elif (today - day).days > rules.backdate_days:
        errors[key] = _("A receipt may be dated back at most %(n)d days.") % {"n": rules.backdate_days}
    return day, day < today


@transaction.atomic
def receipt_post(*, actor, data: dict, note: DeliveryNote | None = None) -> Receipt:
    """Post a receipt: lines [{order_line, received, accepted, rejected, reject_reason, reject_note, note_line}].
    accepted defaults to received − rejected. Nothing is written unless every line is right."""
    rc.require_receiver(actor)
    raw = data.get("lines") or []
    if not isinstance(raw, list) or not raw:
        raise ValidationError({"lines": _("Receive at least one line.")})
    if len(raw) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": MAX_LINES}})
    errors: dict = {}
    rules = PurchasingSettings.current()
    day, backdated = _day(errors, "received_on", data.get("received_on"), rules)
    text = clean_text(errors, "note", data.get("note"), max_length=500)
    lines = rc.locked_lines(actor, [small_int(r.get("order_line")) for r in raw])
    note_lines = {nl.pk: nl for nl in note.lines.select_for_update()} if note is not None else {}
    taking: dict[int, Decimal] = {}
    rows = []
    for i, r in enumerate(raw):
        key = f"lines[{i}]"
        line = rc.line_ref(errors, f"{key}.order_line", r.get("order_line"), lines)
        received = rc.quantity(errors, f"{key}.received", r.get("received"), positive=True)
        rejected = rc.quantity(errors, f"{key}.rejected", r.get("rejected"))
        accepted = r.get("accepted")
        if accepted in (None, "") and received is not None and rejected is not None:
            accepted = received - rejected
        accepted = rc.quantity(errors, f"{key}.accepted", accepted)
        reason = r.get("reject_reason") or ""
        if rejected and reason not in RejectReason.values:
            errors[f"{key}.reject_reason"] = _("Say why goods were rejected.")
        reject_note = clean_text(errors, f"{key}.reject_note", r.get("reject_note"), max_length=500)
        note_line = None
        if note is not None:
            note_line = note_lines.get(small_int(r.get("note_line")) or 0)
            if note_line is None or (line is not None and note_line.order_line_id != line.pk):
                errors[f"{key}.note_line"] = _("This line is not on the delivery note.")
        if line is None or None in (received, rejected, accepted):
            continue
        assert received is not None and rejected is not None and accepted is not None
        if accepted + rejected != received:
            errors[f"{key}.accepted"] = _("Accepted and rejected add up to what was received.")
            continue
        taking[line.pk] = taking.get(line.pk, Decimal(0)) + accepted
        if taking[line.pk] > rc.limit(line, rules):
            errors[f"{key}.received"] = _(
                "Only %(open)s %(unit)s are still open on this line (with the over-delivery tolerance: %(limit)s)."
            ) % {
                "open": _fmt(line.open_quantity),
                "unit": line.unit or "",
                "limit": _fmt(rc.limit(line, rules)),
            }
            continue
        rows.append((line, note_line, received, accepted, rejected, reason if rejected else "", reject_note))
    if errors:
        raise ValidationError(errors)
    rc.one_supplier([row[0] for row in rows])
    first = rows[0][0].order
    receipt = Receipt.objects.create(
        number=number_placeholder(),  # the real one last: the counter's lock is held until the commit
        company_id=first.company_id,
        supplier_id=first.supplier_id,
        owner_id=first.owner_id,
        team_id=first.team_id,
        delivery_note=note,
        received_on=day,
        backdated=backdated,
        note=text,
        created_by=actor,
    )
    ReceiptLine.objects.bulk_create(
        ReceiptLine(
            receipt=receipt,
            order_line=line,
            note_line=note_line,
            received_quantity=received,
            accepted_quantity=accepted,
            rejected_quantity=rejected,
            reject_reason=reason,
            reject_note=reject_note,
        )
        for line, note_line, received, accepted, rejected, reason, reject_note in rows
    )
    # The rows are locked: the receipt's sums are added to them in one statement each.
    mine = ReceiptLine.objects.filter(receipt=receipt)
    rc.add_sums(mine, link="order_line", fields={f: f for f in QUANTITIES})
    if note is not None:
        rc.add_sums(
            mine.filter(note_line__isnull=False),
            link="note_line",
            fields={"received_quantity": "received_quantity"},
        )
    rc.refresh_orders({row[0].order_id for row in rows})
    if note is not None:
        _note_state(note)
    number_assign(receipt, doc_type="procurement.receipt", company=first.company_id, on=day)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=receipt,
        changes={
            "number": [None, receipt.number],
            "received_on": [None, day.isoformat()],
            **({"backdated": [None, True]} if backdated else {}),
            "lines": [
                None,
                [
                    f"{row[0].order.number}/{row[0].position}: +{_fmt(row[2])} ✓{_fmt(row[3])} ✗{_fmt(row[4])}"
                    for row in rows
                ],
            ],
        },
        also=[first.supplier, *{row[0].order for row in rows}],
    )
    return receipt


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


def _note_state(note: DeliveryNote) -> None:
    lines = list(note.lines.all())
    state = (
        NoteState.RECEIVED
        if all(nl.received_quantity >= nl.quantity for nl in lines)
        else NoteState.PARTIAL
        if any(nl.received_quantity > 0 for nl in lines)
        else NoteState.OPEN
    )
    DeliveryNote.objects.filter(pk=note.pk).update(state=state, version=F("version") + 1)


@transaction.atomic
def receipt_from_note(*, actor, note: DeliveryNote, data: dict | None = None) -> Receipt:
    """Receive a delivery note in one step: what is still to come on each of its lines arrives and is accepted,
    unless `data["lines"]` says otherwise per note line ({note_line, received, accepted, rejected,
    reject_reason}): then only those lines, in the caller's order (so a refusal's lines[i] is the caller's i)."""
    rc.require_receiver(actor)
    note = DeliveryNote.objects.select_for_update().get(pk=note.pk)
    if note.state in (NoteState.RECEIVED, NoteState.CANCELLED):
        raise ValidationError({"delivery_note": _("This delivery note was received or cancelled already.")})
    data = data or {}
    if "lines" in data and not data["lines"]:  # lines given, none of them: nothing arrived (not "everything")
        raise ValidationError({"lines": _("Receive at least one line.")})
    on_note = {nl.pk: nl for nl in note.lines.all()}
    errors: dict = {}
    given: dict = {}
    for i, r in enumerate(data.get("lines") or []):
        pk = small_int(r.get("note_line")) if isinstance(r, dict) else None
        if pk not in on_note:
            errors[f"lines[{i}].note_line"] = _("This line is not on the delivery note.")
        elif pk in given:
            errors[f"lines[{i}].note_line"] = _("This line is listed twice.")
        else:
            given[pk] = r
    if errors:
        raise ValidationError(errors)
    lines = []
    for pk in given or on_note:
        nl, r = on_note[pk], given.get(pk)
        rest = nl.quantity - nl.received_quantity
        if r is None and rest <= 0:
            continue
        lines.append({"order_line": nl.order_line_id, "note_line": nl.pk, "received": rest, **(r or {})})
    return receipt_post(actor=actor, data={**data, "lines": lines}, note=note)


@transaction.atomic
def return_post(*, actor, data: dict) -> SupplierReturn:
    """Accepted goods go back to the supplier: lines [{order_line, quantity}], a kind (quality or commercial)
    and a reason. At most what was accepted and not yet returned goes back."""
    rc.require_receiver(actor)
    raw = data.get("lines") or []
    if not isinstance(raw, list) or not raw:
        raise ValidationError({"lines": _("Return at least one line.")})
    errors: dict = {}
    kind = data.get("kind") or ""
    if kind not in ReturnKind.values:
        errors["kind"] = _("Choose a quality or a commercial return.")
    reason = clean_text(errors, "reason", data.get("reason"), max_length=500, required=True)
    day = clean_date(errors, "returned_on", data.get("returned_on")) or timezone.localdate()
    if day > timezone.localdate():
        errors["returned_on"] = _("Goods go back on or before today.")
    elif (timezone.localdate() - day).days > (window := PurchasingSettings.current().backdate_days):
        errors["returned_on"] = _("A return may be dated back at most %(n)d days.") % {"n": window}
    states = (*rc.RECEIVABLE, "received", "closed")
    lines = rc.locked_lines(actor, [small_int(r.get("order_line")) for r in raw], states=states)
    rows: list[tuple[PurchaseOrderLine, Decimal]] = []
    for i, r in enumerate(raw):
        line = rc.line_ref(errors, f"lines[{i}].order_line", r.get("order_line"), lines)
        qty = rc.quantity(errors, f"lines[{i}].quantity", r.get("quantity"), positive=True)
        if line is None or qty is None:
            continue
        already = sum((q for x, q in rows if x.pk == line.pk), Decimal(0))
        if qty + already > line.accepted_quantity - line.returned_quantity:
            errors[f"lines[{i}].quantity"] = _("At most %(n)s were accepted and not yet returned.") % {
                "n": _fmt(line.accepted_quantity - line.returned_quantity)
            }
            continue
        rows.append((line, qty))
    if errors:
        raise ValidationError(errors)
    rc.one_supplier([x for x, _q in rows])
    first = rows[0][0].order
    back = SupplierReturn.objects.create(
        number=number_next(doc_type="procurement.supplier_return", company=first.company_id, on=day),
        company_id=first.company_id,
        supplier_id=first.supplier_id,
        owner_id=first.owner_id,
        team_id=first.team_id,
        kind=kind,
        returned_on=day,
        reason=reason,
        created_by=actor,
    )
    SupplierReturnLine.objects.bulk_create(
        SupplierReturnLine(supplier_return=back, order_line=line, quantity=qty) for line, qty in rows
    )
    rc.add_sums(
        SupplierReturnLine.objects.filter(supplier_return=back),
        link="order_line",
        fields={"returned_quantity": "quantity"},
    )
    # Goods back from a received order: it waits for them again.
    PurchaseOrder.objects.filter(pk__in={x.order_id for x, _q in rows}, state=OrderState.RECEIVED).update(
        state=OrderState.PARTIAL, version=F("version") + 1
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=back,
        changes={"number": [None, back.number], "kind": [None, kind], "reason": [None, reason]},
        also=[first.supplier, *{x.order for x, _q in rows}],
    )
    return back

"""Delivery notes (送货单 / ASN): what a supplier ships against its open order lines, the ship date, carrier and
tracking number — entered by a buyer for the supplier until the supplier portal exists. Each note gets a short
code, printed as a QR code, that the receiving clerk scans or types to receive it in one step
(guanxi.procurement.services.receipts.receipt_from_note)."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_text, small_int
from guanxi.core.exceptions import ConflictError, NotFoundError
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.procurement.choices_receipts import NoteState
from guanxi.procurement.models import DeliveryNote, DeliveryNoteLine, PurchaseOrderLine, PurchasingSettings
from guanxi.procurement.selectors.receiving import on_the_way
from guanxi.procurement.services import receiving as rc

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: typed from paper
MAX_LINES = 500


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


def normalize_code(value: Any) -> str:
    """What a scanner or a hand typed: full-width characters, spaces, dashes and case do not matter."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(value or "")).upper()
    return "".join(ch for ch in text if ch.isalnum())


@transaction.atomic
def delivery_note_create(*, actor, data: dict) -> DeliveryNote:
    """lines: [{order_line, quantity}] of orders with one supplier that are with the supplier (sent, confirmed
    or partially received); each at most the line's open quantity with the over-delivery tolerance."""
    rc.require_receiver(actor)
    raw = data.get("lines") or []
    if not isinstance(raw, list) or not raw:
        raise ValidationError({"lines": _("Add at least one line.")})
    if len(raw) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": MAX_LINES}})
    errors: dict = {}
    ship = clean_date(errors, "ship_date", data.get("ship_date")) or timezone.localdate()
    expected = clean_date(errors, "expected_on", data.get("expected_on"))
    if expected and expected < ship:
        errors["expected_on"] = _("Goods arrive on or after the day they are shipped.")
    texts = {
        f: clean_text(errors, f, data.get(f), max_length=n)
        for f, n in (("carrier", 100), ("tracking_number", 100), ("supplier_reference", 64), ("note", 500))
    }
    lines = rc.locked_lines(actor, [small_int(r.get("order_line")) for r in raw])
    rules = PurchasingSettings.current()
    coming = on_the_way(lines)
    rows: list[tuple[PurchaseOrderLine, Decimal]] = []
    for i, r in enumerate(raw):
        line = rc.line_ref(errors, f"lines[{i}].order_line", r.get("order_line"), lines)
        qty = rc.quantity(errors, f"lines[{i}].quantity", r.get("quantity"), positive=True)
        if line is None or qty is None:
            continue
        already = sum((q for x, q in rows if x.pk == line.pk), Decimal(0)) + coming.get(line.pk, 0)
        if qty + already > rc.limit(line, rules):
            if coming.get(line.pk):
                errors[f"lines[{i}].quantity"] = _(
                    "Only %(n)s are still open on this line, and %(m)s of them are on delivery notes on the way "
                    "(cancel a note the supplier replaces)."
                ) % {"n": f"{line.open_quantity.normalize():f}", "m": f"{coming[line.pk].normalize():f}"}
            else:
                errors[f"lines[{i}].quantity"] = _("Only %(n)s are still open on this line.") % {
                    "n": f"{line.open_quantity.normalize():f}"
                }
            continue
        rows.append((line, qty))
    if errors:
        raise ValidationError(errors)
    rc.one_supplier([x for x, _q in rows])
    first = rows[0][0].order
    note = DeliveryNote.objects.create(
        number=number_next(doc_type="procurement.delivery_note", company=first.company_id, on=ship),
        code=new_code(),
        company_id=first.company_id,
        supplier_id=first.supplier_id,
        owner_id=first.owner_id,
        team_id=first.team_id,
        ship_date=ship,
        expected_on=expected,
        created_by=actor,
        **texts,
    )
    DeliveryNoteLine.objects.bulk_create(
        DeliveryNoteLine(note=note, order_line=x, quantity=q) for x, q in rows
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=note,
        changes={"number": [None, note.number], "ship_date": [None, ship.isoformat()]},
        also=[first.supplier],
    )
    return note


@transaction.atomic
def delivery_note_cancel(*, actor, note: DeliveryNote, version: Any) -> DeliveryNote:
    """A note nothing was received against is cancelled (the supplier did not ship, or sent a new one)."""
    rc.require_receiver(actor)
    current = DeliveryNote.objects.select_for_update().get(pk=note.pk)
    if str(current.version) != str(version):
        raise ConflictError()
    if current.state != NoteState.OPEN:
        raise ValidationError({"state": _("Goods were received against this note: it stays.")})
    current.state, current.version = NoteState.CANCELLED, current.version + 1
    current.save(update_fields=["state", "version"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=current,
        changes={"state": [NoteState.OPEN, NoteState.CANCELLED]},
    )
    return current


def note_by_code(*, actor, code: Any) -> DeliveryNote:
    """The note a scanned or typed code names, if the user may receive it (NotFoundError otherwise)."""
    from guanxi.procurement.selectors.orders import order_visible

    rc.require_receiver(actor)
    text = normalize_code(code)
    note = DeliveryNote.objects.filter(code=text).first() if 4 <= len(text) <= 16 else None
    if note is None:
        raise NotFoundError(_("No delivery note has this code."))
    orders = order_visible(actor=actor).values("pk")
    if not note.lines.filter(order_line__order__in=orders).exists():
        raise NotFoundError(_("No delivery note has this code."))
    return note

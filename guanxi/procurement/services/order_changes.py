"""Change orders (采购变更): an order the supplier may already have (approved, sent, confirmed) changes only
through a change order with a reason. The order as it was is kept as a revision; a new total above the one
last approved goes through approval again (rejected or withdrawn, the change is undone from the revision);
a line's first confirmed date — the statistical promised date the scorecards measure — moves only here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_text, small_int
from guanxi.core.models.audit import AuditAction
from guanxi.procurement.choices import CHANGEABLE_STATES, OrderState
from guanxi.procurement.models import PurchaseOrder, PurchaseOrderLine, PurchaseOrderRevision
from guanxi.procurement.selectors import orders as sel
from guanxi.procurement.services import orders as svc
from guanxi.procurement.services.order_lines import line_dict

_DATES = ("first_confirmed_date", "planned_date")


def _snapshot(o: PurchaseOrder) -> dict:
    lines = []
    for line in o.lines.all():
        row: dict[str, Any] = {k: (str(v) if v is not None else None) for k, v in line_dict(line).items()}
        row.update({k: (getattr(line, k).isoformat() if getattr(line, k) else None) for k in _DATES})
        row["supplier_price"] = line.supplier_price_id
        row.update({k: str(getattr(line, k)) for k in ("tax_percent", "net", "tax", "gross")})
        lines.append(row)
    return {"state": o.state, "lines": lines, "net_total": str(o.net_total), "tax_total": str(o.tax_total)}


@transaction.atomic
def order_change(*, actor, order: PurchaseOrder, version: Any, data: dict) -> PurchaseOrder:
    """New lines for an order with the supplier, with a reason. A line that names the `id` of a line it
    replaces keeps that line's confirmed dates, unless `first_confirmed_date` / `planned_date` are given."""
    svc.require_changer(actor)
    sel.order_get(actor=actor, pk=order.pk, mode="edit")
    o = svc.lock(order, version)
    if o.state not in CHANGEABLE_STATES:
        raise ValidationError(
            {"state": _("Only an approved, sent or confirmed order is changed; a draft is edited.")}
        )
    errors: dict = {}
    reason = clean_text(errors, "reason", data.get("reason"), max_length=500, required=True)
    raw = data.get("lines")
    if not isinstance(raw, list):
        errors["lines"] = _("Give the order's lines as they should be.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(raw, list)
    lines = svc.cleaned_lines(actor, o, raw)
    old = {line.pk: line for line in o.lines.all()}
    keep: dict[int, dict] = {}
    for i, row in enumerate(raw):
        before = old.get(small_int(row.get("id")) or 0)
        extra = {k: getattr(before, k) for k in _DATES} if before is not None else {}
        for k in _DATES:
            if row.get(k) not in (None, ""):
                extra[k] = clean_date(errors, f"lines[{i}].{k}", row[k])
        keep[i + 1] = extra
    if errors:
        raise ValidationError(errors)
    before_total = o.gross_total
    PurchaseOrderRevision.objects.create(
        order=o,
        revision=o.revision + 1,
        reason=reason,
        snapshot=_snapshot(o),
        gross_total=before_total,
        created_by=actor,
    )
    o.revision += 1
    svc.set_lines(o, lines, keep)
    needs_approval = o.approved_total is not None and o.gross_total > o.approved_total
    o.version += 1
    o.save()
    svc.audit(
        actor,
        AuditAction.UPDATE,
        o,
        {
            "revision": [o.revision - 1, o.revision],
            "gross_total": [str(before_total), str(o.gross_total)],
            "reason": [None, reason],
        },
    )
    if needs_approval:
        from guanxi.core.services.approvals import approval_submit

        svc.set_state(actor, o, OrderState.PENDING)
        request = approval_submit(actor=actor, obj=o)
        o.refresh_from_db()
        if request.status != "pending":
            return o
    return o


def change_undo(o: PurchaseOrder) -> None:
    """A change order's approval was refused or withdrawn: the order is again as its last revision kept it."""
    rev = o.revisions.order_by("-revision").first()
    if rev is None:
        return
    snap = rev.snapshot
    o.lines.all().delete()
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            order=o,
            position=n,
            product_id=row["product"],
            supplier_code=row["supplier_code"] or "",
            description=row["description"],
            quantity=row["quantity"],
            unit_id=row["unit"],
            unit_price=row["unit_price"],
            tax_rate_id=row["tax_rate"],
            requested_date=row["requested_date"],
            first_confirmed_date=row["first_confirmed_date"],
            planned_date=row["planned_date"],
            supplier_price_id=row["supplier_price"],
            **{k: row[k] for k in ("tax_percent", "net", "tax", "gross")},
        )
        for n, row in enumerate(snap["lines"], start=1)
    )
    PurchaseOrder.objects.filter(pk=o.pk).update(
        state=snap["state"],
        net_total=snap["net_total"],
        tax_total=snap["tax_total"],
        gross_total=rev.gross_total,
        revision=o.revision - 1,
        version=o.version + 1,
    )
    rev.delete()

"""Writes of purchase requisitions (请购单): anyone with requisition.create asks for products or services (a
draft they edit), submits it — the approvals block decides by the estimated amount in CNY (shipped: under 5,000
CNY no approval, from there any Procurement Manager; never the requester) — or cancels it before it is sourced.
A Buyer (requisition.process) turns approved requisitions into a draft RFQ or a draft purchase order: several
at once, the same product's quantities added up, each requisition line linked to where it went, and the
requisitions marked sourced in the same transaction (so one requisition is never sourced twice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_text, small_int
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_price, currency_check, round_money
from guanxi.core.selectors.companies import company_default
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.parties.services.common import default_team_id
from guanxi.procurement.choices import RequisitionState
from guanxi.procurement.models import PurchaseOrder, Requisition, RequisitionLine, Rfq
from guanxi.procurement.selectors import requisitions as sel
from guanxi.procurement.selectors.prices import prices_for_order
from guanxi.procurement.services.items import clean_items
from guanxi.suppliers.selectors.suppliers import supplier_scope

NUMBERS = "procurement.requisition"
MAX_LINES = 200


def _lock(req: Requisition, version: Any, *states: str) -> Requisition:
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("Reload the requisition and try again.")}) from exc
    current = Requisition.objects.select_for_update().get(pk=req.pk)
    if current.version != seen:
        raise ConflictError()
    if states and current.state not in states:
        raise ValidationError(
            {
                "state": _("Not possible while the requisition is “%(state)s”.")
                % {"state": current.get_state_display()}
            }
        )
    return current


def _lines(actor, raw: list[dict]) -> list[dict]:
    def estimate(errors: dict, key: str, x: dict) -> dict:
        if x.get("estimated_price") in (None, ""):
            return {"estimated_price": Decimal(0)}
        try:
            return {"estimated_price": clean_price(x["estimated_price"], field=f"{key}.estimated_price")}
        except ValidationError as exc:
            errors.update(exc.message_dict)
            return {"estimated_price": Decimal(0)}

    return clean_items(actor, raw, limit=MAX_LINES, more=estimate)


def _header(errors: dict, actor, req: Requisition, data: dict, creating: bool) -> None:
    if creating or "needed_by" in data:
        day = clean_date(errors, "needed_by", data.get("needed_by"), required=True)
        if day is not None and day < timezone.localdate():
            errors["needed_by"] = _("The date it is needed by has passed.")
        elif day is not None:
            req.needed_by = day
    if creating or "justification" in data:
        req.justification = clean_text(
            errors, "justification", data.get("justification"), max_length=2000, multiline=True, required=True
        )
    if "cost_centre" in data:
        req.cost_centre = clean_text(errors, "cost_centre", data["cost_centre"], max_length=100)
    if creating or "currency" in data:
        try:
            req.currency = currency_check(data.get("currency") or "CNY", field="currency")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if "supplier" in data:
        req.supplier = None
        if data["supplier"] not in (None, ""):
            req.supplier = supplier_scope(actor=actor).filter(pk=small_int(data["supplier"]) or 0).first()
            if req.supplier is None:
                errors["supplier"] = _("Choose a supplier you can see, or leave it to the buyers.")


def _store(req: Requisition, lines: list[dict]) -> None:
    req.lines.all().delete()
    RequisitionLine.objects.bulk_create([RequisitionLine(requisition=req, **x) for x in lines])
    total = sum((x["quantity"] * x["estimated_price"] for x in lines), Decimal(0))
    req.estimated_total = round_money(total, req.currency_id)


@transaction.atomic
def requisition_create(*, actor, data: dict) -> Requisition:
    sel.require_creator(actor)
    company = company_default()
    if company is None:
        raise ValidationError({"company": _("Set up our company first (Settings → Our companies).")})
    req = Requisition(company=company, requester=actor, team_id=default_team_id(actor))
    errors: dict = {}
    _header(errors, actor, req, data, creating=True)
    lines = None
    try:
        lines = _lines(actor, data.get("lines") or [])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors or lines is None:
        raise ValidationError(errors)
    req.number = number_next(doc_type=NUMBERS, company=company, on=timezone.localdate())
    req.save()
    _store(req, lines)
    req.save(update_fields=["estimated_total"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=req,
        changes={"number": [None, req.number], "estimated_total": [None, str(req.estimated_total)]},
    )
    return req


@transaction.atomic
def requisition_update(*, actor, requisition: Requisition, version: Any, data: dict) -> Requisition:
    """A draft, by its requester: the header fields given, and all lines when "lines" is given."""
    sel.requisition_get(actor=actor, pk=requisition.pk, mode="edit")
    req = _lock(requisition, version, RequisitionState.DRAFT)
    before = str(req.estimated_total)
    errors: dict = {}
    _header(errors, actor, req, data, creating=False)
    lines = None
    if "lines" in data:
        try:
            lines = _lines(actor, data["lines"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if lines is not None:
        _store(req, lines)
    req.version += 1
    req.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=req,
        changes={"estimated_total": [before, str(req.estimated_total)]},
    )
    return req


@transaction.atomic
def requisition_submit(*, actor, requisition: Requisition, version: Any) -> Requisition:
    """Draft → to approve; approved at once when the rule that applies needs no approval."""
    from guanxi.core.services.approvals import approval_submit

    sel.requisition_get(actor=actor, pk=requisition.pk, mode="edit")
    req = _lock(requisition, version, RequisitionState.DRAFT)
    request = approval_submit(actor=actor, obj=req)
    req.refresh_from_db()
    if request.status == "pending":
        Requisition.objects.filter(pk=req.pk).update(state=RequisitionState.PENDING, version=req.version + 1)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=req,
            changes={"state": [RequisitionState.DRAFT, RequisitionState.PENDING]},
        )
    req.refresh_from_db()
    return req


def requisition_approved(requisition: Requisition) -> None:
    """The approvals block's hook (in the approval's transaction): approved, for the buyers to source."""
    Requisition.objects.filter(
        pk=requisition.pk, state__in=[RequisitionState.DRAFT, RequisitionState.PENDING]
    ).update(state=RequisitionState.APPROVED, decided_at=timezone.now(), version=requisition.version + 1)


def requisition_rejected(requisition: Requisition) -> None:
    Requisition.objects.filter(pk=requisition.pk, state=RequisitionState.PENDING).update(
        state=RequisitionState.REJECTED, decided_at=timezone.now(), version=requisition.version + 1
    )


def requisition_withdrawn(requisition: Requisition) -> None:
    Requisition.objects.filter(pk=requisition.pk, state=RequisitionState.PENDING).update(
        state=RequisitionState.DRAFT, version=requisition.version + 1
    )


@transaction.atomic
def requisition_cancel(*, actor, requisition: Requisition, version: Any) -> Requisition:
    """The requester takes it back (draft, waiting or approved, not yet sourced); a waiting approval ends."""
    from guanxi.core.services.approvals import approval_end_for

    sel.requisition_get(actor=actor, pk=requisition.pk, mode="edit")
    req = _lock(
        requisition, version, RequisitionState.DRAFT, RequisitionState.PENDING, RequisitionState.APPROVED
    )
    old = req.state
    approval_end_for(actor=actor, obj=req, reason="requisition cancelled")
    Requisition.objects.filter(pk=req.pk).update(state=RequisitionState.CANCELLED, version=req.version + 1)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=req,
        changes={"state": [old, RequisitionState.CANCELLED]},
    )
    req.refresh_from_db()
    return req


def _approved_locked(actor, ids: list[Any]) -> list[Requisition]:
    if not sel.may_process(actor):
        raise PermissionDeniedError()
    wanted = sorted({n for n in (small_int(x) for x in ids) if n})
    if not wanted:
        raise ValidationError({"requisitions": _("Choose at least one approved requisition.")})
    rows = list(Requisition.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    bad = [r.number for r in rows if r.state != RequisitionState.APPROVED]
    if len(rows) != len(wanted) or bad:
        raise ValidationError(
            {
                "requisitions": _("Only approved requisitions not yet sourced can be: %(numbers)s.")
                % {"numbers": ", ".join(bad) or "—"}
            }
        )
    return rows


def _combined(rows: list[Requisition]) -> list[tuple[dict, list[RequisitionLine]]]:
    """The lines of all the requisitions, one per product (quantities added; the earliest date), text lines
    each on their own."""
    merged: dict[Any, tuple[dict, list[RequisitionLine]]] = {}
    for req in rows:
        for ln in req.lines.select_related("product", "unit").order_by("position"):
            key = (ln.product_id, ln.unit_id) if ln.product_id else ("text", ln.pk)
            if key not in merged:
                merged[key] = (
                    {
                        "product": ln.product_id,
                        "description": ln.description,
                        "quantity": Decimal(0),
                        "unit": ln.unit_id,
                        "needed_by": req.needed_by,
                        "price": ln.estimated_price,
                    },
                    [],
                )
            item, sources = merged[key]
            item["quantity"] += ln.quantity
            item["needed_by"] = min(item["needed_by"], req.needed_by)
            sources.append(ln)
    return list(merged.values())


def _mark_sourced(actor, rows: list[Requisition], where: str) -> None:
    for req in rows:
        Requisition.objects.filter(pk=req.pk).update(state=RequisitionState.SOURCED, version=req.version + 1)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=req,
            changes={
                "state": [RequisitionState.APPROVED, RequisitionState.SOURCED],
                "sourced_in": [None, where],
            },
        )


@transaction.atomic
def requisitions_to_rfq(*, actor, requisitions: list[Any], title: Any = "", deadline: Any = None) -> Rfq:
    """A draft RFQ from approved requisitions (the buyer invites suppliers and publishes it)."""
    from guanxi.procurement.services.rfqs import rfq_create

    rows = _approved_locked(actor, requisitions)
    combined = _combined(rows)
    rfq = rfq_create(
        actor=actor,
        data={
            "title": title or ", ".join(r.number for r in rows),
            "deadline": deadline or (timezone.localtime() + dt.timedelta(days=7)).replace(hour=17, minute=0),
            "notes": "\n".join(f"{r.number}: {r.justification}" for r in rows)[:5000],
            "lines": [{k: v for k, v in item.items() if k != "price"} for item, _src in combined],
        },
    )
    for line, (_item, sources) in zip(rfq.lines.order_by("position"), combined, strict=True):
        RequisitionLine.objects.filter(pk__in=[s.pk for s in sources]).update(rfq_line=line)
    _mark_sourced(actor, rows, rfq.number)
    return rfq


@transaction.atomic
def requisitions_to_order(*, actor, requisitions: list[Any], supplier: Any) -> PurchaseOrder:
    """A draft purchase order to one supplier from approved requisitions (prices: the supplier's price
    information, else the estimate)."""
    from guanxi.procurement.services.orders import order_create

    rows = _approved_locked(actor, requisitions)
    combined = _combined(rows)
    party = small_int(supplier) or rows[0].supplier_id or 0
    priced = prices_for_order(
        supplier_id=party,
        currency=rows[0].currency_id,
        product_ids=[item["product"] for item, _src in combined if item["product"]],
        on=timezone.localdate(),
    )
    order = order_create(
        actor=actor,
        data={
            "supplier": party or "",
            "currency": rows[0].currency_id,
            "notes": ", ".join(r.number for r in rows),
            "lines": [
                {
                    "product": item["product"],
                    "description": item["description"],
                    "quantity": item["quantity"],
                    "unit": item["unit"],
                    "requested_date": item["needed_by"],
                    **(
                        {}
                        if item["product"] in priced or not item["price"]
                        else {"unit_price": item["price"]}
                    ),
                }
                for item, _src in combined
            ],
        },
    )
    for line, (_item, sources) in zip(order.lines.order_by("position"), combined, strict=True):
        RequisitionLine.objects.filter(pk__in=[s.pk for s in sources]).update(order_line=line)
    _mark_sourced(actor, rows, order.number)
    return order

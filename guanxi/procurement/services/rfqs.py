"""Writes of requests for quotation (询价单) before the quotes: create and edit a draft (title, the currency of
the comparison, the deadline, lines, weighted criteria), invite suppliers (approved or preferred ones; another
one only with a reason, a blocked one never), publish (from then on quotes are taken, sealed, until the
deadline), move the deadline later, cancel. Quotes, opening and further rounds: services.quotes; the award and
the purchase orders: services.awards. Each write is one transaction with its audit entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_datetime, clean_number, clean_text, small_int
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import currency_check
from guanxi.core.selectors.companies import company_default
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.parties.choices import SupplierStatus
from guanxi.parties.services.common import default_team_id
from guanxi.procurement.choices import SCORED_BY_HAND, CriterionKind, RfqState
from guanxi.procurement.models import Rfq, RfqCriterion, RfqInvitation, RfqLine
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.services.items import clean_items
from guanxi.suppliers.selectors.categories import suppliers_of
from guanxi.suppliers.selectors.suppliers import supplier_scope
from guanxi.suppliers.services.lifecycle import may_receive_orders

NUMBERS = "procurement.rfq"
MAX_LINES = 500
DEFAULT_CRITERIA = [
    {"kind": CriterionKind.PRICE, "weight": 70},
    {"kind": CriterionKind.LEAD_TIME, "weight": 15},
    {"kind": CriterionKind.PAYMENT_TERMS, "weight": 15},
]


def require_changer(actor) -> None:
    if not sel.may_change(actor):
        raise PermissionDeniedError()


def lock(rfq: Rfq, version: Any, *states: str) -> Rfq:
    """The RFQ locked for the write, at the version the user saw and in one of `states`."""
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("Reload the request for quotation and try again.")}) from exc
    current = Rfq.objects.select_for_update().get(pk=rfq.pk)
    if current.version != seen:
        raise ConflictError()
    if states and current.state not in states:
        raise ValidationError(
            {
                "state": _("Not possible while the RFQ is “%(state)s”.")
                % {"state": current.get_state_display()}
            }
        )
    return current


def bump(rfq: Rfq, **fields) -> None:
    for k, v in fields.items():
        setattr(rfq, k, v)
    rfq.version += 1
    rfq.save(update_fields=[*fields, "version"])


def audit(actor, action: str, rfq: Rfq, changes: dict, also=()) -> None:
    audit_record(actor=actor, action=action, target=rfq, changes=changes, also=list(also))


def _lines(actor, raw: list[dict]) -> list[dict]:
    def needed_by(errors: dict, key: str, x: dict) -> dict:
        return {"needed_by": clean_date(errors, f"{key}.needed_by", x.get("needed_by"))}

    return clean_items(actor, raw, limit=MAX_LINES, more=needed_by)


def _criteria(raw: list[dict]) -> list[dict]:
    errors: dict = {}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, x in enumerate(raw):
        key = f"criteria[{i}]"
        kind = str(x.get("kind") or "")
        if kind not in CriterionKind.values:
            errors[f"{key}.kind"] = _("Choose a criterion from the list.")
            continue
        name = clean_text(errors, f"{key}.name", x.get("name"), max_length=100)
        if kind == CriterionKind.CUSTOM and not name:
            errors[f"{key}.name"] = _("Name the criterion.")
        elif kind != CriterionKind.CUSTOM and kind in seen:
            errors[f"{key}.kind"] = _("This criterion is listed twice.")
        seen.add(kind)
        weight = clean_number(
            errors, f"{key}.weight", x.get("weight"), places=0, low=Decimal(1), high=Decimal(100)
        )
        if weight is not None:
            out.append(
                {"kind": kind, "name": name if kind == CriterionKind.CUSTOM else "", "weight": int(weight)}
            )
    if not errors and sum(c["weight"] for c in out) != 100:
        errors["criteria"] = _("The weights add up to %(n)d%%: make them 100%%.") % {
            "n": sum(c["weight"] for c in out)
        }
    if not errors and not any(c["kind"] == CriterionKind.PRICE for c in out):
        errors["criteria"] = _("Price is always one of the criteria.")
    if errors:
        raise ValidationError(errors)
    return out


def _header(errors: dict, rfq: Rfq, data: dict, creating: bool) -> None:
    if creating or "title" in data:
        rfq.title = clean_text(errors, "title", data.get("title"), max_length=200, required=True)
    if creating or "currency" in data:
        try:
            rfq.currency = currency_check(data.get("currency") or "CNY", field="currency")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if creating or "deadline" in data:
        deadline = clean_datetime(errors, "deadline", data.get("deadline"), required=True)
        if deadline is not None and deadline <= timezone.now():
            errors["deadline"] = _("Give a deadline in the future.")
        elif deadline is not None:
            rfq.deadline = deadline
    if "notes" in data:
        rfq.notes = clean_text(errors, "notes", data["notes"], max_length=5000, multiline=True)


def _store(rfq: Rfq, lines: list[dict] | None, criteria: list[dict] | None) -> None:
    if lines is not None:
        rfq.lines.all().delete()
        RfqLine.objects.bulk_create([RfqLine(rfq=rfq, **x) for x in lines])
    if criteria is not None:
        rfq.criteria.all().delete()
        RfqCriterion.objects.bulk_create([RfqCriterion(rfq=rfq, **c) for c in criteria])


@transaction.atomic
def rfq_create(*, actor, data: dict) -> Rfq:
    require_changer(actor)
    company = company_default()
    if company is None:
        raise ValidationError({"company": _("Set up our company first (Settings → Our companies).")})
    rfq = Rfq(company=company, owner=actor, team_id=default_team_id(actor), created_by=actor)
    errors: dict = {}
    _header(errors, rfq, data, creating=True)
    lines = criteria = None
    try:
        lines = _lines(actor, data.get("lines") or [])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        criteria = _criteria(data.get("criteria") or DEFAULT_CRITERIA)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    rfq.number = number_next(doc_type=NUMBERS, company=company, on=timezone.localdate())
    rfq.save()
    _store(rfq, lines, criteria)
    audit(actor, AuditAction.CREATE, rfq, {"number": [None, rfq.number], "title": [None, rfq.title]})
    return rfq


@transaction.atomic
def rfq_update(*, actor, rfq: Rfq, version: Any, data: dict) -> Rfq:
    """A draft's header, lines (all of them, when given) and criteria (all, when given)."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.DRAFT)
    before = {"title": r.title, "deadline": r.deadline.isoformat(), "currency": r.currency_id}
    errors: dict = {}
    _header(errors, r, data, creating=False)
    lines = criteria = None
    try:
        lines = _lines(actor, data["lines"]) if "lines" in data else None
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        criteria = _criteria(data["criteria"]) if "criteria" in data else None
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    r.version += 1
    r.save()
    _store(r, lines, criteria)
    after = {"title": r.title, "deadline": r.deadline.isoformat(), "currency": r.currency_id}
    changes: dict[str, list] = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if lines is not None:
        changes["lines"] = [None, len(lines)]
    audit(actor, AuditAction.UPDATE, r, changes)
    return r


def invite_refusal(party, reason: str, of_category: bool = True) -> str:
    """Why this supplier may not be invited ("" when it may). `of_category`: it supplies a category of the
    RFQ's products (or one above or below it), or their products have none."""
    if party.supplier_status in (SupplierStatus.BLOCKED, SupplierStatus.PHASED_OUT) or party.archived_at:
        return _("%(name)s is %(status)s: it cannot receive requests for quotation.") % {
            "name": party.name,
            "status": party.get_supplier_status_display() if not party.archived_at else _("archived"),
        }
    if not may_receive_orders(party) and not reason:
        return _(
            "%(name)s is %(status)s: invite approved or preferred suppliers, or give a reason for this one."
        ) % {"name": party.name, "status": party.get_supplier_status_display() or _("not a supplier")}
    if not of_category and not reason:
        return _(
            "%(name)s does not supply the categories of these products: invite their suppliers, or give a reason "
            "for this one."
        ) % {"name": party.name}
    return ""


def _of_category(rfq: Rfq, party) -> bool:
    categories = sel.rfq_categories(rfq)
    return not categories or party.pk in suppliers_of(categories)


@transaction.atomic
def rfq_invite(*, actor, rfq: Rfq, version: Any, supplier: Any, reason: str = "") -> RfqInvitation:
    """Invite a supplier (a draft, or an RFQ open for quotes before its deadline)."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.DRAFT, RfqState.OPEN)
    if r.state == RfqState.OPEN and r.deadline <= timezone.now():
        raise ValidationError({"supplier": _("The deadline has passed: open the quotes instead.")})
    errors: dict = {}
    why = clean_text(errors, "reason", reason, max_length=500)
    party = supplier_scope(actor=actor).filter(pk=small_int(supplier) or 0).first()
    if party is None:
        errors["supplier"] = _("Choose a supplier you can see.")
    elif refusal := invite_refusal(party, why, of_category := _of_category(r, party)):
        errors["supplier" if "reason" not in errors else "reason"] = refusal
    elif r.invitations.filter(supplier=party).exists():
        errors["supplier"] = _("%(name)s is invited already.") % {"name": party.name}
    if errors or party is None:
        raise ValidationError(errors)
    inv = RfqInvitation.objects.create(
        rfq=r,
        supplier=party,
        override_reason=why if not may_receive_orders(party) or not of_category else "",
        created_by=actor,
    )
    bump(r)
    audit(
        actor,
        AuditAction.UPDATE,
        r,
        {"invited": [None, party.name], **({"reason": [None, why]} if why else {})},
        also=[party],
    )
    return inv


@transaction.atomic
def rfq_uninvite(*, actor, rfq: Rfq, version: Any, invitation: Any) -> None:
    """Take a supplier off a draft's list (once published, an invitation stays: the supplier may decline)."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.DRAFT)
    inv = r.invitations.select_related("supplier").filter(pk=small_int(invitation) or 0).first()
    if inv is None:
        raise ValidationError({"invitation": _("This supplier is not invited.")})
    inv.delete()
    bump(r)
    audit(actor, AuditAction.UPDATE, r, {"invited": [inv.supplier.name, None]})


@transaction.atomic
def rfq_publish(*, actor, rfq: Rfq, version: Any) -> Rfq:
    """Draft → open for quotes: from now on quotes are taken (sealed) until the deadline."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.DRAFT)
    errors = {}
    if r.deadline <= timezone.now():
        errors["deadline"] = _("The deadline has passed: give a later one.")
    if not r.lines.exists():
        errors["lines"] = _("Add at least one line.")
    if not r.invitations.exists():
        errors["supplier"] = _("Invite at least one supplier.")
    if errors:
        raise ValidationError(errors)
    bump(r, state=RfqState.OPEN, published_at=timezone.now())
    audit(actor, AuditAction.UPDATE, r, {"state": [RfqState.DRAFT, RfqState.OPEN]})
    return r


@transaction.atomic
def rfq_extend(*, actor, rfq: Rfq, version: Any, deadline: Any) -> Rfq:
    """Move the deadline of an RFQ open for quotes later (never earlier: suppliers count on it)."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.OPEN)
    errors: dict = {}
    new = clean_datetime(errors, "deadline", deadline, required=True)
    if new is not None and (new <= r.deadline or new <= timezone.now()):
        errors["deadline"] = _("Give a deadline later than the current one.")
    if errors:
        raise ValidationError(errors)
    old = r.deadline
    bump(r, deadline=new)
    audit(actor, AuditAction.UPDATE, r, {"deadline": [old.isoformat(), r.deadline.isoformat()]})
    return r


@transaction.atomic
def rfq_cancel(*, actor, rfq: Rfq, version: Any, reason: Any) -> Rfq:
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.DRAFT, RfqState.OPEN, RfqState.OPENED)
    errors: dict = {}
    why = clean_text(errors, "reason", reason, max_length=500, required=True)
    if errors:
        raise ValidationError(errors)
    old = r.state
    bump(r, state=RfqState.CANCELLED, cancelled_at=timezone.now(), cancel_reason=why)
    audit(actor, AuditAction.UPDATE, r, {"state": [old, RfqState.CANCELLED], "reason": [None, why]})
    return r


def hand_scored(rfq: Rfq) -> list[RfqCriterion]:
    return [c for c in rfq.criteria.all() if c.kind in SCORED_BY_HAND]

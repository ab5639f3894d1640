"""The suppliers' quotes (报价) on an RFQ: entered by a buyer (until the supplier portal lets suppliers enter
them) while the RFQ is open and before its deadline, checked at once, then **sealed** — encrypted, with only
who quoted and when in the clear; a second quote of the same supplier in the same round replaces the first.
A supplier may decline instead. Opening (开标): after the deadline by whoever may change the RFQ, or earlier by
a Procurement Manager with a reason (rfq.open_early; audited); the sealed quotes become readable lines. After
opening: the buyer's scores on the criteria scored by hand, and a further round (best and final offer) that
keeps every earlier round. Every write locks the RFQ row, so a quote and the opening never cross."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_datetime, clean_number, clean_text, small_int
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_price, currency_check
from guanxi.procurement.choices import SCORED_BY_HAND, QuoteState, RfqState
from guanxi.procurement.models import QuoteScore, Rfq, RfqInvitation, SupplierQuote, SupplierQuoteLine
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.services.rfqs import audit, bump, lock, require_changer
from guanxi.procurement.services.sealing import seal, unseal


def _locked_open(actor, rfq: Rfq) -> Rfq:
    """The RFQ locked (no version: buyers enter quotes for different suppliers at once), open, before its
    deadline."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = Rfq.objects.select_for_update().get(pk=rfq.pk)
    if r.state != RfqState.OPEN:
        raise ValidationError(
            {
                "state": _("This RFQ takes no quotes now (it is “%(state)s”).")
                % {"state": r.get_state_display()}
            }
        )
    if r.deadline <= timezone.now():
        raise ValidationError({"state": _("The deadline has passed: late quotes are not taken.")})
    return r


def _invitation(r: Rfq, supplier: Any) -> RfqInvitation:
    inv = r.invitations.select_related("supplier").filter(supplier_id=small_int(supplier) or 0).first()
    if inv is None:
        raise ValidationError({"supplier": _("This supplier is not invited to this RFQ.")})
    return inv


def clean_quote(r: Rfq, data: dict) -> dict:
    """The quote's contents, checked (every problem at once): currency, payment days, validity, notes and per
    RFQ line a unit price (without tax) and the lead time in days. A line left out is not quoted."""
    errors: dict = {}
    out: dict[str, Any] = {}
    try:
        out["currency"] = currency_check(data.get("currency") or r.currency_id, field="currency").code
    except ValidationError as exc:
        errors.update(exc.message_dict)
    days = clean_number(
        errors, "payment_days", data.get("payment_days") or 0, places=0, low=Decimal(0), high=Decimal(365)
    )
    out["payment_days"] = int(days) if days is not None else 0
    valid = clean_date(errors, "valid_until", data.get("valid_until"))
    if valid is not None and valid < timezone.localdate():
        errors["valid_until"] = _("The quote is no longer valid on that date.")
    out["valid_until"] = valid.isoformat() if valid else None
    out["notes"] = clean_text(errors, "notes", data.get("notes"), max_length=2000, multiline=True)
    known = set(r.lines.values_list("pk", flat=True))
    lines: dict[str, dict] = {}
    for i, x in enumerate(data.get("lines") or []):
        key = f"lines[{i}]"
        line = small_int(x.get("rfq_line"))
        if line not in known:
            errors[f"{key}.rfq_line"] = _("Choose a line of this RFQ.")
            continue
        if x.get("unit_price") in (None, ""):
            continue  # not quoted
        if str(line) in lines:
            errors[f"{key}.rfq_line"] = _("This line is quoted twice.")
            continue
        try:
            price = clean_price(x.get("unit_price"), field=f"{key}.unit_price")
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        lead = clean_number(
            errors, f"{key}.lead_days", x.get("lead_days") or 0, places=0, low=Decimal(0), high=Decimal(3650)
        )
        note = clean_text(errors, f"{key}.note", x.get("note"), max_length=500)
        if lead is not None:
            lines[str(line)] = {"unit_price": str(price), "lead_days": int(lead), "note": note}
    if not lines and not errors:
        errors["lines"] = _("Quote a price for at least one line.")
    if errors:
        raise ValidationError(errors)
    out["lines"] = lines
    return out


@transaction.atomic
def quote_submit(*, actor, rfq: Rfq, supplier: Any, data: dict) -> SupplierQuote:
    """Enter a supplier's quote; it is sealed at once. Returns the quote (its contents are not on it)."""
    r = _locked_open(actor, rfq)
    inv = _invitation(r, supplier)
    contents = clean_quote(r, data)
    now = timezone.now()
    earlier = SupplierQuote.objects.filter(
        rfq=r, supplier=inv.supplier, round=r.round, state=QuoteState.SEALED
    )
    replaced = earlier.update(state=QuoteState.REPLACED, sealed="")
    quote = SupplierQuote.objects.create(
        rfq=r, supplier=inv.supplier, round=r.round, received_at=now, entered_by=actor, sealed=seal(contents)
    )
    inv.answered_at = inv.answered_at or now
    if inv.declined_round == r.round:  # it declined this round, then quoted after all
        inv.declined_at, inv.declined_round, inv.decline_reason = None, None, ""
    inv.save(update_fields=["answered_at", "declined_at", "declined_round", "decline_reason"])
    what = "quote_replaced" if replaced else "quote_received"
    audit(
        actor,
        AuditAction.UPDATE,
        r,
        {what: [None, inv.supplier.name], "round": [None, r.round]},
        also=[inv.supplier],
    )
    return quote


@transaction.atomic
def quote_decline(*, actor, rfq: Rfq, supplier: Any, reason: Any = "") -> RfqInvitation:
    """The supplier will not quote (when is kept: an explicit decline is an answer)."""
    r = _locked_open(actor, rfq)
    inv = _invitation(r, supplier)
    if SupplierQuote.objects.filter(
        rfq=r, supplier=inv.supplier, round=r.round, state=QuoteState.SEALED
    ).exists():
        raise ValidationError(
            {"supplier": _("%(name)s has quoted in this round.") % {"name": inv.supplier.name}}
        )
    errors: dict = {}
    why = clean_text(errors, "reason", reason, max_length=500)
    if errors:
        raise ValidationError(errors)
    inv.declined_at = timezone.now()
    inv.declined_round = r.round
    inv.decline_reason = why
    inv.save(update_fields=["declined_at", "declined_round", "decline_reason"])
    audit(actor, AuditAction.UPDATE, r, {"declined": [None, inv.supplier.name]}, also=[inv.supplier])
    return inv


def _unseal_into(quote: SupplierQuote) -> None:
    contents = unseal(quote.sealed)
    quote.currency_id = contents["currency"]
    quote.payment_days = contents["payment_days"]
    quote.valid_until = contents["valid_until"]
    quote.notes = contents["notes"]
    quote.sealed = ""
    quote.state = QuoteState.OPENED
    quote.save()
    SupplierQuoteLine.objects.bulk_create(
        SupplierQuoteLine(
            quote=quote,
            rfq_line_id=int(line),
            unit_price=Decimal(x["unit_price"]),
            lead_days=x["lead_days"],
            note=x["note"],
        )
        for line, x in contents["lines"].items()
    )


@transaction.atomic
def rfq_open(*, actor, rfq: Rfq, version: Any, reason: Any = "") -> Rfq:
    """Open the sealed quotes (开标). After the deadline: whoever may change the RFQ. Before: only with
    rfq.open_early and a reason, recorded on the RFQ and in its history."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.OPEN)
    early = timezone.now() < r.deadline
    errors: dict = {}
    why = clean_text(errors, "reason", reason, max_length=500)
    if early and not sel.may_open_early(actor):
        raise PermissionDeniedError(
            _("The quotes are sealed until %(deadline)s: only a Procurement Manager may open them earlier.")
            % {"deadline": timezone.localtime(r.deadline).strftime("%Y-%m-%d %H:%M")}
        )
    if early and not why and not errors:
        errors["reason"] = _("Say why the quotes are opened before the deadline.")
    if errors:
        raise ValidationError(errors)
    sealed = list(SupplierQuote.objects.filter(rfq=r, round=r.round, state=QuoteState.SEALED))
    for quote in sealed:
        _unseal_into(quote)
    bump(
        r,
        state=RfqState.OPENED,
        opened_at=timezone.now(),
        opened_by=actor,
        opened_early_reason=why if early else "",
    )
    changes: dict = {"state": [RfqState.OPEN, RfqState.OPENED], "quotes": [None, len(sealed)]}
    if early:
        changes["opened_early"] = [None, why]
    audit(actor, AuditAction.UPDATE, r, changes)
    return r


@transaction.atomic
def rfq_new_round(*, actor, rfq: Rfq, version: Any, deadline: Any) -> Rfq:
    """A further round (best and final offer): the RFQ is open again until the new deadline; every earlier
    round's quotes stay, opened, and so do the declines (with their round)."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.OPENED)
    errors: dict = {}
    new = clean_datetime(errors, "deadline", deadline, required=True)
    if new is not None and new <= timezone.now():
        errors["deadline"] = _("Give a deadline in the future.")
    if errors:
        raise ValidationError(errors)
    bump(
        r,
        state=RfqState.OPEN,
        round=r.round + 1,
        deadline=new,
        opened_at=None,
        opened_by=None,
        opened_early_reason="",
    )
    audit(
        actor,
        AuditAction.UPDATE,
        r,
        {"round": [r.round - 1, r.round], "state": [RfqState.OPENED, RfqState.OPEN]},
    )
    return r


@transaction.atomic
def quote_scores_set(*, actor, rfq: Rfq, version: Any, scores: dict) -> Rfq:
    """The buyer's scores (0–100) on the criteria scored by hand: {quote id: {criterion id: score}}; an empty
    score removes it."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.OPENED)
    criteria = {c.pk: c for c in r.criteria.filter(kind__in=SCORED_BY_HAND)}
    quotes = {q.pk: q for q in SupplierQuote.objects.filter(rfq=r, round=r.round, state=QuoteState.OPENED)}
    errors: dict = {}
    rows: list[tuple[int, int, int | None]] = []
    for qid, per in (scores or {}).items():
        for cid, value in (per or {}).items():
            key = f"scores.{qid}.{cid}"
            if small_int(qid) not in quotes or small_int(cid) not in criteria:
                errors[key] = _("Score an opened quote of this round on a criterion scored by hand.")
                continue
            if value in (None, ""):
                rows.append((int(qid), int(cid), None))
                continue
            number = clean_number(errors, key, value, places=0, low=Decimal(0), high=Decimal(100))
            if number is not None:
                rows.append((int(qid), int(cid), int(number)))
    if errors:
        raise ValidationError(errors)
    for qid, cid, n in rows:
        QuoteScore.objects.filter(quote_id=qid, criterion_id=cid).delete()
        if n is not None:
            QuoteScore.objects.create(quote_id=qid, criterion_id=cid, score=n)
    bump(r)
    audit(actor, AuditAction.UPDATE, r, {"scores": [None, len(rows)]})
    return r

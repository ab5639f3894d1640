"""Writes of quotes (报价单): create (from an opportunity or from scratch), update while a draft, submit (the
approvals block decides, by the rules an administrator sets on the largest discount and the amount; without a
rule a quote is ready at once), send (e-mailed as a PDF in the customer's language), revise (a new draft that
keeps the sent one), accept (a sales order is made and the customer becomes active), reject, and expire (a
scheduled job). Each is one transaction with its audit entry on the quote and its customer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import Company
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import currency_check
from guanxi.core.roles import grants_for
from guanxi.core.selectors.companies import company_default
from guanxi.core.services.audit import audit_record
from guanxi.core.services.numbering import number_next
from guanxi.crm.choices import QuoteState
from guanxi.crm.models import Quote, QuoteLine
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.selectors.opportunities import opportunity_visible
from guanxi.crm.services import quote_pricing
from guanxi.crm.services.quote_lines import clean_lines
from guanxi.crm.services.quote_totals import LineAmounts, document_totals
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.services.common import default_team_id

DOC = "crm.quote"
VALID_DAYS = 30


def require_changer(actor) -> None:
    if not grants_for(actor).can(Action.QUOTE_CHANGE):
        raise PermissionDeniedError()


def _lock(quote: Quote, version: Any) -> Quote:
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("Reload the quote and try again.")}) from exc
    current = Quote.objects.select_for_update().get(pk=quote.pk)
    if current.version != seen:
        raise ConflictError()
    return current


def _header(errors: dict, actor, q: Quote, data: dict, creating: bool) -> None:
    if creating or "customer" in data:
        pk = _int(data.get("customer"))
        party = party_visible(actor=actor).filter(pk=pk).first() if pk and 0 < pk < 2**63 else None
        if party is None or party.archived_at or (party.is_supplier and not party.is_customer):
            errors["customer"] = _("Choose a customer you can see.")
        else:
            q.customer = party
    if "opportunity" in data and data["opportunity"] not in (None, ""):
        o = opportunity_visible(actor=actor).filter(pk=_int(data["opportunity"])).first()
        if o is None or (q.customer_id and o.customer_id != q.customer_id):
            errors["opportunity"] = _("Choose an opportunity of this customer.")
        else:
            q.opportunity = o
    if "contact" in data:
        value = data["contact"]
        q.contact = None
        if value not in (None, ""):
            q.contact = party_visible(actor=actor).filter(pk=_int(value), kind="person").first()
            if q.contact is None:
                errors["contact"] = _("Choose people you can see.")
    if creating or "currency" in data:
        code = data.get("currency") or (q.opportunity.currency_id if q.opportunity is not None else None)
        code = code or (getattr(q.company, "default_currency", None) or "CNY")
        try:
            q.currency = currency_check(code, field="currency")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if creating or "valid_until" in data:
        value = data.get("valid_until") or (timezone.localdate() + dt.timedelta(days=VALID_DAYS))
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            if not 1900 <= day.year <= 2200:
                raise ValueError
            q.valid_until = day
        except ValueError:
            errors["valid_until"] = _("Enter a date (YYYY-MM-DD).")
    if creating or "language" in data:
        lang = data.get("language") or (q.customer.preferred_language if q.customer_id else "") or ""
        if lang and lang not in ("en", "zh-hans"):
            errors["language"] = _("Choose English or Chinese.")
        q.language = lang
    if "notes" in data:
        q.notes = clean_text(errors, "notes", data["notes"], max_length=5000, multiline=True)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _set_lines(q: Quote, lines: list[dict]) -> None:
    q.lines.all().delete()
    QuoteLine.objects.bulk_create(QuoteLine(quote=q, **line) for line in lines)
    totals = document_totals(
        [LineAmounts(x["net"], x["tax"], x["gross"]) for x in lines], [x["discount_percent"] for x in lines]
    )
    q.net_total, q.tax_total, q.gross_total, q.max_discount = (
        totals.net,
        totals.tax,
        totals.gross,
        totals.max_discount,
    )


def _audit(actor, action: str, q: Quote, changes: dict) -> None:
    audit_record(actor=actor, action=action, target=q, changes=changes, also=[q.customer])


@transaction.atomic
def quote_create(*, actor, data: dict, previous: Quote | None = None) -> Quote:
    require_changer(actor)
    company = (
        Company.objects.filter(pk=_int(data.get("company"))).first()
        if data.get("company")
        else company_default()
    )
    if company is None:
        raise ValidationError(
            {
                "company": _(
                    "Set up our company first (Settings → Our companies): quotes carry its letterhead."
                )
            }
        )
    q = Quote(company=company, owner=actor, team_id=default_team_id(actor), created_by=actor)
    errors: dict = {}
    _header(errors, actor, q, data, creating=True)
    quote_pricing.choose_price_list(errors, actor, q, data, currency_changed=True)
    if errors:
        raise ValidationError(errors)
    raw = data.get("lines") or []
    book = quote_pricing.book_for(q, raw)
    lines = clean_lines(
        actor=actor, lines=raw, currency=q.currency_id, language=q.language or "en", prices=book
    )
    quote_pricing.record_price_list(q, book)
    if previous is not None:
        q.number, q.revision, q.previous = (
            previous.number.split("-R")[0] + f"-R{previous.revision + 1}",
            previous.revision + 1,
            previous,
        )
    else:
        q.number = number_next(doc_type=DOC, company=company)
    q.save()
    _set_lines(q, lines)
    q.save()
    _audit(
        actor, AuditAction.CREATE, q, {"number": [None, q.number], "gross_total": [None, str(q.gross_total)]}
    )
    return q


@transaction.atomic
def quote_update(*, actor, quote: Quote, version: Any, data: dict) -> Quote:
    require_changer(actor)
    sel.quote_get(actor=actor, pk=quote.pk, mode="edit")
    q = _lock(quote, version)
    if not q.is_editable:
        raise ValidationError({"state": _("A quote that is submitted or sent is not changed: revise it.")})
    before, currency = str(q.gross_total), q.currency_id
    errors: dict = {}
    _header(errors, actor, q, data, creating=False)
    changed = q.currency_id != currency
    quote_pricing.choose_price_list(errors, actor, q, data, currency_changed=changed)
    if errors:
        raise ValidationError(errors)
    if "lines" in data or "currency" in data:
        raw = data.get("lines")
        if raw is None:
            raw = [_line_dict(x) for x in q.lines.all()]
            if changed:  # the prices were in the other currency: never keep the numbers as they were
                raw = _repriced(raw, q.currency_id)
        book = quote_pricing.book_for(q, raw)
        lang = q.language or "en"
        _set_lines(q, clean_lines(actor=actor, lines=raw, currency=q.currency_id, language=lang, prices=book))
        quote_pricing.record_price_list(q, book)
    q.version += 1
    q.save()
    _audit(actor, AuditAction.UPDATE, q, {"gross_total": [before, str(q.gross_total)]})
    return q


def _repriced(raw: list[dict], currency: str) -> list[dict]:
    """The lines of a quote whose currency changed: a product's price is taken again in the new currency (its
    price list's or the catalogue's); a free-text line has no price to take, so the user must give it."""
    errors = {
        f"lines[{i}].unit_price": _("The currency changed: give this line's unit price in %(currency)s.")
        % {"currency": currency}
        for i, row in enumerate(raw)
        if not row["product"]
    }
    if errors:
        raise ValidationError(errors)
    return [{**row, "unit_price": None} for row in raw]


def _line_dict(line: QuoteLine) -> dict:
    return {
        "product": line.product_id,
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit_id,
        "unit_price": line.unit_price,
        "discount_percent": line.discount_percent,
        "tax_rate": line.tax_rate_id,
    }


def _set_state(actor, q: Quote, state: str, **fields) -> Quote:
    before = q.state
    q.state = state
    for k, v in fields.items():
        setattr(q, k, v)
    q.version += 1
    q.save()
    _audit(
        actor, AuditAction.UPDATE, q, {"state": [str(QuoteState(before).label), str(QuoteState(state).label)]}
    )
    return q


@transaction.atomic
def quote_submit(*, actor, quote: Quote, version: Any) -> Quote:
    """Draft → waiting for approval (a rule asks for it) or ready to send (no rule, or a rule that needs none)."""
    from guanxi.core.models import ApprovalRule
    from guanxi.core.services.approvals import approval_submit

    require_changer(actor)
    sel.quote_get(actor=actor, pk=quote.pk, mode="edit")
    q = _lock(quote, version)
    if q.state != QuoteState.DRAFT:
        raise ValidationError({"state": _("Only a draft is submitted.")})
    if not ApprovalRule.objects.filter(document_type=DOC, is_active=True).exists():
        return _set_state(actor, q, QuoteState.APPROVED)
    request = approval_submit(actor=actor, obj=q)
    q.refresh_from_db()
    if request.status == "pending":
        return _set_state(actor, q, QuoteState.PENDING)
    return q  # approved at once: on_approved has set the state


def quote_decided(quote: Quote, state: str) -> None:
    """What an approval decision does (called by the approvals block, which audits the decision)."""
    # Pending: an approver decided. Draft: a rule said "no approval needed" while the quote was being submitted.
    Quote.objects.filter(pk=quote.pk, state__in=[QuoteState.PENDING, QuoteState.DRAFT]).update(
        state=state, version=quote.version + 1
    )


@transaction.atomic
def quote_send(*, actor, quote: Quote, version: Any, email: str = "") -> Quote:
    """Ready → sent; with an e-mail address, the PDF goes there (in the background, after the commit)."""
    from django.core.validators import validate_email

    require_changer(actor)
    sel.quote_get(actor=actor, pk=quote.pk, mode="edit")
    q = _lock(quote, version)
    if q.state not in (QuoteState.APPROVED, QuoteState.SENT):
        raise ValidationError({"state": _("Only an approved quote is sent: submit it first.")})
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": _("Enter a valid email address.")}) from exc
    q = _set_state(actor, q, QuoteState.SENT, sent_at=timezone.now(), sent_to=email or q.sent_to)
    if email:
        from guanxi.crm.tasks import quote_email_task

        quote_id, actor_id = q.pk, actor.pk
        transaction.on_commit(
            lambda: quote_email_task.enqueue(quote_id=quote_id, to=email, actor_id=actor_id)
        )
    return q


@transaction.atomic
def quote_revise(*, actor, quote: Quote, version: Any) -> Quote:
    """A sent (or rejected, expired) quote gets a new revision: a draft with the same lines; the earlier one is
    kept, marked revised."""
    require_changer(actor)
    sel.quote_get(actor=actor, pk=quote.pk, mode="edit")
    q = _lock(quote, version)
    if q.state not in (QuoteState.APPROVED, QuoteState.SENT, QuoteState.REJECTED, QuoteState.EXPIRED):
        raise ValidationError(
            {"state": _("Only a quote that is ready, sent, rejected or expired is revised.")}
        )
    data = {
        "customer": q.customer_id,
        "opportunity": q.opportunity_id,
        "contact": q.contact_id,
        "currency": q.currency_id,
        "language": q.language,
        "notes": q.notes,
        "company": q.company_id,
        "lines": [_line_dict(x) for x in q.lines.all()],
    }
    _set_state(actor, q, QuoteState.SUPERSEDED)
    new = quote_create(actor=actor, data=data, previous=q)
    if q.price_list_id:  # the lines keep their prices: the revision keeps the list that gave them
        new.price_list_id, new.price_list_chosen = q.price_list_id, q.price_list_chosen
        new.save(update_fields=["price_list", "price_list_chosen"])
    return new


@transaction.atomic
def quote_reject(*, actor, quote: Quote, version: Any) -> Quote:
    require_changer(actor)
    sel.quote_get(actor=actor, pk=quote.pk, mode="edit")
    q = _lock(quote, version)
    if q.state != QuoteState.SENT:
        raise ValidationError({"state": _("Only a sent quote is accepted or rejected.")})
    return _set_state(actor, q, QuoteState.REJECTED, decided_at=timezone.now())


def quotes_expire(*, today: dt.date | None = None) -> int:
    """Sent quotes past their last valid day become expired (the scheduled job; a conditional update, so two
    workers expire each once)."""
    today = today or timezone.localdate()
    done = 0
    for q in Quote.objects.filter(state=QuoteState.SENT, valid_until__lt=today).select_related("customer")[
        :5000
    ]:
        with transaction.atomic():
            if Quote.objects.filter(pk=q.pk, state=QuoteState.SENT).update(
                state=QuoteState.EXPIRED, version=q.version + 1
            ):
                _audit(
                    None,
                    AuditAction.UPDATE,
                    q,
                    {"state": [str(QuoteState.SENT.label), str(QuoteState.EXPIRED.label)]},
                )
                done += 1
    return done

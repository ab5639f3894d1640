"""The award (定标) of an opened RFQ and the purchase orders it becomes. Award the whole RFQ to one supplier
(who quoted every line) or line by line; a justification is required when a line (or the whole) does not go to
the lowest price, and when fewer quotes came than the purchasing settings ask for an award of this size (in
CNY). Only approved or preferred suppliers are awarded (a supplier blocked since quoting is refused). Then one
draft purchase order per awarded supplier, at the quoted prices in the quote's currency, through the purchase
order service (its own checks and numbering)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text, small_int
from guanxi.core.models.audit import AuditAction
from guanxi.core.selectors.exchange_rates import convert
from guanxi.procurement.choices import RfqState
from guanxi.procurement.models import PurchasingSettings, Rfq
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.selectors.comparison import Cell, Column, Comparison, Row, comparison
from guanxi.procurement.services.orders import order_create, supplier_refusal
from guanxi.procurement.services.rfqs import audit, bump, lock, require_changer


def _choices(table: Comparison, award: dict) -> dict[int, int]:
    """{rfq line id: column index} from {"whole": quote id} or {"lines": {rfq line id: quote id}}."""
    col_of = {c.quote.pk: i for i, c in enumerate(table.columns)}
    whole = small_int(award.get("whole"))
    if award.get("whole") not in (None, ""):
        i = col_of.get(whole or 0)
        if i is None:
            raise ValidationError({"whole": _("Choose a quote of this round.")})
        missing = [r.line for r in table.rows if r.cells[i] is None]
        if missing:
            raise ValidationError(
                {
                    "whole": _("%(name)s did not quote every line: award line by line.")
                    % {"name": table.columns[i].supplier.name}
                }
            )
        return {r.line.pk: i for r in table.rows}
    chosen: dict[int, int] = {}
    errors: dict = {}
    lines = {r.line.pk: r for r in table.rows}
    for lid, qid in (award.get("lines") or {}).items():
        if qid in (None, ""):
            continue  # not awarded: not bought
        row = lines.get(small_int(lid) or 0)
        i = col_of.get(small_int(qid) or 0)
        if row is None or i is None or row.cells[i] is None:
            errors[f"lines.{lid}"] = _("Choose a supplier who quoted this line.")
            continue
        chosen[row.line.pk] = i
    if errors:
        raise ValidationError(errors)
    if not chosen:
        raise ValidationError({"lines": _("Award at least one line.")})
    return chosen


def _cell(row: Row, i: int) -> Cell:
    cell = row.cells[i]
    assert cell is not None  # _choices() took only quoted cells
    return cell


def why_justify(table: Comparison, chosen: dict[int, int], whole: bool) -> list[str]:
    """What calls for a justification: not the lowest price, too few quotes for the amount."""
    reasons = []
    if whole:
        cheapest = table.cheapest_complete()
        col = table.columns[next(iter(chosen.values()))]
        if cheapest is not None and col.total > cheapest.total:
            reasons.append(_("%(name)s has the lowest total.") % {"name": cheapest.supplier.name})
    else:
        rows = {r.line.pk: r for r in table.rows}
        dearer = [rows[lid].line for lid, i in chosen.items() if not _cell(rows[lid], i).best]
        if dearer:
            reasons.append(
                _("Not the lowest price: %(lines)s.") % {"lines": ", ".join(x.description for x in dearer)}
            )
    rules = PurchasingSettings.current()
    amount = sum((_cell(r, chosen[r.line.pk]).amount for r in table.rows if r.line.pk in chosen), Decimal(0))
    cny = convert(amount, table.rfq.currency_id, "CNY", on=table.on, via="USD").amount if amount else 0
    if len(table.columns) < rules.rfq_min_quotes and cny >= rules.rfq_min_quotes_above:
        reasons.append(
            _("%(n)d quotes for an award of %(amount)s CNY (at least %(min)d are asked for).")
            % {"n": len(table.columns), "amount": f"{cny:,.2f}", "min": rules.rfq_min_quotes}
        )
    return reasons


@transaction.atomic
def rfq_award(*, actor, rfq: Rfq, version: Any, award: dict, reason: Any = "") -> Rfq:
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.OPENED)
    table = comparison(r)
    chosen = _choices(table, award)
    errors: dict = {}
    why = clean_text(errors, "reason", reason, max_length=1000)
    needs = why_justify(table, chosen, whole=award.get("whole") not in (None, ""))
    if needs and not why and not errors:
        errors["reason"] = " ".join([*needs, _("Give the justification.")])
    for i in set(chosen.values()):
        if refusal := supplier_refusal(table.columns[i].supplier):
            errors["supplier"] = refusal
    if errors:
        raise ValidationError(errors)
    for row in table.rows:
        pick = chosen.get(row.line.pk)
        row.line.awarded = _cell(row, pick).quote_line if pick is not None else None
        row.line.save(update_fields=["awarded"])
    bump(r, state=RfqState.AWARDED, awarded_at=timezone.now(), award_reason=why)
    winners = sorted({table.columns[i].supplier.name for i in chosen.values()})
    audit(
        actor,
        AuditAction.UPDATE,
        r,
        {
            "state": [RfqState.OPENED, RfqState.AWARDED],
            "awarded": [None, ", ".join(winners)],
            **({"reason": [None, why]} if why else {}),
        },
        also=[table.columns[i].supplier for i in set(chosen.values())],
    )
    return r


def _payment_terms(col: Column) -> str:
    days = col.quote.payment_days
    return _("%(n)d days") % {"n": days} if days else ""


@transaction.atomic
def rfq_make_orders(*, actor, rfq: Rfq, version: Any) -> list:
    """One draft purchase order per awarded supplier (the quoted prices, the lines' needed-by dates)."""
    require_changer(actor)
    sel.rfq_get(actor=actor, pk=rfq.pk, mode="edit")
    r = lock(rfq, version, RfqState.AWARDED)
    groups: dict[int, list] = {}
    for line in r.lines.select_related("awarded__quote__supplier", "awarded__quote").order_by(
        "position", "id"
    ):
        if line.awarded is not None:
            groups.setdefault(line.awarded.quote_id, []).append(line)
    orders = []
    for lines in groups.values():
        quote = lines[0].awarded.quote
        order = order_create(
            actor=actor,
            data={
                "supplier": quote.supplier_id,
                "currency": quote.currency_id,
                "payment_terms": _payment_terms(Column(quote, rate=1)),  # type: ignore[arg-type]
                "notes": _("From %(rfq)s.") % {"rfq": r.number},
                "lines": [
                    {
                        "product": ln.product_id,
                        "description": ln.description,
                        "quantity": ln.quantity,
                        "unit": ln.unit_id,
                        "unit_price": ln.awarded.unit_price,
                        "requested_date": ln.needed_by,
                    }
                    for ln in lines
                ],
            },
        )
        for ln in lines:
            ln.purchase_order = order
            ln.save(update_fields=["purchase_order"])
        orders.append(order)
    bump(r, state=RfqState.ORDERED)
    audit(
        actor,
        AuditAction.UPDATE,
        r,
        {
            "state": [RfqState.AWARDED, RfqState.ORDERED],
            "orders": [None, ", ".join(o.number for o in orders)],
        },
    )
    return orders

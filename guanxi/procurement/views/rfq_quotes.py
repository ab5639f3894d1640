"""Entering a supplier's quote (sealed the moment it is saved: not even who entered it can read it back) and,
once opened, the comparison table (比价表) with the weighted scores, the buyer's scores on quality and custom
criteria, the award (whole or per line, with the justification the service asks for) and the purchase orders
it becomes. Thin: the services decide; a refusal shows the page again with its messages and the input."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.core.models import Currency
from guanxi.core.money import currency_info
from guanxi.procurement import forms_sourcing
from guanxi.procurement.choices import SCORED_BY_HAND, RfqState
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.selectors.comparison import Comparison, comparison_kept
from guanxi.procurement.services import awards, quotes
from guanxi.procurement.views.common import int_or_none


@login_required
@require_http_methods(["GET", "POST"])
def quote_entry(request, pk, supplier):
    rfq = sel.rfq_get(actor=request.user, pk=pk, mode="edit")
    quotes.require_changer(request.user)
    inv = rfq.invitations.select_related("supplier").filter(supplier_id=supplier).first()
    if inv is None:
        messages.error(request, _("This supplier is not invited to this RFQ."))
        return redirect(rfq.get_absolute_url())
    if rfq.state != RfqState.OPEN or rfq.deadline <= timezone.now():
        messages.error(
            request,
            _("This RFQ takes no quotes now: quotes are entered while it is open, before the deadline."),
        )
        return redirect(rfq.get_absolute_url())
    lines = sel.rfq_lines(rfq)
    errors: dict = {}
    data: dict = {"currency": rfq.currency_id, "payment_days": "", "valid_until": "", "notes": ""}
    posted: dict = {}
    if request.method == "POST":
        data = forms_sourcing.quote_from(request.POST, lines)
        posted = {x["rfq_line"]: x for x in data["lines"]}
        try:
            quotes.quote_submit(actor=request.user, rfq=rfq, supplier=inv.supplier_id, data=data)
        except ValidationError as exc:
            errors = exc.message_dict
        except GuanxiError as exc:
            if exc.status in (403, 404):
                raise
            errors = {"__all__": [str(exc.message)]}
        else:
            messages.success(
                request,
                _("The quote of %(name)s is sealed until the quotes are opened.")
                % {"name": inv.supplier.name},
            )
            return redirect(rfq.get_absolute_url())
    index = {line.pk: i for i, line in enumerate(lines)}
    rows = []
    for line in lines:
        i = index[line.pk]
        mine = {k.rsplit(".", 1)[1]: v for k, v in errors.items() if k.startswith(f"lines[{i}].")}
        rows.append({"line": line, "posted": posted.get(line.pk, {}), "errors": mine})
    return render(
        request,
        "procurement/rfqs/quote.html",
        {
            "r": rfq,
            "inv": inv,
            "rows": rows,
            "data": data,
            "errors": {k: v for k, v in errors.items() if not k.startswith("lines[")},
            "currencies": Currency.objects.filter(active=True).order_by("code"),
            "nav": "rfqs",
        },
    )


def _compare_context(request, rfq, *, errors: dict | None = None, posted=None) -> dict:
    rnd = int_or_none(request.GET.get("round")) or rfq.round
    rnd = min(rnd, rfq.round)
    opened = rnd < rfq.round or rfq.opened_at is not None
    table, problem = None, ""
    kept: dict = {}
    if opened:
        try:
            table, kept = comparison_kept(rfq, rnd)
        except GuanxiError as exc:
            problem = str(exc.message)
    may_change = sel.rfq_visible(actor=request.user, mode="edit").filter(pk=rfq.pk).exists()
    current = rnd == rfq.round
    may_award = may_change and current and rfq.state == RfqState.OPENED and table is not None
    grid = SafeString("")
    if table is not None and posted:  # the choices a refused award posted are shown again
        grid = _grid(table, posted, may_award=may_award)
    elif table is not None:
        key = (get_language(), may_award)
        grid = kept.get(key) or kept.setdefault(key, _grid(table, {}, may_award=may_award))
    return {
        "r": rfq,
        "round": rnd,
        "rounds": range(1, rfq.round + 1),
        "opened": opened,
        "table": table,
        "problem": problem,
        "grid": grid,
        "hand": [c for c in table.criteria if c.kind in SCORED_BY_HAND] if table else [],
        "may_award": may_award,
        "may_order": may_change and rfq.state == RfqState.AWARDED,
        "errors": errors or {},
        "posted": posted or {},
        "nav": "rfqs",
    }


def _grid(table: Comparison, posted, *, may_award: bool) -> SafeString:
    """The table's body rows, written here in one pass: 20 suppliers × 200 lines are 4,000 cells, and the
    template language took about a second for them (a variable lookup is microseconds, times ~40 per cell).
    Every text from a user (descriptions, names, units) is escaped; the rest is numbers and our own words."""
    info = currency_info(table.rfq.currency_id)
    gap = "\u00a0" if info.symbol and info.symbol[-1].isalpha() else ""
    prefix = f"{info.symbol}{gap}" if info.symbol else f"{info.code}\u00a0"
    days: dict[int, str] = {}
    label = _("Award line %(n)s to %(name)s")
    # The words first, outside the f-strings: xgettext does not look inside an f-string's braces.
    lowest_word, not_quoted = escape(_("lowest")), escape(_("not quoted"))
    lowest = f' <span class="badge best">{lowest_word}</span>'
    awarded = escape(pgettext("comparison: the line went to this quote", "awarded"))
    empty = f'<td class="num"><span class="muted">{not_quoted}</span></td>'
    names = [col.supplier.name for col in table.columns]
    out = []
    for row in table.rows:
        line = row.line
        picked = posted.get(f"award-{line.pk}", "")
        unit = escape(line.unit.code) if line.unit is not None else ""
        out.append(
            f'<tr><th scope="row">#{line.position} {escape(line.description)}<br>'
            f'<small class="muted">{line.quantity.normalize():f} {unit}</small></th>'
        )
        for col, name, cell in zip(table.columns, names, row.cells, strict=True):
            if cell is None:
                out.append(empty)
                continue
            lead = cell.quote_line.lead_days
            if lead not in days:
                days[lead] = escape(ngettext("%(n)s day", "%(n)s days", lead) % {"n": lead})
            price = f"<strong>{cell.unit_price:.4f}</strong>{lowest if cell.best else ''}"
            if may_award:
                quote = str(col.quote.pk)
                price = (
                    f'<label class="award-pick"><input type="radio" name="award-{line.pk}" value="{quote}"'
                    f"{' checked' if quote == picked else ''}"
                    f' aria-label="{escape(label % {"n": line.position, "name": name})}"> {price}</label>'
                )
            mark = (
                f' <span class="badge best" id="awarded-{line.pk}">{awarded}</span>'
                if cell.quote_line.pk == line.awarded_id
                else ""
            )
            out.append(
                f'<td class="num{" best" if cell.best else ""}">{price}<br>'
                f"<small>{prefix}{cell.amount:,.{info.decimal_places}f} · {days[lead]}</small>{mark}</td>"
            )
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - built from escaped parts above


@login_required
def rfq_compare(request, pk):
    rfq = sel.rfq_get(actor=request.user, pk=pk)
    return render(request, "procurement/rfqs/compare.html", _compare_context(request, rfq))


@login_required
@require_POST
def rfq_compare_action(request, pk, action):
    if action not in ("scores", "award", "orders"):
        raise Http404
    rfq = sel.rfq_get(actor=request.user, pk=pk, mode="edit")
    post, version = request.POST, request.POST.get("version")
    try:
        if action == "scores":
            quotes.quote_scores_set(
                actor=request.user, rfq=rfq, version=version, scores=forms_sourcing.scores_from(post)
            )
            messages.success(request, _("The scores are saved."))
        elif action == "award":
            rfq = awards.rfq_award(
                actor=request.user,
                rfq=rfq,
                version=version,
                award=forms_sourcing.award_from(post),
                reason=post.get("reason", ""),
            )
            messages.success(
                request, _("RFQ %(number)s is awarded: make the purchase orders.") % {"number": rfq.number}
            )
        else:
            orders = awards.rfq_make_orders(actor=request.user, rfq=rfq, version=version)
            messages.success(
                request,
                _("Draft purchase orders made: %(numbers)s.")
                % {"numbers": ", ".join(o.number for o in orders)},
            )
            return redirect(rfq.get_absolute_url())
    except ValidationError as exc:
        rfq.refresh_from_db()
        ctx = _compare_context(request, rfq, errors=exc.message_dict, posted=post)
        return render(request, "procurement/rfqs/compare.html", ctx)
    except ConflictError:
        messages.error(request, _("Someone changed this RFQ meanwhile: look at it again and repeat."))
    except GuanxiError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc.message))
    return redirect("procurement:rfq_compare", pk=rfq.pk)

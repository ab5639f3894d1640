"""Saving an opportunity's products from its page (guanxi.crm.services.opportunity_lines): on a refusal the
page comes back with every row as typed and the problem under each field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.crm.selectors import opportunities as sel
from guanxi.crm.services.opportunity_lines import MAX_LINES, opportunity_set_lines
from guanxi.crm.views.opportunities import detail_context

FIELDS = ("product", "quantity", "unit_price", "note")


def _rows(post) -> list[dict]:
    rows = []
    for i in range(MAX_LINES + 1):
        if f"lines-{i}-product" not in post:
            break
        rows.append({f: post.get(f"lines-{i}-{f}", "").strip() for f in FIELDS})
    return rows


@login_required
@require_POST
def opportunity_lines(request, pk):
    o = sel.opportunity_get(actor=request.user, pk=pk, mode="edit")
    rows = _rows(request.POST)
    kept = [r for r in rows if r["product"] or r["quantity"] or r["unit_price"]]
    try:
        opportunity_set_lines(
            actor=request.user, opportunity=o, version=request.POST.get("version"), lines=kept
        )
    except ConflictError:
        messages.error(request, _("Someone changed this opportunity meanwhile: look at it again and repeat."))
        return redirect(o.get_absolute_url())
    except ValidationError as exc:
        found = exc.message_dict
        for i, row in enumerate(kept):
            row["errors"] = {f: found.get(f"lines[{i}].{f}", []) for f in FIELDS}
        for key in ("lines", "version"):
            for message in found.get(key, []):
                messages.error(request, message)
        ctx = detail_context(request, o, line_rows=kept + [dict.fromkeys(FIELDS, "")], line_errors=True)
        return render(request, "crm/detail.html", ctx, status=422)
    messages.success(request, _("The products are saved."))
    return redirect(o.get_absolute_url())

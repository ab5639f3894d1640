"""Returns to the supplier (退货) on a page: from a purchase order's page, its lines with goods accepted and not
yet sent back, how many of each go back, a quality return (the supplier's fault) or a commercial one (ours), the
reason and the day; and a return's page. A refusal shows each message beside its line and keeps everything
typed; the service decides everything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.procurement import forms_receiving as forms
from guanxi.procurement.choices_receipts import ReturnKind
from guanxi.procurement.selectors import receiving as sel
from guanxi.procurement.selectors import receiving_pages as pages
from guanxi.procurement.selectors.orders import order_get
from guanxi.procurement.services.receipts import return_post
from guanxi.procurement.services.receiving import require_receiver
from guanxi.procurement.views.common import record_tabs

NAV = "receiving"


def _form(request, order, lines, data: dict, rows: list[dict], errors: dict, ids=()):
    by_id, other = forms.row_errors(errors, list(ids))
    typed = {r["id"]: r["quantity"] for r in rows}
    ctx = {
        "o": order,
        "rows": [
            {
                "line": x,
                "returnable": x.accepted_quantity - x.returned_quantity,
                "quantity": typed.get(x.pk, ""),
                "errors": by_id.get(x.pk, {}),
            }
            for x in lines
        ],
        "data": data,
        "errors": other,
        "summary": {k: v for k, v in other.items() if k not in forms.RETURN_HEADER},
        "row_errors": bool(by_id),
        "kinds": ReturnKind.choices,
        "nav": NAV,
    }
    return render(request, "procurement/receiving/return_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def order_return_view(request, pk):
    require_receiver(request.user)
    order = order_get(actor=request.user, pk=pk)
    lines = pages.returnable_lines(order) if order.state in pages.RETURNABLE else []
    if not lines:
        messages.error(request, _("Nothing accepted on this order is left to return."))
        return redirect(order.get_absolute_url())
    if request.method == "GET":
        data = {"returned_on": timezone.localdate().isoformat()}
        return _form(request, order, lines, data, [], {})
    data = forms.header_from(request.POST, forms.RETURN_HEADER)
    rows = forms.quantity_rows(request.POST, lines)
    payload, ids = forms.quantity_payload(rows)
    try:
        back = return_post(actor=request.user, data={**data, "lines": payload})
    except ValidationError as exc:
        return _form(request, order, lines, data, rows, exc.message_dict, ids)
    messages.success(
        request,
        _("Return %(number)s is recorded: the goods go back to %(supplier)s.")
        % {"number": back.number, "supplier": order.supplier.name},
    )
    return redirect(back.get_absolute_url())


@login_required
def return_detail(request, pk):
    back = sel.return_get(actor=request.user, pk=pk)
    tabs, active, tab_html = record_tabs(request, "procurement.supplierreturn", back)
    lines = list(pages.return_lines(back))
    ctx = {
        "b": back,
        "lines": lines,
        "orders": pages.receipt_orders(lines),
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": NAV,
    }
    return render(request, "procurement/receiving/return.html", ctx)

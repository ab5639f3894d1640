"""The purchase order form (a new order, a draft edited) and the change order form (变更单: a reason and the
lines as they should be, for an order the supplier may already have). Lines are rows like the quote form's: a
bought product (or a description), the supplier's code, quantity, unit, unit price — left empty, the supplier's
price for that quantity — VAT and the date we need it. A refusal shows each message beside its field or row and
keeps everything typed; the services decide everything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.catalog.models import Unit
from guanxi.core.exceptions import ConflictError
from guanxi.core.models import Currency, TaxRate
from guanxi.core.roles import grants_for
from guanxi.procurement import forms
from guanxi.procurement.choices import CHANGEABLE_STATES
from guanxi.procurement.permissions import Action
from guanxi.procurement.selectors import orders as sel
from guanxi.procurement.selectors import pages
from guanxi.procurement.selectors.prices import price_list
from guanxi.procurement.services import order_changes
from guanxi.procurement.services import orders as svc

EXTRA_ROWS = 3


def _supplier_prices(request, supplier):
    """The supplier's current prices beside the lines (what an empty unit price takes), for who may see them."""
    if supplier is None or not grants_for(request.user).can(Action.PRICE_VIEW):
        return []
    return list(price_list(actor=request.user, supplier=supplier.pk)[:50])


def _context(request, o, data: dict, rows: list[dict], errors: dict, extra: int, *, change: bool = False):
    supplier = (
        o.supplier if o is not None else pages.supplier_for_form(actor=request.user, pk=data.get("supplier"))
    )
    header = forms.other_errors(errors, "lines")
    contacts = pages.supplier_contacts(actor=request.user, supplier=supplier)
    # A contact the user cannot see (set by someone else) is shown, not offered: the form does not post it,
    # so the order keeps it.
    hidden_contact = (
        o.contact if o is not None and o.contact_id not in {None, *(c.pk for c in contacts)} else None
    )
    return {
        "o": o,
        "data": data,
        "supplier": supplier,
        "refusal": svc.supplier_refusal(supplier)
        if supplier is not None and o is None and not header.get("supplier")
        else "",
        "suppliers": pages.orderable_suppliers(actor=request.user) if o is None else [],
        "contacts": contacts,
        "hidden_contact": hidden_contact,
        "rows": forms.rows_shown(rows, errors, "lines", forms.LINE_FIELDS, extra),
        "errors": header,
        "summary": {k: v for k, v in header.items() if k not in (*forms.HEADER, "reason")},
        "row_errors": len(header) < len(errors),
        "products": pages.bought_products(actor=request.user),
        "units": Unit.objects.filter(active=True).order_by("code"),
        "taxes": TaxRate.objects.filter(active=True).order_by("rate"),
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "supplier_prices": _supplier_prices(request, supplier),
        "change": change,
        "nav": "purchase_orders",
    }


def _initial(request, o) -> tuple[dict, list[dict]]:
    if o is not None:
        data = {
            "supplier": o.supplier_id,
            "contact": o.contact_id or "",
            "currency": o.currency_id,
            "ordered_on": o.ordered_on.isoformat(),
            "language": o.language,
            "payment_terms": o.payment_terms,
            "delivery_address": o.delivery_address,
            "notes": o.notes,
            "version": o.version,
        }
        return data, [forms.line_row(x) for x in o.lines.all()]
    data = {"currency": "CNY", "ordered_on": timezone.localdate().isoformat()}
    supplier = pages.supplier_for_form(actor=request.user, pk=request.GET.get("supplier"))
    if supplier is not None:
        data.update(supplier=supplier.pk, language=supplier.preferred_language or "")
    return data, []


@login_required
@require_http_methods(["GET", "POST"])
def order_create_view(request):
    return _order_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def order_edit(request, pk):
    o = sel.order_get(actor=request.user, pk=pk, mode="edit")
    if not o.is_editable:
        messages.error(request, _("Only a draft is edited; change an approved order with a change order."))
        return redirect(o.get_absolute_url())
    return _order_form(request, o)


def _order_form(request, o):
    svc.require_changer(request.user)
    errors: dict = {}
    if request.method == "GET":
        data, rows = _initial(request, o)
        extra = EXTRA_ROWS if rows else EXTRA_ROWS + 1
        return render(
            request, "procurement/orders/form.html", _context(request, o, data, rows, errors, extra)
        )
    data = forms.header_from(request.POST)
    data["version"] = request.POST.get("version", "")  # kept: correcting the form and saving again works
    rows = forms.lines_from(request.POST)
    if "add_rows" not in request.POST:
        payload = {k: v for k, v in data.items() if k != "version"}
        payload["lines"] = forms.payload_lines(rows)
        try:
            if o is None:
                o = svc.order_create(actor=request.user, data=payload)
                messages.success(request, _("Purchase order %(number)s added.") % {"number": o.number})
            else:
                payload.pop("supplier", None)  # the supplier of a draft is not changed here
                o = svc.order_update(actor=request.user, order=o, version=data["version"], data=payload)
                messages.success(request, _("Purchase order %(number)s saved.") % {"number": o.number})
            return redirect(o.get_absolute_url())
        except ValidationError as exc:
            errors = exc.message_dict
        except ConflictError as exc:
            errors = {"__all__": [str(exc.message)]}
    extra = EXTRA_ROWS * 2 if "add_rows" in request.POST else EXTRA_ROWS
    return render(request, "procurement/orders/form.html", _context(request, o, data, rows, errors, extra))


@login_required
@require_http_methods(["GET", "POST"])
def order_change_view(request, pk):
    """A change order: the reason and the lines as they should be (each row keeps the id of the line it
    replaces, so the supplier's confirmed dates stay with it)."""
    o = sel.order_get(actor=request.user, pk=pk, mode="edit")
    svc.require_changer(request.user)
    if o.state not in CHANGEABLE_STATES:
        messages.error(request, _("Only an approved, sent or confirmed order is changed; a draft is edited."))
        return redirect(o.get_absolute_url())
    errors: dict = {}
    if request.method == "GET":
        data = {"version": o.version, "reason": ""}
        rows = [forms.line_row(x, with_id=True) for x in sel.order_lines(o)]
        return render(
            request,
            "procurement/orders/change.html",
            _context(request, o, data, rows, errors, 2, change=True),
        )
    data = {
        "version": request.POST.get("version", ""),
        "reason": request.POST.get("reason", "").strip()[:600],
    }
    rows = forms.lines_from(request.POST, with_id=True)
    if "add_rows" not in request.POST:
        payload = {"reason": data["reason"], "lines": forms.payload_lines(rows)}
        try:
            o = order_changes.order_change(actor=request.user, order=o, version=data["version"], data=payload)
            if o.state == "pending":
                text = _("Change order saved as revision %(n)s: the new total waits for approval.")
            else:
                text = _("Change order saved as revision %(n)s. Send the order again to the supplier.")
            messages.success(request, text % {"n": o.revision})
            return redirect(o.get_absolute_url())
        except ValidationError as exc:
            errors = exc.message_dict
        except ConflictError as exc:
            errors = {"__all__": [str(exc.message)]}
    extra = 4 if "add_rows" in request.POST else 2
    return render(
        request,
        "procurement/orders/change.html",
        _context(request, o, data, rows, errors, extra, change=True),
    )

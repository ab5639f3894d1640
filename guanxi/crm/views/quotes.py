"""Quotes and sales orders: the lists, a quote's page with its lines, totals (价税合计, in 大写 on Chinese
quotes) and operations (submit, send, revise, accept, reject), the quote form with its lines, and an order's
page. Every operation is one service call; a refusal comes back as a message."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.catalog.models import Unit
from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.core.models import Currency, TaxRate
from guanxi.core.pagination import keyset_page
from guanxi.core.roles import grants_for
from guanxi.crm.choices import QuoteState
from guanxi.crm.models import OpportunityLine, Quote
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.selectors.opportunities import opportunity_visible
from guanxi.crm.selectors.pricelists import quote_price_lists
from guanxi.crm.services import orders as order_svc
from guanxi.crm.services import quotes as svc
from guanxi.crm.views.common import error_text, record_tabs
from guanxi.parties.selectors.parties import party_visible

LINE_FIELDS = ("product", "description", "quantity", "unit", "unit_price", "discount_percent", "tax_rate")
MAX_PRODUCTS = 500


@login_required
def quote_list(request):
    sel.require_reader(request.user)
    f = sel.QuoteFilters(
        state=request.GET.get("state", ""),
        owner=request.GET.get("owner", "")[:5],
        q=request.GET.get("q", "").strip()[:100],
    )
    error, page = None, None
    try:
        page = keyset_page(
            sel.quote_list(actor=request.user, filters=f),
            ordering=sel.ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=25,
        )
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {"page": page, "filters": f, "error": error, "states": QuoteState.choices, "nav": "quotes"}
    return render(request, "crm/quotes/list.html", ctx)


@login_required
def order_list(request):
    sel.require_reader(request.user)
    error, page = None, None
    try:
        qs = sel.order_list(actor=request.user, state=request.GET.get("state", ""))
        page = keyset_page(
            qs, ordering=sel.ORDER_ORDERING, cursor=request.GET.get("cursor") or None, limit=25
        )
    except ValidationError as exc:
        error = error_text(exc)
    return render(request, "crm/quotes/orders.html", {"page": page, "error": error, "nav": "orders"})


@login_required
def quote_detail(request, pk):
    q = sel.quote_get(actor=request.user, pk=pk)
    tabs, active, tab_html = record_tabs(request, "crm.quote", q)
    ctx = {
        "q": q,
        "lines": q.lines.select_related("unit", "product"),
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "may_change": sel.quote_visible(actor=request.user, mode="edit").filter(pk=q.pk).exists(),
        "revisions": _revisions(request.user, q),
        "order": getattr(q, "order", None) if q.state == QuoteState.ACCEPTED else None,
        "nav": "quotes",
    }
    return render(request, "crm/quotes/detail.html", ctx)


def _revisions(user, q: Quote):
    """This quote's own revisions (QT-…, QT-…-R1, …) that the user may see: not every number that starts alike."""
    base = q.number.split("-R")[0]
    same = sel.quote_visible(actor=user).filter(company=q.company)
    return (same.filter(number=base) | same.filter(number__regex=rf"^{re.escape(base)}-R[0-9]+$")).order_by(
        "revision"
    )


@login_required
def order_detail(request, pk):
    o = sel.order_get(actor=request.user, pk=pk)
    tabs, active, tab_html = record_tabs(request, "crm.salesorder", o)
    ctx = {
        "o": o,
        "lines": o.lines.select_related("unit", "product"),
        "deliveries": o.deliveries.prefetch_related("lines__line").select_related("created_by")[:50],
        "can_change": sel.order_visible(actor=request.user, mode="edit").filter(pk=o.pk).exists()
        and grants_for(request.user).can(Action.QUOTE_CHANGE),
        "today": timezone.localdate(),
        "tabs": tabs,
        "active": active,
        "tab_html": tab_html,
        "nav": "orders",
    }
    return render(request, "crm/quotes/order.html", ctx)


def _lines_from(post) -> list[dict]:
    rows = []
    for i in range(200):
        row = {f: post.get(f"lines-{i}-{f}", "").strip() for f in LINE_FIELDS}
        if f"lines-{i}-description" not in post and f"lines-{i}-product" not in post:
            break
        if row["product"] or row["description"]:
            rows.append(row)
    return rows


def _form_context(request, q, data, lines, errors, extra: int) -> dict:
    products = usable_products(actor=request.user, sold=True).order_by("code")[:MAX_PRODUCTS]
    rows = lines + [dict.fromkeys(LINE_FIELDS, "") for _ in range(extra)]
    return {
        "q": q,
        "data": data,
        "rows": rows,
        "errors": errors,
        "products": products,
        "units": Unit.objects.filter(active=True).order_by("code"),
        "taxes": TaxRate.objects.filter(active=True).order_by("rate"),
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "price_lists": quote_price_lists(request.user, q.customer_id if q else _int(data.get("customer"))),
        "nav": "quotes",
    }


@login_required
@require_http_methods(["GET", "POST"])
def quote_edit(request, pk=None):
    q = sel.quote_get(actor=request.user, pk=pk, mode="edit") if pk else None
    svc.require_changer(request.user)
    if q is not None and not q.is_editable:
        messages.error(request, _("A quote that is submitted or sent is not changed: revise it."))
        return redirect(q.get_absolute_url())
    errors: dict = {}
    if request.method == "POST":
        data = {
            k: request.POST.get(k, "").strip()
            for k in (
                "customer",
                "opportunity",
                "contact",
                "currency",
                "price_list",
                "valid_until",
                "language",
                "notes",
            )
        }
        lines = _lines_from(request.POST)
        data["version"] = request.POST.get("version", "")  # kept: correcting the form and saving again works
        if q is None and data.get("customer"):
            picked = party_visible(actor=request.user).filter(pk=_int(data["customer"])).first()
            data["customer_name"] = picked.name if picked else ""
        fields = {k: v for k, v in data.items() if k not in ("version", "customer_name")}
        # The form has no contact field: "contact" is sent to the service only when posted, so a contact set
        # through the API stays (a form keeps what it does not show).
        kept = ["notes", "contact"] if "contact" in request.POST else ["notes"]
        kept += ["price_list"] if "price_list" in request.POST else []
        payload = {**{k: v for k, v in fields.items() if v or k in kept}, "lines": lines}
        try:
            if q is None:
                q = svc.quote_create(actor=request.user, data=payload)
                messages.success(request, _("Quote %(number)s added.") % {"number": q.number})
            else:
                payload.pop("customer", None)
                q = svc.quote_update(
                    actor=request.user, quote=q, version=request.POST.get("version"), data=payload
                )
                messages.success(request, _("Quote %(number)s saved.") % {"number": q.number})
            return redirect(q.get_absolute_url())
        except ValidationError as exc:
            errors = exc.message_dict
        except ConflictError as exc:
            errors = {"__all__": [str(exc.message)]}
        extra = 2
    else:
        data, lines, extra = _initial(request, q)
    return render(request, "crm/quotes/form.html", _form_context(request, q, data, lines, errors, extra))


def _line_row(x) -> dict:
    """A stored line as the form's strings (numbers without trailing zeros)."""

    def num(d) -> str:
        return f"{d.normalize():f}"

    return {
        "product": x.product_id or "",
        "description": x.description,
        "quantity": num(x.quantity),
        "unit": x.unit_id or "",
        "unit_price": num(x.unit_price),
        "discount_percent": num(x.discount_percent) if x.discount_percent else "",
        "tax_rate": x.tax_rate_id or "",
    }


def _initial(request, q):
    data: dict = {}
    if q is not None:
        data = {
            "customer": q.customer_id,
            "customer_name": q.customer.name,
            "opportunity": q.opportunity_id or "",
            "currency": q.currency_id,
            "price_list": q.price_list_id if q.price_list_chosen else "",
            "valid_until": q.valid_until.isoformat(),
            "language": q.language,
            "notes": q.notes,
            "version": q.version,
        }
        return data, [_line_row(x) for x in q.lines.all()], 2
    o = None
    if request.GET.get("opportunity"):
        o = (
            opportunity_visible(actor=request.user)
            .filter(pk=_int(request.GET.get("opportunity")))
            .select_related("customer")
            .first()
        )
    customer = (
        o.customer
        if o
        else party_visible(actor=request.user).filter(pk=_int(request.GET.get("customer"))).first()
    )
    if customer is not None:
        data.update(
            customer=customer.pk, customer_name=customer.name, language=customer.preferred_language or ""
        )
    if o is not None:
        data.update(opportunity=o.pk, currency=o.currency_id)
        # The opportunity's products start the quote (an empty price: the price list's or the catalogue's).
        rows = [
            {**dict.fromkeys(LINE_FIELDS, ""), "product": x.product_id, "description": str(x.product),
             "quantity": f"{x.quantity.normalize():f}",
             "unit_price": "" if x.unit_price is None else f"{x.unit_price.normalize():f}"}
            for x in OpportunityLine.objects.filter(opportunity=o).select_related("product")
        ]  # fmt: skip
        return data, rows, 2 if rows else 4
    return data, [], 4


def _int(value):
    try:
        n = int(value)
        return n if 0 < n < 2**53 else None
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def quote_action(request, pk, op):
    q = sel.quote_get(actor=request.user, pk=pk, mode="edit")
    version = request.POST.get("version")
    try:
        if op == "submit":
            q = svc.quote_submit(actor=request.user, quote=q, version=version)
            messages.success(
                request,
                _("Quote %(number)s: %(state)s.") % {"number": q.number, "state": q.get_state_display()},
            )
        elif op == "send":
            q = svc.quote_send(
                actor=request.user, quote=q, version=version, email=request.POST.get("email", "")
            )
            messages.success(request, _("Quote %(number)s is sent.") % {"number": q.number})
        elif op == "revise":
            q = svc.quote_revise(actor=request.user, quote=q, version=version)
            messages.success(
                request, _("Revision %(number)s is a draft: change it and submit it.") % {"number": q.number}
            )
        elif op == "accept":
            order = order_svc.quote_accept(actor=request.user, quote=q, version=version)
            messages.success(
                request, _("Accepted: sales order %(number)s is confirmed.") % {"number": order.number}
            )
            return redirect(order.get_absolute_url())
        elif op == "reject":
            q = svc.quote_reject(actor=request.user, quote=q, version=version)
            messages.success(request, _("Quote %(number)s is rejected.") % {"number": q.number})
        else:
            raise ValidationError({"op": _("Unknown operation.")})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except GuanxiError as exc:
        messages.error(request, str(exc.message))
    return redirect(q.get_absolute_url())

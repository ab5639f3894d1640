"""Supplier price information (价格库 / 供应商报价信息): the prices valid today (supplier and product filters,
pages by cursor), "record a price" with its quantity breaks (阶梯价), and the history of one supplier's price for
one product — replaced and ended prices included, since a price is never edited: a new one ends the earlier."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import Currency
from guanxi.core.pagination import keyset_page
from guanxi.procurement import forms
from guanxi.procurement.selectors import pages
from guanxi.procurement.selectors import prices as sel
from guanxi.procurement.services import prices as svc
from guanxi.procurement.views.common import PAGE_SIZE, error_text, int_or_none, query

EXTRA_BREAKS = 3


@login_required
def price_list_view(request):
    sel.require_reader(request.user)
    supplier = int_or_none(request.GET.get("supplier"))
    product = int_or_none(request.GET.get("product"))
    error, page = None, None
    try:
        page = keyset_page(
            pages.current_prices(actor=request.user, supplier=supplier, product=product),
            ordering=pages.PRICE_ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {
        "page": page,
        "supplier": supplier,
        "product": product,
        "query": query(supplier=supplier, product=product),
        "suppliers": pages.price_suppliers(actor=request.user),
        "products": pages.price_products(actor=request.user),
        "error": error,
        "may_record": sel.may_record(request.user),
        "nav": "supplier_prices",
    }
    if request.htmx and request.htmx.target == "price-results":
        return render(request, "procurement/partials/price_rows.html", ctx)
    return render(request, "procurement/prices/list.html", ctx)


def _form(request, data: dict, breaks: list[dict], errors: dict, extra: int = EXTRA_BREAKS):
    products = list(pages.bought_products(actor=request.user))
    picked = pages.product_for_form(actor=request.user, pk=data.get("product"))
    if picked is not None and picked not in products:  # shown again beside the service's refusal
        products.insert(0, picked)
    suppliers = list(pages.price_recordable_suppliers(actor=request.user))
    chosen = pages.supplier_for_form(actor=request.user, pk=data.get("supplier"))
    if chosen is not None and chosen not in suppliers:  # shown again beside the service's refusal
        suppliers.insert(0, chosen)
    ctx = {
        "data": data,
        "breaks": forms.rows_shown(breaks, errors, "breaks", forms.BREAK_FIELDS, extra),
        "errors": forms.other_errors(errors, "breaks"),
        "break_errors": any(k.startswith("breaks[") for k in errors),
        "suppliers": suppliers,
        "products": products,
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "nav": "supplier_prices",
    }
    return render(request, "procurement/prices/form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def price_create_view(request):
    if not sel.may_record(request.user):
        raise PermissionDeniedError()
    if request.method == "GET":
        data = {
            "supplier": request.GET.get("supplier", "")[:20],
            "product": request.GET.get("product", "")[:20],
            "currency": "CNY",
            "min_quantity": "1",
            "valid_from": timezone.localdate().isoformat(),
        }
        return _form(request, data, [], {})
    data = forms.price_from(request.POST)
    breaks = forms.breaks_from(request.POST)
    if "add_rows" in request.POST:
        return _form(request, data, breaks, {}, extra=EXTRA_BREAKS * 2)
    try:
        price = svc.supplier_price_record(actor=request.user, data={**data, "breaks": breaks})
    except ValidationError as exc:
        return _form(request, data, breaks, exc.message_dict)
    messages.success(
        request,
        _("The price of %(product)s from %(supplier)s is recorded; earlier prices stay in its history.")
        % {"product": price.product.code, "supplier": price.supplier.name},
    )
    return redirect(reverse("procurement:price_history", args=[price.supplier_id, price.product_id]))


@login_required
def price_history_view(request, supplier, product):
    party, item = pages.price_subject(actor=request.user, supplier=supplier, product=product)
    rows = list(sel.price_history(actor=request.user, supplier=party.pk, product=item.pk)[:200])
    ctx = {
        "supplier": party,
        "product": item,
        "rows": rows,
        "today": timezone.localdate(),
        "may_record": sel.may_record(request.user),
        "nav": "supplier_prices",
    }
    return render(request, "procurement/prices/history.html", ctx)

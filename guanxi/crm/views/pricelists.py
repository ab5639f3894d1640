"""Settings → Price lists (价目表): the list (filters, pages, empty state), a list's page (its items and
quantity breaks 阶梯价, who is assigned it), the form with its items as rows (per-row errors; a refused save
keeps every row typed), archive and restore; and a customer's price list from its page. Each write is one
service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.core.models import Currency
from guanxi.core.pagination import keyset_page
from guanxi.crm.selectors import pricelists as sel
from guanxi.crm.services import pricelists as svc
from guanxi.crm.views.common import error_text
from guanxi.parties.selectors.parties import party_get, party_visible

HEADER = ("name_en", "name_zh", "currency", "valid_from", "valid_until", "customer", "note")
ITEM_FIELDS = ("product", "min_quantity", "unit_price")
EXTRA_ROWS = 5
MAX_ROWS = svc.MAX_ITEMS
MAX_PRODUCTS = 500


def _labels() -> dict:
    return {
        "__all__": "",
        "name_en": _("Name (English)"),
        "name_zh": _("Name (Chinese)"),
        "currency": _("Currency"),
        "valid_from": _("Valid from"),
        "valid_until": _("Valid until"),
        "customer": _("Only for customer"),
        "is_default": _("Default price list of its currency"),
        "note": _("Note"),
        "items": _("Prices"),
        "version": _("Version"),
    }


@login_required
def price_lists(request):
    f = sel.PriceListFilters(
        state=request.GET.get("state", "active")[:10],
        currency=request.GET.get("currency", "").strip()[:3],
        q=request.GET.get("q", "").strip()[:100],
    )
    error, page = None, None
    try:
        page = keyset_page(
            sel.pricelist_rows(sel.pricelist_list(actor=request.user, filters=f)),
            ordering=sel.ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=25,
        )
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {
        "page": page,
        "filters": f,
        "error": error,
        "may_manage": sel.may_manage(request.user),
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "nav": "price_lists",
    }
    template = (
        "crm/settings/partials/price_list_rows.html" if request.htmx else "crm/settings/price_lists.html"
    )
    return render(request, template, ctx)


@login_required
def price_list_detail(request, pk):
    pl = sel.pricelist_get(actor=request.user, pk=pk)
    manage = sel.may_manage(request.user)
    ctx = {
        "pl": pl,
        "items": sel.pricelist_items(pl),
        "assigned": list(sel.customers_with_list(pl)[:100]) if manage else [],
        "may_manage": manage,
        "nav": "price_lists",
    }
    return render(request, "crm/settings/price_list.html", ctx)


def _rows_from(post) -> list[dict]:
    """The item rows posted, without the empty ones (their order is the order errors are keyed by)."""
    rows = []
    for i in range(MAX_ROWS + EXTRA_ROWS * 4):
        if f"items-{i}-product" not in post and f"items-{i}-unit_price" not in post:
            break
        row = {f: post.get(f"items-{i}-{f}", "").strip()[:40] for f in ITEM_FIELDS}
        if row["product"] or row["unit_price"]:
            rows.append(row)
    return rows


def _num(d) -> str:
    return f"{d.normalize():f}"


def _form(request, pl, data: dict, rows: list[dict], errors: dict, extra: int = EXTRA_ROWS):
    shown = [
        {**r, "errors": {f: errors.get(f"items[{i}].{f}") for f in ITEM_FIELDS}} for i, r in enumerate(rows)
    ]
    shown += [{**dict.fromkeys(ITEM_FIELDS, ""), "errors": {}} for _ in range(extra)]
    ctx = {
        "pl": pl,
        "data": data,
        "rows": shown,
        "errors": {_labels().get(k, k): v for k, v in errors.items() if not k.startswith("items[")},
        "bad": set(errors),
        "row_errors": any(k.startswith("items[") for k in errors),
        "products": usable_products(actor=request.user, sold=True).order_by("code")[:MAX_PRODUCTS],
        "currencies": Currency.objects.filter(active=True).order_by("code"),
        "nav": "price_lists",
    }
    return render(request, "crm/settings/price_list_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def price_list_edit(request, pk=None):
    svc.require_manager(request.user)
    pl = sel.pricelist_get(actor=request.user, pk=pk) if pk else None
    if request.method == "GET":
        if pl is None:
            return _form(request, None, {"currency": "CNY"}, [], {})
        data = {
            **{k: getattr(pl, k) or "" for k in ("name_en", "name_zh", "currency_id", "note")},
            "currency": pl.currency_id,
            "valid_from": pl.valid_from.isoformat() if pl.valid_from else "",
            "valid_until": pl.valid_until.isoformat() if pl.valid_until else "",
            "customer": pl.customer_id or "",
            "customer_name": pl.customer.name if pl.customer else "",
            "is_default": pl.is_default,
            "version": pl.version,
        }
        rows = [
            {"product": x.product_id, "min_quantity": _num(x.min_quantity), "unit_price": _num(x.unit_price)}
            for x in sel.pricelist_items(pl)
        ]
        return _form(request, pl, data, rows, {})
    data = {k: request.POST.get(k, "").strip() for k in HEADER}
    data["is_default"] = request.POST.get("is_default") == "on"
    rows = _rows_from(request.POST)
    shown = {**data, "version": request.POST.get("version", "")}
    if data["customer"]:
        picked = party_visible(actor=request.user).filter(pk=svc._id(data["customer"]) or 0).first()
        shown["customer_name"] = picked.name if picked else ""
    if "add_rows" in request.POST:  # more empty rows, nothing saved
        return _form(request, pl, shown, rows, {}, extra=EXTRA_ROWS * 2)
    payload = {**data, "items": rows}
    try:
        if pl is None:
            pl = svc.pricelist_create(actor=request.user, data=payload)
            messages.success(request, _("Price list %(name)s added.") % {"name": pl.name})
        else:
            pl = svc.pricelist_update(
                actor=request.user, price_list=pl, version=request.POST.get("version"), data=payload
            )
            messages.success(request, _("Price list %(name)s saved.") % {"name": pl.name})
        return redirect(pl.get_absolute_url())
    except ValidationError as exc:
        errors = exc.message_dict
    except ConflictError as exc:
        errors = {"__all__": [str(exc.message)]}
    return _form(request, pl, shown, rows, errors)


@login_required
@require_POST
def price_list_archive(request, pk):
    pl = sel.pricelist_get(actor=request.user, pk=pk)
    archived = request.POST.get("op") != "restore"
    try:
        svc.pricelist_archive(actor=request.user, price_list=pl, archived=archived)
        messages.success(request, _("Price list archived.") if archived else _("Price list restored."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(pl.get_absolute_url())


@login_required
@require_POST
def customer_price_list(request, party_pk):
    party = party_get(actor=request.user, pk=party_pk)
    try:
        svc.customer_price_list_set(
            actor=request.user, party=party, price_list=request.POST.get("price_list") or None
        )
        messages.success(request, _("The customer's price list is saved."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except GuanxiError as exc:
        messages.error(request, str(exc.message))
    return redirect(party.get_absolute_url())

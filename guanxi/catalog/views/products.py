"""The product list (search as you type, filters, keyset pages), a product's page, its form, archive and
restore, and the CSV/XLSX export (a background job of core)."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.catalog import export
from guanxi.catalog.choices import ProductKind
from guanxi.catalog.forms import ProductForm
from guanxi.catalog.permissions import Action
from guanxi.catalog.selectors import catalog as sel
from guanxi.catalog.services import products as svc
from guanxi.core import registry
from guanxi.core.exceptions import ConflictError, GuanxiError, NotFoundError, PermissionDeniedError
from guanxi.core.models.exports import ExportFormat
from guanxi.core.pagination import capped_count, keyset_page
from guanxi.core.roles import grants_for
from guanxi.core.selectors.users import history_for
from guanxi.core.services.exports import export_request

PAGE_SIZE = 25
DOC = "catalog.product"


def _int(value):
    try:
        n = int(value)
        return n if 0 < n < 2**53 else None
    except (TypeError, ValueError):
        return None


def filters_from(params) -> sel.ProductFilters:
    return sel.ProductFilters(
        q=params.get("q", "").strip(),
        category=_int(params.get("category")),
        kind=params.get("kind", ""),
        sold=params.get("sold", ""),
        bought=params.get("bought", ""),
        state=params.get("state", "") or "active",
        sort=params.get("sort", ""),
    )


def _can(user) -> dict:
    g = grants_for(user)
    return {
        "change": g.can(Action.PRODUCT_CHANGE),
        "export": g.can(Action.PRODUCT_EXPORT),
        "manage": g.can(Action.CATALOG_MANAGE),
    }


# "" (the default order) is the best match while searching and the name otherwise: a sort the user did not
# choose is never sent with a live search (it would turn the ranking off).
SORT_LABELS = {
    "": gettext_lazy("Default order"),
    "name": gettext_lazy("Name A–Z"),
    "-name": gettext_lazy("Name Z–A"),
    "code": gettext_lazy("Code A–Z"),
    "-code": gettext_lazy("Code Z–A"),
    "-updated": gettext_lazy("Recently changed"),
}


@login_required
def product_list(request):
    sel.require_reader(request.user)
    filters = filters_from(request.GET)
    error, truncated, empty = None, False, ""
    try:
        results = sel.product_results(actor=request.user, filters=filters)
        page = keyset_page(
            sel.product_rows(results.qs),
            ordering=results.ordering,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
        truncated = results.truncated
        # A search knows how many it kept (at most 200): no count query.
        count, more = (results.matched, False) if results.matched is not None else capped_count(results.qs)
        if not page.items and not request.GET.get("cursor"):
            if filters != sel.ProductFilters():
                empty = "filtered"
            elif sel.product_list(actor=request.user, filters=sel.ProductFilters(state="all")).exists():
                empty = "archived"
            else:
                empty = "nothing"
    except ValidationError as exc:
        error = " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
        page, count, more = None, 0, False
    params = request.GET.copy()
    params.pop("cursor", None)
    ctx = {
        "filters": filters,
        "page": page,
        "count": count,
        "more": more,
        "truncated": truncated,
        "limit": sel.SEARCH_RESULT_LIMIT,
        "error": error,
        "empty": empty,
        "query": params.urlencode(),
        "categories": sel.category_tree(actor=request.user),
        "kinds": ProductKind.choices,
        "sorts": [(k, str(v)) for k, v in SORT_LABELS.items()],
        "can": _can(request.user),
        "nav": "products",
    }
    template = (
        "catalog/partials/results.html" if request.htmx and not request.htmx.boosted else "catalog/list.html"
    )
    response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _history_tab(product, user):
    return {"entries": history_for(subject_type=DOC, subject_id=product.pk)[:100]}


@login_required
def product_detail(request, pk):
    product = sel.product_get(actor=request.user, pk=pk)
    tabs = registry.tabs_for(DOC, product, request.user)
    default = (
        "approval" if product.approval_status == "pending" and any(t.key == "approval" for t in tabs) else ""
    )
    key = request.GET.get("tab") or default or "overview"
    tab = next((t for t in tabs if t.key == key), None)
    tab_html = ""
    if tab is not None:
        ctx = {"object": product, **(tab.context(product, request.user) if tab.context else {})}
        tab_html = render_to_string(tab.template, ctx, request=request)
    elif key == "history":
        tab_html = render_to_string(
            "core/partials/history.html", _history_tab(product, request.user), request=request
        )
    else:
        key = "overview"
    ctx = {
        "product": product,
        "category_label": sel.category_label(product.category),
        "tabs": tabs,
        "active": key,
        "tab_html": tab_html,
        "can": _can(request.user),
        "nav": "products",
    }
    return render(request, "catalog/detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk=None):
    product = sel.product_get(actor=request.user, pk=pk) if pk else None
    svc.require_changer(request.user)
    if request.method == "POST":
        form = ProductForm(request.POST, actor=request.user, product=product)
        if form.is_valid():
            try:
                if product is None:
                    product = svc.product_create(actor=request.user, data=form.data_for_service())
                    messages.success(request, _("Product %(code)s added.") % {"code": product.code})
                else:
                    product = svc.product_update(
                        actor=request.user,
                        product=product,
                        version=form.cleaned_data.get("version"),
                        data=form.data_for_service(),
                    )
                    messages.success(request, _("Product %(code)s saved.") % {"code": product.code})
                return redirect("catalog:detail", pk=product.pk)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
    elif product is not None:
        form = ProductForm(actor=request.user, product=product, initial=ProductForm.initial_of(product))
    else:
        initial = {"kind": ProductKind.PRODUCT, "can_sell": True}
        unit = sel.unit_default()
        if unit is not None:
            initial["unit"] = unit.pk
        if request.GET.get("category"):
            initial["category"] = _int(request.GET.get("category"))
        form = ProductForm(actor=request.user, initial=initial)
    return render(request, "catalog/form.html", {"form": form, "product": product, "nav": "products"})


@login_required
@require_POST
def product_archive(request, pk):
    product = sel.product_get(actor=request.user, pk=pk)
    restore = request.POST.get("restore") == "1"
    try:
        if restore:
            svc.product_restore(actor=request.user, product=product, version=request.POST.get("version"))
            messages.success(request, _("%(code)s restored.") % {"code": product.code})
        else:
            svc.product_archive(actor=request.user, product=product, version=request.POST.get("version"))
            messages.success(
                request, _("%(code)s archived: new documents cannot pick it.") % {"code": product.code}
            )
    except ConflictError as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("catalog:detail", pk=product.pk)


@login_required
@require_http_methods(["GET", "POST"])
def product_export(request, fmt: str):
    """GET: what will be exported (the list's filters). POST: start the background job."""
    if fmt not in ExportFormat.values:
        raise NotFoundError()
    if not export.allowed(request.user):
        raise PermissionDeniedError()
    filters = filters_from(request.GET)
    back = f"{reverse('catalog:list')}?{request.GET.urlencode()}"
    params = export.clean(asdict(filters))
    try:
        if request.method == "POST":
            job = export_request(actor=request.user, what=export.KEY, fmt=fmt, params=params)
            return redirect("core:export_detail", pk=job.pk)
        count, more = capped_count(sel.product_list(actor=request.user, filters=export.filters_of(params)))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("catalog:list")
    ctx = {"what": _("Products"), "fmt": ExportFormat(fmt).label, "count": count, "more": more, "back": back}
    return render(request, "core/exports/new.html", ctx)


@login_required
@require_POST
def product_submit(request, pk):
    """Submit a new or rejected product for approval (the approvals block does the rest)."""
    product = sel.product_get(actor=request.user, pk=pk)
    try:
        req = svc.product_submit(actor=request.user, product=product)
    except GuanxiError as exc:
        after = getattr(exc, "after_rollback", None)
        if after:
            after()  # an approval setup problem: recorded for the administrators too
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if req.status == "approved":
            messages.success(request, _("No approval needed: the product is in use."))
        else:
            messages.success(request, _("Submitted for approval."))
    return redirect("catalog:detail", pk=product.pk)

"""Settings → Product categories and Units of measure: everyone who reads the catalogue sees them; those with
catalog.manage change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.catalog.forms import CategoryForm, UnitForm
from guanxi.catalog.permissions import Action
from guanxi.catalog.selectors import catalog as sel
from guanxi.catalog.services import setup as svc
from guanxi.core.exceptions import ConflictError
from guanxi.core.roles import grants_for
from guanxi.core.selectors.users import history_for


def _manage(user) -> bool:
    return grants_for(user).can(Action.CATALOG_MANAGE)


@login_required
def categories(request):
    tree = sel.category_tree(actor=request.user)
    counts = sel.category_product_counts()
    for c in tree:
        c.count = counts.get(c.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "catalog/settings/categories.html",
        {"categories": tree, "manage": _manage(request.user), "section": "product_categories"},
    )


def _save(request, form, save, success: str, back: str):
    if form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, success)
            return redirect(back)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except ConflictError as exc:
            form.add_error(None, str(exc.message))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request, pk=None):
    category = sel.category_get(actor=request.user, pk=pk) if pk else None
    svc.require_manager(request.user)
    if request.method == "POST":
        form = CategoryForm(request.POST, actor=request.user, category=category)

        def save(d):
            data = {k: d.get(k) for k in ("name_en", "name_zh", "parent", "active")}
            if category is None:
                return svc.category_create(actor=request.user, data=data)
            return svc.category_update(
                actor=request.user, category=category, version=d.get("version"), data=data
            )

        done = _save(request, form, save, _("Category saved."), "catalog:categories")
        if done:
            return done
    elif category is not None:
        form = CategoryForm(
            actor=request.user,
            category=category,
            initial={
                "name_en": category.name_en,
                "name_zh": category.name_zh,
                "parent": category.parent_id,
                "active": category.active,
                "version": category.version,
            },
        )
    else:
        form = CategoryForm(actor=request.user, initial={"parent": request.GET.get("parent"), "active": True})
    ctx: dict = {"form": form, "category": category, "section": "product_categories"}
    if category is not None:
        ctx["entries"] = history_for(subject_type="catalog.category", subject_id=category.pk)[:50]
    return render(request, "catalog/settings/category_form.html", ctx)


@login_required
def units(request):
    return render(
        request,
        "catalog/settings/units.html",
        {
            "groups": sel.unit_categories(actor=request.user),
            "manage": _manage(request.user),
            "section": "units",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk=None):
    unit = sel.unit_get(actor=request.user, pk=pk) if pk else None
    svc.require_manager(request.user)
    if request.method == "POST":
        form = UnitForm(request.POST, actor=request.user, unit=unit)

        def save(d):
            data = {
                k: d.get(k)
                for k in ("code", "name_en", "name_zh", "category", "factor", "decimal_places", "active")
            }
            if unit is None:
                return svc.unit_create(actor=request.user, data=data)
            data.pop("code")
            return svc.unit_update(actor=request.user, unit=unit, version=d.get("version"), data=data)

        done = _save(request, form, save, _("Unit saved."), "catalog:units")
        if done:
            return done
    elif unit is not None:
        form = UnitForm(
            actor=request.user,
            unit=unit,
            initial={
                "name_en": unit.name_en,
                "name_zh": unit.name_zh,
                "category": unit.category_id,
                "factor": unit.factor.normalize(),
                "decimal_places": unit.decimal_places,
                "active": unit.active,
                "version": unit.version,
            },
        )
    else:
        form = UnitForm(actor=request.user, initial={"decimal_places": 0, "active": True})
    ctx: dict = {"form": form, "unit": unit, "section": "units"}
    if unit is not None:
        ctx["entries"] = history_for(subject_type="catalog.unit", subject_id=unit.pk)[:50]
    return render(request, "catalog/settings/unit_form.html", ctx)

"""Settings → Currencies and Tax rates: every user with a role reads them, administrators change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError
from guanxi.core.money_forms import CurrencyForm, TaxRateForm
from guanxi.core.roles import Action, grants_for
from guanxi.core.selectors.money import currency_get, currency_list, tax_rate_get, tax_rate_list
from guanxi.core.selectors.users import history_for
from guanxi.core.services import money as svc
from guanxi.core.services.money import require_manager

PAGE_SIZE = 50


def _may_manage(request) -> bool:
    return grants_for(request.user).can(Action.SETTINGS_MANAGE)


@login_required
def currencies(request):
    page = Paginator(currency_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/settings/currencies.html",
        {"page": page, "manage": _may_manage(request), "section": "currencies"},
    )


def _conflict(form, exc: ConflictError) -> None:
    form.add_error(None, str(exc.message))


@login_required
def currency_edit(request, code=None):
    currency = currency_get(actor=request.user, code=code) if code else None
    require_manager(request.user)
    editing = currency is not None
    if request.method == "POST":
        form = CurrencyForm(request.POST, editing=editing)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if currency is None:
                    currency = svc.currency_create(
                        actor=request.user, **{k: d[k] for k in d if k != "version"}
                    )
                    messages.success(request, _("Currency %(code)s added.") % {"code": currency.code})
                else:
                    svc.currency_update(
                        actor=request.user,
                        currency=currency,
                        version=d.get("version"),
                        name_en=d["name_en"],
                        name_zh=d["name_zh"],
                        symbol=d["symbol"],
                        active=d["active"],
                    )
                    messages.success(request, _("Currency %(code)s saved.") % {"code": currency.code})
                return redirect("core:currencies")
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                _conflict(form, exc)
    elif currency is not None:
        form = CurrencyForm(
            editing=True,
            initial={
                "name_en": currency.name_en,
                "name_zh": currency.name_zh,
                "symbol": currency.symbol,
                "active": currency.active,
                "version": currency.version,
            },
        )
    else:
        form = CurrencyForm()
    context: dict[str, object] = {"form": form, "currency": currency, "section": "currencies"}
    if currency is not None:
        context["entries"] = history_for(subject_type="core.currency", subject_id=currency.pk)[:50]
    return render(request, "core/settings/currency_form.html", context)


@login_required
def tax_rates(request):
    page = Paginator(tax_rate_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/settings/tax_rates.html",
        {"page": page, "manage": _may_manage(request), "section": "tax_rates"},
    )


@login_required
def tax_rate_edit(request, pk=None):
    tax = tax_rate_get(actor=request.user, pk=pk) if pk else None
    require_manager(request.user)
    if request.method == "POST":
        form = TaxRateForm(request.POST, editing=tax is not None)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if tax is None:
                    tax = svc.tax_rate_create(actor=request.user, **{k: d[k] for k in d if k != "version"})
                    messages.success(request, _("Tax rate %(name)s added.") % {"name": tax.name})
                else:
                    tax = svc.tax_rate_update(
                        actor=request.user,
                        tax_rate=tax,
                        version=d.get("version"),
                        **{k: d[k] for k in ("name_en", "name_zh", "rate", "kind", "active")},
                    )
                    messages.success(request, _("Tax rate %(name)s saved.") % {"name": tax.name})
                return redirect("core:tax_rates")
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                _conflict(form, exc)
    elif tax is not None:
        form = TaxRateForm(
            editing=True,
            initial={
                "name_en": tax.name_en,
                "name_zh": tax.name_zh,
                "kind": tax.kind,
                "rate": tax.rate.normalize(),
                "active": tax.active,
                "version": tax.version,
            },
        )
    else:
        form = TaxRateForm()
    context: dict[str, object] = {"form": form, "tax": tax, "section": "tax_rates"}
    if tax is not None:
        context["entries"] = history_for(subject_type="core.taxrate", subject_id=tax.pk)[:50]
    return render(request, "core/settings/tax_rate_form.html", context)

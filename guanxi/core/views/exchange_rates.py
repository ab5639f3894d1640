"""Settings → Exchange rates: the list (filters, pages), entering and correcting a rate, CSV/XLSX import
with a preview, a converter, and the history of rate changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.core.money_forms import (
    ConvertForm,
    ExchangeRateForm,
    RateEditForm,
    RateFilterForm,
    RateImportForm,
)
from guanxi.core.roles import Action, grants_for
from guanxi.core.selectors.exchange_rates import (
    RateFilters,
    convert,
    exchange_rate_get,
    exchange_rate_history_list,
    exchange_rate_list,
)
from guanxi.core.selectors.money import currency_choices, require_reader
from guanxi.core.selectors.users import history_for
from guanxi.core.services import exchange_rates as svc
from guanxi.core.services.money import require_manager
from guanxi.core.services.rate_import import MAX_BYTES, exchange_rates_import

PAGE_SIZE = 50
SECTION = "exchange_rates"


def _may_manage(request) -> bool:
    return grants_for(request.user).can(Action.SETTINGS_MANAGE)


def _filters(form: RateFilterForm) -> RateFilters:
    if not form.is_valid():
        return RateFilters()
    d = form.cleaned_data
    return RateFilters(currency=d["currency"] or "", date_from=d["date_from"], date_to=d["date_to"])


def _query(request) -> str:
    """The filters as a query string for the pager's links (without the page)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def exchange_rates(request):
    currencies = currency_choices()  # one read for both forms' pickers
    filter_form = RateFilterForm(request.GET or None, currencies=currencies)
    qs = exchange_rate_list(actor=request.user, filters=_filters(filter_form))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": any(request.GET.get(k) for k in ("currency", "date_from", "date_to")),
        "query": _query(request),
        "manage": _may_manage(request),
        "convert_form": ConvertForm(auto_id="convert_%s", currencies=currencies),
        "section": SECTION,
    }
    if request.htmx and request.headers.get("HX-Target") == "rate-results":
        response = render(request, "core/settings/partials/rate_results.html", context)
    else:
        response = render(request, "core/settings/exchange_rates.html", context)
    response["Vary"] = "HX-Request, HX-Target"
    return response


@login_required
def exchange_rate_create(request):
    require_manager(request.user)
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = svc.exchange_rate_create(
                actor=request.user, date=d["date"], base=d["base"], quote=d["quote"], rate=d["rate"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Rate saved: %(rate)s.") % {"rate": str(row)})
            return redirect("core:exchange_rates")
    return render(request, "core/settings/exchange_rate_form.html", {"form": form, "section": SECTION})


@login_required
def exchange_rate_edit(request, pk):
    row = exchange_rate_get(actor=request.user, pk=pk)
    require_manager(request.user)
    if request.method == "POST":
        form = RateEditForm(request.POST)
        if form.is_valid():
            try:
                row = svc.exchange_rate_update(
                    actor=request.user,
                    exchange_rate=row,
                    version=form.cleaned_data["version"],
                    rate=form.cleaned_data["rate"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Rate saved: %(rate)s.") % {"rate": str(row)})
                return redirect("core:exchange_rates")
    else:
        form = RateEditForm(initial={"rate": svc.rate_text(row.rate), "version": row.version})
    entries = history_for(subject_type="core.exchangerate", subject_id=row.pk)[:50]
    return render(
        request,
        "core/settings/exchange_rate_form.html",
        {"form": form, "rate": row, "entries": entries, "section": SECTION},
    )


@login_required
@require_POST
def exchange_rate_delete(request, pk):
    row = exchange_rate_get(actor=request.user, pk=pk)
    svc.exchange_rate_delete(actor=request.user, exchange_rate=row)
    messages.success(request, _("Rate deleted: %(rate)s.") % {"rate": str(row)})
    return redirect("core:exchange_rates")


@login_required
def exchange_rate_convert(request):
    """Convert an amount at a date's rate; the result says which rate (and of which day) was used."""
    require_reader(request.user)
    form = ConvertForm(request.GET or None, auto_id="convert_%s")
    result = error = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = convert(d["amount"], d["from_currency"], d["to_currency"], on=d["date"])
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        except GuanxiError as exc:
            error = str(exc.message)
    context = {"convert_form": form, "result": result, "error": error, "section": SECTION}
    if request.htmx:
        return render(request, "core/settings/partials/convert_result.html", context)
    return render(request, "core/settings/convert.html", context)


@login_required
def exchange_rate_import(request):
    """Upload → preview (what each line would do, or what is wrong) → import, all or nothing. The preview
    page carries the file's text in a hidden field, so the import reads exactly what was previewed."""
    require_manager(request.user)
    result = None
    form = RateImportForm()
    if request.method == "POST":
        form = RateImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload is not None and upload.size > MAX_BYTES:
                form.add_error("file", _("The file is larger than 2 MB: split it into several imports."))
            else:
                content, name = _content(upload, form.cleaned_data["text"])
                apply = request.POST.get("apply") == "1"
                try:
                    result = exchange_rates_import(
                        actor=request.user, content=content, filename=name, apply=apply
                    )
                except ValidationError as exc:
                    form.add_service_errors(exc)
                else:
                    if result.applied:
                        messages.success(
                            request,
                            _("Imported: %(new)d new, %(changed)d changed, %(same)d unchanged.")
                            % {
                                "new": result.count("new"),
                                "changed": result.count("changed"),
                                "same": result.count("unchanged"),
                            },
                        )
                        return redirect("core:exchange_rates")
                    form = RateImportForm(initial={"text": _as_text(content, name)})
    return render(
        request,
        "core/settings/exchange_rate_import.html",
        {"form": form, "result": result, "section": SECTION},
    )


def _content(upload, text: str) -> tuple[bytes, str]:
    if upload is not None:
        return upload.read(), upload.name or ""
    return text.encode("utf-8"), "pasted.csv"


def _as_text(content: bytes, name: str) -> str:
    """What the preview page keeps for the import: the rows as CSV text (an XLSX file is turned into CSV),
    so the second step needs no second upload."""
    import csv
    import io

    from guanxi.core.services.rate_import import read_table

    try:
        rows = read_table(content, name)
    except ValueError:
        return ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@login_required
def exchange_rate_history(request):
    """Every change to exchange rates: entered, corrected, imported, deleted (newest first)."""
    qs = exchange_rate_history_list(actor=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/settings/exchange_rate_history.html", {"page": page, "section": SECTION})

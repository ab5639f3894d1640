"""The opportunity table (the board's data as rows, same filters, keyset pages), an opportunity's page with
its tabs, its form, and the win / lose / reopen operations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.core.models import Team
from guanxi.core.pagination import capped_count, keyset_page
from guanxi.core.selectors.users import users_with_action
from guanxi.crm.forms import LoseForm, OpportunityForm
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import board as board_sel
from guanxi.crm.selectors import opportunities as sel
from guanxi.crm.services import opportunities as svc
from guanxi.crm.views.common import can, error_text, filters_from, record_tabs
from guanxi.parties.selectors.parties import party_visible

PAGE_SIZE = 25
DOC = "crm.opportunity"
SORT_LABELS = {
    "": gettext_lazy("Expected close, soonest first"),
    "-close": gettext_lazy("Expected close, latest first"),
    "-updated": gettext_lazy("Recently changed"),
    "name": gettext_lazy("Name A–Z"),
}
STATE_LABELS = {
    "": gettext_lazy("Open"),
    "won": gettext_lazy("Won"),
    "lost": gettext_lazy("Lost"),
    "closed": gettext_lazy("Won or lost"),
    "all": gettext_lazy("All"),
}


@login_required
def opportunity_list(request):
    sel.require_reader(request.user)
    error, page, count, more = None, None, 0, False
    try:
        filters = filters_from(request.GET)
        qs = sel.opportunity_list(actor=request.user, filters=filters)
        page = keyset_page(
            sel.opportunity_rows(qs),
            ordering=sel.ordering_of(filters),
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
        count, more = capped_count(qs)
    except ValidationError as exc:
        filters, error = sel.OpportunityFilters(), error_text(exc)
    params = request.GET.copy()
    params.pop("cursor", None)
    ctx = {
        "filters": filters,
        "page": page,
        "count": count,
        "more": more,
        "error": error,
        "query": params.urlencode(),
        "pipelines": board_sel.pipelines_in_use(),
        "owners": users_with_action(Action.OPPORTUNITY_VIEW),
        "teams": Team.objects.order_by("name"),
        "sorts": list(SORT_LABELS.items()),
        "states": list(STATE_LABELS.items()),
        "can": can(request.user),
        "nav": "opportunities",
    }
    partial = request.htmx and not request.htmx.boosted
    response = render(request, "crm/partials/table.html" if partial else "crm/list.html", ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def opportunity_detail(request, pk):
    o = sel.opportunity_get(actor=request.user, pk=pk)
    return render(request, "crm/detail.html", detail_context(request, o))


def detail_context(request, o, *, line_rows: list | None = None, line_errors: bool = False) -> dict:
    """The opportunity's page: its facts, tabs and products (with the rows typed, when a save was refused)."""
    tabs, key, tab_html = record_tabs(request, DOC, o)
    board_sel.mark_warnings([o], o.pipeline)
    lines = list(o.lines.select_related("product"))
    may_change = sel.can_change(actor=request.user, opportunity=o)
    if line_rows is None:
        line_rows = [
            {"product": x.product_id, "quantity": f"{x.quantity.normalize():f}", "note": x.note,
             "unit_price": "" if x.unit_price is None else f"{x.unit_price.normalize():f}"}
            for x in lines
        ] + [{"product": "", "quantity": "", "unit_price": "", "note": ""} for _ in range(3)]  # fmt: skip
    amounts = [x.amount for x in lines if x.amount is not None]
    return {
        "o": o,
        "tabs": tabs,
        "active": key,
        "tab_html": tab_html,
        "stages": o.pipeline.stages.filter(archived_at__isnull=True).order_by("position", "id"),
        "members": o.members.order_by("username"),
        "contacts": o.contact_roles.select_related("contact"),
        "may_change": may_change,
        "can": can(request.user),
        "nav": "opportunities",
        "lines": lines,
        "lines_total": sum(amounts) if amounts else None,
        "line_rows": line_rows,
        "line_errors": line_errors,
        "products": usable_products(actor=request.user, sold=True).order_by("code")[:500]
        if may_change
        else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk=None):
    o = sel.opportunity_get(actor=request.user, pk=pk, mode="edit") if pk else None
    svc.require_changer(request.user)
    customer = None
    if o is None and request.GET.get("customer"):
        customer = party_visible(actor=request.user).filter(pk=_int(request.GET.get("customer"))).first()
    if request.method == "POST":
        form = OpportunityForm(request.POST, actor=request.user, opportunity=o)
        if form.is_valid():
            try:
                if o is None:
                    o = svc.opportunity_create(actor=request.user, data=form.data_for_service())
                    messages.success(request, _("Opportunity %(name)s added.") % {"name": o.name})
                else:
                    o = svc.opportunity_update(
                        actor=request.user,
                        opportunity=o,
                        version=form.cleaned_data.get("version"),
                        data=form.data_for_service(),
                    )
                    messages.success(request, _("Opportunity %(name)s saved.") % {"name": o.name})
                return redirect(o.get_absolute_url())
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
    elif o is not None:
        form = OpportunityForm(actor=request.user, opportunity=o, initial=OpportunityForm.initial_of(o))
    else:
        initial = {"owner": request.user.pk, "customer": customer.pk if customer else None}
        if request.GET.get("stage"):
            initial["stage"] = _int(request.GET.get("stage"))
        from guanxi.crm.selectors.totals import home_currency

        initial["currency"] = home_currency()
        form = OpportunityForm(actor=request.user, customer=customer, initial=initial)
    return render(request, "crm/form.html", {"form": form, "o": o, "nav": "opportunities"})


def _int(value):
    try:
        n = int(value)
        return n if 0 < n < 2**53 else None
    except (TypeError, ValueError):
        return None


def _operation(request, pk, run, done: str):
    o = sel.opportunity_get(actor=request.user, pk=pk, mode="edit")
    try:
        o = run(o)
        messages.success(request, done % {"name": o.name})
    except ConflictError as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except GuanxiError as exc:
        messages.error(request, str(exc.message))
    return redirect(o.get_absolute_url())


@login_required
@require_POST
def opportunity_move(request, pk):
    version, stage = request.POST.get("version"), request.POST.get("stage")
    return _operation(
        request,
        pk,
        lambda o: svc.opportunity_move(actor=request.user, opportunity=o, stage=stage, version=version),
        _("%(name)s moved."),
    )


@login_required
@require_POST
def opportunity_win(request, pk):
    version = request.POST.get("version")
    return _operation(
        request,
        pk,
        lambda o: svc.opportunity_win(actor=request.user, opportunity=o, version=version),
        _("%(name)s is won."),
    )


@login_required
@require_POST
def opportunity_reopen(request, pk):
    version = request.POST.get("version")
    return _operation(
        request,
        pk,
        lambda o: svc.opportunity_reopen(actor=request.user, opportunity=o, version=version),
        _("%(name)s is open again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_lose(request, pk):
    o = sel.opportunity_get(actor=request.user, pk=pk, mode="edit")
    if request.method == "POST":
        form = LoseForm(request.POST)
        if form.is_valid():
            try:
                svc.opportunity_lose(
                    actor=request.user,
                    opportunity=o,
                    version=form.cleaned_data["version"],
                    lost_reason=form.cleaned_data["lost_reason"],
                    lost_note=form.cleaned_data["lost_note"],
                )
                messages.success(request, _("%(name)s is lost.") % {"name": o.name})
                return redirect(o.get_absolute_url())
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
    else:
        form = LoseForm(initial={"version": request.GET.get("version") or o.version})
    return render(request, "crm/lose.html", {"form": form, "o": o, "nav": "opportunities"})

"""Leads: the list (filters, keyset pages), a lead's page with its status operations, its form, and the
conversion page that offers the duplicates found."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.core.pagination import capped_count, keyset_page
from guanxi.crm.choices import LeadSource, LeadStatus
from guanxi.crm.lead_forms import ConvertForm, DisqualifyForm, LeadForm
from guanxi.crm.selectors import leads as sel
from guanxi.crm.services import lead_conversion
from guanxi.crm.services import leads as svc
from guanxi.crm.views.common import can, error_text, record_tabs

DOC = "crm.lead"


@login_required
def lead_list(request):
    sel.require_reader(request.user)
    f = sel.LeadFilters(
        status=request.GET.get("status", ""),
        source=request.GET.get("source", ""),
        owner=request.GET.get("owner", "")[:20],
        q=request.GET.get("q", "").strip()[:100],
    )
    error, page, count, more = None, None, 0, False
    try:
        qs = sel.lead_list(actor=request.user, filters=f)
        page = keyset_page(qs, ordering=sel.ORDERING, cursor=request.GET.get("cursor") or None, limit=25)
        count, more = capped_count(qs)
    except ValidationError as exc:
        error = error_text(exc)
    params = request.GET.copy()
    params.pop("cursor", None)
    ctx = {
        "filters": f,
        "page": page,
        "count": count,
        "more": more,
        "error": error,
        "query": params.urlencode(),
        "statuses": LeadStatus.choices,
        "sources": LeadSource.choices,
        "can": {**can(request.user), "lead": _can_change(request.user)},
        "nav": "leads",
    }
    partial = request.htmx and not request.htmx.boosted
    return render(request, "crm/leads/partials/table.html" if partial else "crm/leads/list.html", ctx)


def _can_change(user) -> bool:
    from guanxi.core.roles import grants_for
    from guanxi.crm.permissions import Action

    return grants_for(user).can(Action.LEAD_CHANGE)


@login_required
def lead_detail(request, pk):
    lead = sel.lead_get(actor=request.user, pk=pk)
    tabs, key, tab_html = record_tabs(request, DOC, lead)
    may_change = sel.lead_visible(actor=request.user, mode="edit").filter(pk=lead.pk).exists()
    ctx = {
        "lead": lead,
        "tabs": tabs,
        "active": key,
        "tab_html": tab_html,
        "may_change": may_change,
        "disqualify_form": DisqualifyForm(initial={"version": lead.version}) if may_change else None,
        "nav": "leads",
    }
    return render(request, "crm/leads/detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request, pk=None):
    lead = sel.lead_get(actor=request.user, pk=pk, mode="edit") if pk else None
    svc.require_changer(request.user)
    if request.method == "POST":
        form = LeadForm(request.POST, actor=request.user, lead=lead)
        if form.is_valid():
            try:
                if lead is None:
                    lead = svc.lead_create(actor=request.user, data=form.data_for_service())
                    messages.success(request, _("Lead %(name)s added.") % {"name": lead})
                else:
                    data = form.data_for_service()
                    lead = svc.lead_update(
                        actor=request.user, lead=lead, version=form.cleaned_data.get("version"), data=data
                    )
                    messages.success(request, _("Lead %(name)s saved.") % {"name": lead})
                return redirect(lead.get_absolute_url())
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
    elif lead is not None:
        form = LeadForm(actor=request.user, lead=lead, initial=LeadForm.initial_of(lead))
    else:
        form = LeadForm(actor=request.user, initial={"owner": request.user.pk, "source": LeadSource.MANUAL})
    return render(request, "crm/leads/form.html", {"form": form, "lead": lead, "nav": "leads"})


@login_required
@require_POST
def lead_status(request, pk):
    lead = sel.lead_get(actor=request.user, pk=pk, mode="edit")
    status = request.POST.get("status", "")
    try:
        svc.lead_set_status(
            actor=request.user,
            lead=lead,
            version=request.POST.get("version"),
            status=status,
            reason=request.POST.get("disqualify_reason"),
            note=request.POST.get("disqualify_note", ""),
        )
        messages.success(
            request, _("Lead %(name)s: %(status)s.") % {"name": lead, "status": LeadStatus(status).label}
        )
    except (ValidationError, ConflictError) as exc:
        messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc.message))
    return redirect(lead.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def lead_convert(request, pk):
    lead = sel.lead_get(actor=request.user, pk=pk, mode="edit")
    if lead.status == LeadStatus.CONVERTED:
        return redirect(lead.get_absolute_url())
    duplicates = sel.lead_duplicates(actor=request.user, lead=lead)
    if request.method == "POST":
        form = ConvertForm(request.POST, actor=request.user, lead=lead, duplicates=duplicates)
        if form.is_valid():
            d = form.cleaned_data
            opportunity = None
            if d["create_opportunity"]:
                opportunity = {
                    "name": d["opportunity_name"] or str(lead),
                    "stage": d["stage"],
                    "amount": d["amount"],
                    "expected_close": d["expected_close"],
                }
            choice = lead_conversion.Conversion(
                organization=d["organization"], contact=d["contact"], opportunity=opportunity
            )
            try:
                lead = lead_conversion.lead_convert(
                    actor=request.user, lead=lead, version=d["version"], choice=choice
                )
                messages.success(request, _("Lead %(name)s converted.") % {"name": lead})
                return redirect(
                    lead.opportunity.get_absolute_url() if lead.opportunity else lead.get_absolute_url()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
    else:
        # A customer or person that exists already (and may be seen) is the default: a second one is the
        # mistake to avoid; creating a new one stays one click away.
        org = next((str(h.party.pk) for h in duplicates.organizations if h.visible), None)
        person = next((str(h.party.pk) for h in duplicates.people if h.visible), None)
        initial = {
            "version": lead.version,
            "organization": org or ("new" if lead.company_name else ""),
            "contact": person or ("new" if lead.person_name else ""),
            "opportunity_name": str(lead),
        }
        form = ConvertForm(actor=request.user, lead=lead, duplicates=duplicates, initial=initial)
    ctx = {"form": form, "lead": lead, "duplicates": duplicates, "nav": "leads"}
    return render(request, "crm/leads/convert.html", ctx)

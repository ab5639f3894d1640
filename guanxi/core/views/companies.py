"""Settings → Our companies: everyone with a role sees them; administrators add and change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guanxi.core.exceptions import ConflictError, ValidationError
from guanxi.core.forms import CompanyForm
from guanxi.core.models.companies import logo_storage
from guanxi.core.roles import Action, grants_for
from guanxi.core.selectors.companies import company_get, company_list, logo_content_type
from guanxi.core.selectors.users import history_for
from guanxi.core.services import companies as svc


def _is_admin(user) -> bool:
    return grants_for(user).can(Action.SETTINGS_MANAGE)


@login_required
def companies(request):
    page = Paginator(company_list(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/settings/companies.html",
        {"companies": page, "page": page, "is_admin": _is_admin(request.user), "section": "companies"},
    )


def _initial(company) -> dict:
    data = {name: getattr(company, name) for name in svc.EDITABLE}
    return {**data, "version": company.version}


@login_required
def company_edit(request, pk=None):
    company = company_get(pk, actor=request.user) if pk else None
    if not _is_admin(request.user):
        if company is None:
            raise Http404
        return render(
            request, "core/settings/company_detail.html", {"company": company, "section": "companies"}
        )
    has_logo = bool(company and company.logo.name)
    if request.method == "POST":
        form = CompanyForm(
            request.POST,
            request.FILES,
            creating=company is None,
            has_logo=has_logo,
            initial=_initial(company) if company else None,
        )
        if form.is_valid():
            d = form.cleaned_data
            try:
                if company is None:
                    company = svc.company_create(actor=request.user, data=form.service_data(), logo=d["logo"])
                    messages.success(request, _("Company %(name)s added.") % {"name": company.label})
                else:
                    company = svc.company_update(
                        actor=request.user,
                        company=company,
                        version=d["version"],
                        data=form.service_data(),
                        logo=d["logo"],
                        remove_logo=d.get("remove_logo", False),
                    )
                    messages.success(request, _("Company %(name)s saved.") % {"name": company.label})
                return redirect("core:companies")
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
                if company is not None:  # the next save goes over the current version: the user has seen it
                    current = company_get(company.pk)
                    data = request.POST.copy()
                    data["version"] = str(current.version)
                    form.data = data
        if form.errors and request.FILES.get("logo"):
            form.add_error("logo", _("Choose the logo file again: a browser does not keep it."))
    elif company is not None:
        form = CompanyForm(initial=_initial(company), has_logo=has_logo)
    else:
        form = CompanyForm(creating=True)
    history = history_for(subject_type="core.company", subject_id=company.pk)[:20] if company else []
    return render(
        request,
        "core/settings/company_form.html",
        {"form": form, "company": company, "history": history, "section": "companies"},
    )


@login_required
@require_GET
def company_logo(request, pk):
    """The logo, to signed-in users with a role (never served by the web server from the storage)."""
    company = company_get(pk, actor=request.user)
    if not company.logo.name:
        raise Http404
    try:
        f = logo_storage().open(company.logo.name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(f, content_type=logo_content_type(company.logo.name))
    response["Cache-Control"] = "private, max-age=86400"  # the URL changes with the version
    response["Content-Disposition"] = "inline"
    return response

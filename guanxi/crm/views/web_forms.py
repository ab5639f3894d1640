"""Settings → Web forms for leads, and the public form itself (/f/<key>/): no sign-in, no CSRF cookie (it is
embedded on another site, where third-party cookies are blocked), a honeypot field, a rate limit per address,
and the same thanks whatever happens, so it never tells whether a company or person is known."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guanxi.core.clientinfo import client_ip
from guanxi.core.exceptions import ConflictError
from guanxi.crm.lead_forms import PublicLeadForm, WebFormForm
from guanxi.crm.models import WebForm
from guanxi.crm.services import leads as lead_svc
from guanxi.crm.services.pipelines import require_manager
from guanxi.crm.services.web_forms import web_form_save


@login_required
def web_forms(request):
    require_manager(request.user)
    forms = WebForm.objects.select_related("owner", "team").order_by("name", "id")
    public = [(w, request.build_absolute_uri(w.get_public_url())) for w in forms]
    return render(request, "crm/settings/web_forms.html", {"forms": public, "nav": "web_forms"})


@login_required
@require_http_methods(["GET", "POST"])
def web_form_edit(request, pk=None):
    require_manager(request.user)
    w = get_object_or_404(WebForm, pk=pk) if pk else None
    if request.method == "POST":
        form = WebFormForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                web_form_save(
                    actor=request.user,
                    form=w,
                    data=form.cleaned_data,
                    version=form.cleaned_data.get("version"),
                )
                messages.success(request, _("Web form saved."))
                return redirect("crm:web_forms")
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
    elif w is not None:
        initial = {
            "name": w.name,
            "owner": w.owner_id,
            "team": w.team_id,
            "campaign": w.campaign,
            "embed_origins": w.embed_origins,
            "active": w.active,
            "version": w.version,
        }
        form = WebFormForm(actor=request.user, initial=initial)
    else:
        form = WebFormForm(actor=request.user, initial={"active": True})
    return render(request, "crm/settings/web_form.html", {"form": form, "w": w, "nav": "web_forms"})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def public_form(request, key):
    w = WebForm.objects.filter(key=key).select_related("owner").first()
    if w is None or not w.active:
        response = render(request, "crm/public/closed.html", status=404)
    else:
        thanks = False
        if request.method == "POST":
            form = PublicLeadForm(request.POST)
            if form.is_valid():
                if form.cleaned_data.get("website"):
                    thanks = True  # a bot filled the honeypot: thanked, nothing stored
                else:
                    try:
                        lead_svc.lead_submit(form=w, data=form.cleaned_data, ip=client_ip(request))
                        thanks = True
                    except ValidationError as exc:
                        for name, msgs in exc.message_dict.items():
                            for m in msgs:
                                form.add_error(name if name in form.fields else None, m)
        else:
            form = PublicLeadForm()
        response = render(request, "crm/public/form.html", {"form": form, "w": w, "thanks": thanks})
    origins = w.embed_origins.split() if w and w.embed_origins else []
    if origins:
        response._csp_replace = {"frame-ancestors": origins}  # type: ignore[attr-defined]
        response.xframe_options_exempt = True
    return response

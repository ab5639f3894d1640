"""Settings → Pipelines: pipelines, their stages and lost reasons on one page (pipeline.manage). Each small
form posts to one service; a refusal comes back as a message naming the field, the page keeps its place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.crm.choices import StageKind
from guanxi.crm.models import LostReason, Pipeline, Stage
from guanxi.crm.selectors.setup import lost_reason_list, pipeline_list
from guanxi.crm.services import pipelines as svc
from guanxi.crm.views.common import error_text

_FIELDS = ("name_en", "name_zh", "stale_after_days", "kind", "probability", "position")


def _data(post) -> dict:
    return {k: post[k] for k in _FIELDS if k in post}


@login_required
def pipelines(request):
    svc.require_manager(request.user)
    from guanxi.crm.models import SalesSettings

    ctx = {
        "sales_settings": SalesSettings.current(),
        "pipelines": pipeline_list(actor=request.user, include_archived=True),
        "reasons": lost_reason_list(actor=request.user, include_archived=True),
        "kinds": StageKind.choices,
        "nav": "pipelines",
    }
    return render(request, "crm/settings/pipelines.html", ctx)


def _run(request, action, done: str, anchor: str = ""):
    try:
        action()
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except ConflictError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("crm:pipelines") + anchor)


@login_required
@require_POST
def pipeline_save(request, pk=None):
    svc.require_manager(request.user)
    data = _data(request.POST)
    if pk is None:
        return _run(request, lambda: svc.pipeline_create(actor=request.user, data=data), _("Pipeline added."))
    p = get_object_or_404(Pipeline, pk=pk)
    version = request.POST.get("version")
    return _run(
        request,
        lambda: svc.pipeline_update(actor=request.user, pipeline=p, version=version, data=data),
        _("Pipeline saved."),
        f"#pipeline-{p.pk}",
    )


@login_required
@require_POST
def pipeline_archive(request, pk):
    svc.require_manager(request.user)
    p = get_object_or_404(Pipeline, pk=pk)
    archived = request.POST.get("archived") != "0"
    done = _("Pipeline archived.") if archived else _("Pipeline restored.")
    return _run(
        request, lambda: svc.pipeline_archive(actor=request.user, pipeline=p, archived=archived), done
    )


@login_required
@require_POST
def stage_save(request, pipeline_pk, pk=None):
    svc.require_manager(request.user)
    p = get_object_or_404(Pipeline, pk=pipeline_pk)
    data = _data(request.POST)
    if pk is None:
        run = lambda: svc.stage_create(actor=request.user, pipeline=p, data=data)  # noqa: E731
        return _run(request, run, _("Stage added."), f"#pipeline-{p.pk}")
    s = get_object_or_404(Stage, pk=pk, pipeline=p)
    run = lambda: svc.stage_update(actor=request.user, stage=s, data=data)  # noqa: E731
    return _run(request, run, _("Stage saved."), f"#pipeline-{p.pk}")


@login_required
@require_POST
def stage_archive(request, pipeline_pk, pk):
    svc.require_manager(request.user)
    s = get_object_or_404(Stage, pk=pk, pipeline_id=pipeline_pk)
    return _run(
        request,
        lambda: svc.stage_archive(actor=request.user, stage=s),
        _("Stage archived."),
        f"#pipeline-{pipeline_pk}",
    )


@login_required
@require_POST
def lost_reason_save(request, pk=None):
    svc.require_manager(request.user)
    r = get_object_or_404(LostReason, pk=pk) if pk else None
    data = _data(request.POST)
    if "archived" in request.POST:
        data["archived"] = request.POST["archived"] == "1"
    return _run(
        request,
        lambda: svc.lost_reason_save(actor=request.user, reason=r, data=data),
        _("Lost reason saved."),
        "#reasons",
    )


@login_required
@require_POST
def sales_settings(request):
    from guanxi.crm.services.lifecycle import sales_settings_save

    svc.require_manager(request.user)
    data = {"inactive_after_days": request.POST.get("inactive_after_days")}
    return _run(
        request,
        lambda: sales_settings_save(actor=request.user, data=data),
        _("Settings saved."),
        "#lifecycle",
    )


@login_required
@require_http_methods(["GET", "POST"])
def mark_lost(request, party_pk):
    """Mark a customer lost (流失客户), with the reason."""
    from guanxi.crm.services.lifecycle import customer_mark_lost
    from guanxi.parties.selectors.parties import party_get

    party = party_get(actor=request.user, pk=party_pk, mode="edit")
    error = None
    if request.method == "POST":
        try:
            customer_mark_lost(actor=request.user, party=party, reason=request.POST.get("reason", ""))
            messages.success(request, _("%(name)s is marked as a lost customer.") % {"name": party.name})
            return redirect(party.get_absolute_url())
        except ValidationError as exc:
            error = error_text(exc)
    return render(
        request,
        "crm/mark_lost.html",
        {"party": party, "error": error, "reason": request.POST.get("reason", "")},
    )

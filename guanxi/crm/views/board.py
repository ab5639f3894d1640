"""The pipeline board (kanban): columns per open stage, cards dragged between them (each drop is one call of
opportunity_move, refused with a message when not allowed), and the same moves from a select on phones."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.core.models import Team
from guanxi.crm.choices import StageKind
from guanxi.crm.selectors import board as board_sel
from guanxi.crm.selectors import opportunities as sel
from guanxi.crm.services import opportunities as svc
from guanxi.crm.views.common import can, error_text, filters_from


def _context(request, pipeline, filters, error=None) -> dict:
    from guanxi.core.selectors.users import users_with_action
    from guanxi.crm.permissions import Action

    params = request.GET.copy() if request.method == "GET" else request.POST.copy()
    for key in ("csrfmiddlewaretoken", "stage", "version", "opportunity"):
        params.pop(key, None)
    try:
        b = board_sel.board(actor=request.user, pipeline=pipeline, filters=filters)
    except ValidationError as exc:
        b, error = None, error_text(exc)
    return {
        "board": b,
        "move_url": reverse("crm:board_move", args=[pipeline.pk]),
        "opp_url": reverse("crm:opportunities"),
        "stage_options": _stage_options(b),
        "pipeline": pipeline,
        "pipelines": board_sel.pipelines_in_use(),
        "filters": filters,
        "owners": users_with_action(Action.OPPORTUNITY_VIEW),
        "teams": Team.objects.order_by("name"),
        "query": params.urlencode(),
        "error": error,
        "can": can(request.user),
        "nav": "pipeline",
    }


def _stage_options(b) -> str:
    """The options of every card's "move to" select, rendered once for the board (120 cards, one string)."""
    if b is None:
        return ""
    stages = [c.stage for c in b.columns] + [s for s in (b.won, b.lost) if s is not None]
    return format_html(
        '<option value="" selected>{}</option>{}',
        _("Move to…"),
        format_html_join("", '<option value="{}">{}</option>', ((s.pk, s.name) for s in stages)),
    )


def _filters_or_error(params):
    try:
        return filters_from(params), None
    except ValidationError as exc:
        return sel.OpportunityFilters(), error_text(exc)


@login_required
def board(request, pk=None):
    sel.require_reader(request.user)
    if pk is None:
        first = board_sel.pipelines_in_use().first()
        if first is None:
            return render(
                request, "crm/board.html", {"board": None, "nav": "pipeline", "can": can(request.user)}
            )
        return redirect(
            reverse("crm:pipeline_board", args=[first.pk])
            + (f"?{request.GET.urlencode()}" if request.GET else "")
        )
    pipeline = board_sel.pipeline_get(pk)
    filters, error = _filters_or_error(request.GET)
    ctx = _context(request, pipeline, filters, error)
    partial = request.htmx and not request.htmx.boosted
    response = render(request, "crm/partials/board.html" if partial else "crm/board.html", ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def move(request, pk):
    """A card dropped on a stage (or moved with its select): the board again, with the refusal if any. A drop
    on "lost" goes to the lose form, which asks why."""
    o = sel.opportunity_get(actor=request.user, pk=request.POST.get("opportunity"), mode="edit")  # 404 / 403
    pipeline = board_sel.pipeline_get(pk)
    filters, _error = _filters_or_error(request.POST)
    stage = pipeline.stages.filter(pk=_int_or_none(request.POST.get("stage"))).first()
    if stage is not None and stage.kind == StageKind.LOST and o.is_open:
        url = reverse("crm:opportunity_lose", args=[o.pk]) + f"?version={request.POST.get('version', '')}"
        if request.htmx:
            response = render(request, "crm/partials/board.html", _context(request, pipeline, filters))
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    error = None
    try:
        svc.opportunity_move(
            actor=request.user,
            opportunity=o,
            stage=stage.pk if stage else "",
            version=request.POST.get("version"),
        )
    except ConflictError:
        error = _("%(name)s was changed by someone else meanwhile: the board shows it as it is now.") % {
            "name": o.name
        }
    except ValidationError as exc:
        error = _("%(name)s was not moved: %(why)s") % {"name": o.name, "why": error_text(exc)}
    except GuanxiError as exc:
        error = _("%(name)s was not moved: %(why)s") % {"name": o.name, "why": exc.message}
    if not request.htmx:
        from django.contrib import messages

        if error:
            messages.error(request, error)
        return redirect(reverse("crm:pipeline_board", args=[pipeline.pk]))
    return render(request, "crm/partials/board.html", _context(request, pipeline, filters, error))


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

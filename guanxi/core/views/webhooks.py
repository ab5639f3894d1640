"""Settings → Teams → messenger webhooks (administrators): a team's group chat robots, their recent
posts, and a test message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.core.forms import WebhookForm
from guanxi.core.models import Team
from guanxi.core.selectors import notifications as sel
from guanxi.core.selectors.users import team_list
from guanxi.core.services import deliveries as delivery_svc
from guanxi.core.services import messenger_webhooks as svc


def _language() -> str:
    """The language the administrator works in: the likely language of the team's group chat."""
    current = (get_language() or "").lower()
    return next((code for code, _name in settings.LANGUAGES if current.startswith(code.split("-")[0])), "")


@login_required
@never_cache
def team_webhooks(request, pk):
    team = get_object_or_404(team_list(actor=request.user), pk=pk)
    form = WebhookForm(initial={"language": _language()})
    if request.method == "POST":
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                hook = svc.webhook_create(actor=request.user, team=team, **form.service_values())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Webhook “%(name)s” added.") % {"name": hook.name})
                return redirect("core:team_webhooks", pk=team.pk)
    hooks = list(sel.webhook_list(actor=request.user, team=team).order_by("name", "id"))
    return render(
        request,
        "core/settings/team_webhooks.html",
        {"team": team, "hooks": hooks, "form": form, "section": "teams"},
    )


@login_required
@never_cache
def webhook_edit(request, pk):
    hook = sel.webhook_get(actor=request.user, pk=pk)
    if request.method == "POST":
        form = WebhookForm(request.POST, hook=hook)
        if form.is_valid():
            values = form.service_values()
            version = form.cleaned_data.get("version")
            try:
                hook = svc.webhook_update(actor=request.user, webhook=hook, version=version, **values)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Webhook “%(name)s” saved.") % {"name": hook.name})
                return redirect("core:team_webhooks", pk=hook.team_id)
    else:
        form = WebhookForm(initial=WebhookForm.initial_for(hook), hook=hook)
    deliveries = sel.webhook_deliveries(actor=request.user, webhook=hook)
    return render(
        request,
        "core/settings/webhook_form.html",
        {"hook": hook, "team": hook.team, "form": form, "deliveries": deliveries, "section": "teams"},
    )


@login_required
@require_POST
def webhook_test(request, pk):
    hook = sel.webhook_get(actor=request.user, pk=pk)
    delivery_svc.webhook_send_test(actor=request.user, webhook=hook)
    messages.success(request, _("A test message is on its way: its status shows below."))
    return redirect("core:webhook_edit", pk=hook.pk)


@login_required
@require_POST
def webhook_delete(request, pk):
    hook = sel.webhook_get(actor=request.user, pk=pk)
    team: Team = hook.team
    svc.webhook_delete(actor=request.user, webhook=hook)
    messages.success(request, _("Webhook “%(name)s” removed.") % {"name": hook.name})
    return redirect("core:team_webhooks", pk=team.pk)

"""Saving the list one looks at as a named view, and deleting a view (the menu is {% saved_views %})."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.selectors.saved_views import saved_view_get
from guanxi.core.selectors.users import team_ids_of
from guanxi.core.services import saved_views as svc


def _back(request, query: str = ""):
    """To the list the menu was on (a path of this site only), with the view's filters."""
    path = request.POST.get("next", "")
    if not (
        path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()})
    ):
        path = "/"
    return redirect(path + (f"?{query}" if query else ""))


@login_required
@require_POST
def saved_view_save(request):
    list_key = request.POST.get("list", "")
    query = request.POST.get("query", "")
    teams = team_ids_of(request.user)
    team_id = teams[0] if request.POST.get("shared") and teams else None
    if request.POST.get("shared") and not teams:
        messages.error(request, _("You are in no team: the view was saved for you alone."))
    try:
        view = svc.saved_view_save(
            actor=request.user,
            list_key=list_key,
            name=request.POST.get("name", ""),
            query=query,
            team_id=team_id,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        return _back(request, query)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return _back(request, view.query)


@login_required
@require_POST
def saved_view_delete(request, pk):
    view = saved_view_get(actor=request.user, pk=pk)
    svc.saved_view_delete(actor=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return _back(request)

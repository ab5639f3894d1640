"""The inbox, the top bar's bell (polled for the unread count) and one's own notification settings."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guanxi.core import registry
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors import notifications as sel
from guanxi.core.services import notifications as svc
from guanxi.core.views.exports import login_required_polling

PAGE_SIZE = 25
ORDERING = ["-created_at", "-id"]


def quiet(view):
    """A request that only reads (the bell's poll): no "last seen" write for the session
    (guanxi.core.session_tracking), so a page left open does not write every 30 seconds."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.guanxi_quiet = True
        return view(request, *args, **kwargs)

    return wrapper


def bell_context(user) -> dict:
    unread = sel.unread_count(actor=user)
    return {
        "unread": unread,
        "unread_label": f"{sel.UNREAD_CAP}+" if unread > sel.UNREAD_CAP else str(unread),
        "poll_seconds": settings.NOTIFICATIONS_POLL_SECONDS,
    }


@quiet
@login_required_polling
def notification_count(request):
    """The bell alone: an open page asks for it every NOTIFICATIONS_POLL_SECONDS. One COUNT query: the
    partial is rendered without the context processors (no menu, no roles)."""
    html = render_to_string("core/partials/notification_bell.html", bell_context(request.user))
    return HttpResponse(html)


def _state(request) -> str:
    return "unread" if request.GET.get("state") == "unread" else "all"


@login_required
def inbox(request):
    state = _state(request)
    qs = sel.notification_list(actor=request.user, unread_only=state == "unread")
    try:
        page = keyset_page(qs, ordering=ORDERING, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except ValidationError:  # a page link that no longer works: the first page
        page = keyset_page(qs, ordering=ORDERING, cursor=None, limit=PAGE_SIZE)
    return render(
        request,
        "core/notifications/inbox.html",
        {"page": page, "state": state, "nav": "notifications", **bell_context(request.user)},
    )


@login_required
def notification_open(request, pk):
    """Open a notification: it is read now, and the browser goes to the record it is about."""
    notification = sel.notification_get(actor=request.user, pk=pk)
    svc.notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notifications")


def _back(request) -> str:
    state = request.POST.get("state")
    url = reverse("core:notifications")
    return f"{url}?state=unread" if state == "unread" else url


@login_required
@require_POST
def notification_read(request, pk):
    notification = sel.notification_get(actor=request.user, pk=pk)
    svc.notification_mark_read(actor=request.user, notification=notification)
    if request.htmx:
        context = {"n": notification, "state": request.POST.get("state", "all"), "oob": True}
        return render(
            request,
            "core/notifications/partials/item_read.html",
            {**context, **bell_context(request.user)},
        )
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = svc.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", count)
            % {"n": count},
        )
    return redirect(_back(request))


@login_required
def preferences(request):
    """Settings → Notifications: per event type, in the app and/or by e-mail (for oneself)."""
    if request.method == "POST":
        choices = {
            e.code: {
                "in_app": f"{registry.IN_APP}:{e.code}" in request.POST,
                "email": f"{registry.EMAIL}:{e.code}" in request.POST,
            }
            for e in registry.event_types()
        }
        svc.preferences_set(actor=request.user, user=request.user, choices=choices)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("core:notification_preferences")
    return render(
        request,
        "core/settings/notification_preferences.html",
        {
            "rows": sel.preferences_for(user=request.user),
            "in_app": registry.IN_APP,
            "email": registry.EMAIL,
            "section": "notification_preferences",
        },
    )

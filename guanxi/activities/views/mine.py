"""My activities: overdue / today / upcoming / done, filterable, completable in the list (htmx, and plain
forms without JavaScript)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from guanxi.activities.choices import ActivityKind
from guanxi.activities.selectors import activities as sel
from guanxi.activities.selectors import records
from guanxi.activities.views.common import prepare
from guanxi.core.exceptions import NotFoundError
from guanxi.core.pagination import capped_count, keyset_page

PAGE_SIZE = 25
COUNT_CAP = 99  # a tab says "99+" beyond this
WHEN_LABELS = {
    "today": _("Today"),
    "overdue": _("Overdue"),
    "upcoming": _("Upcoming"),
    "done": _("Done"),
}


def filters_from(params) -> sel.ActivityFilters:
    return sel.ActivityFilters(
        when=params.get("when") or "today",
        kinds=[k for k in params.getlist("kind") if k],
        record_type=params.get("record_type", ""),
        assignee=params.get("assignee") or "me",
    )


def _count(actor, filters: sel.ActivityFilters, when: str) -> tuple[int, bool]:
    qs, _ordering = sel.activity_list(
        actor=actor, filters=sel.ActivityFilters(**{**vars(filters), "when": when})
    )
    return capped_count(qs, cap=COUNT_CAP)


def _just_done(request):
    """The activity the user has just completed without JavaScript (`?done=<id>`): offer its next step."""
    pk = request.GET.get("done", "")
    if not pk.isdigit():
        return None
    try:
        activity = sel.activity_get(actor=request.user, pk=pk)
    except NotFoundError:
        return None
    return None if activity.is_open else activity


@login_required
def my_activities(request):
    sel.require_view(request.user)
    filters = filters_from(request.GET)
    error, page, counts = None, None, {}
    try:
        qs, ordering = sel.activity_list(actor=request.user, filters=filters)
        page = keyset_page(qs, ordering=ordering, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
        prepare(page.items)
        counts = {when: _count(request.user, filters, when) for when in ("overdue", "today")}
    except ValidationError as exc:
        error = " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
    params = request.GET.copy()
    for name in ("cursor", "done", "when"):
        params.pop(name, None)
    base = params.urlencode()
    tabs = [
        ("today", WHEN_LABELS["today"], counts.get("today")),
        ("overdue", WHEN_LABELS["overdue"], counts.get("overdue")),
        ("upcoming", WHEN_LABELS["upcoming"], None),
        ("done", WHEN_LABELS["done"], None),
    ]
    query = urlencode([*params.lists(), ("when", filters.when)], doseq=True)
    ctx = {
        "nav": "activities",
        "list_url": f"{reverse('activities:mine')}?{query}",
        "filters": filters,
        "page": page,
        "error": error,
        "tabs": tabs,
        "base_query": base,
        "query": query,
        "kinds": ActivityKind.choices,
        "record_types": [(d.code, d.label_plural) for d in records.record_types()],
        "assignees": sel.assignee_choices(request.user),
        "just_done": _just_done(request),
        "show_assignee": filters.assignee != "me",
    }
    if request.htmx and request.htmx.target == "mine":
        response = render(request, "activities/partials/mine.html", ctx, status=400 if error else 200)
    else:
        response = render(request, "activities/mine.html", ctx, status=400 if error else 200)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response

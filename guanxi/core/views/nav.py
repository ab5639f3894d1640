"""The side menu's counts (registry.NavItem.badge), loaded by htmx after the page, so that a page view itself
costs no query for them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from guanxi.core import registry
from guanxi.core.roles import grants_for


@login_required
@never_cache
def nav_badge(request, key: str):
    item = registry.nav_item(key)
    if item is None or item.badge is None or not item.shown_to(grants_for(request.user)):
        raise Http404
    count = item.badge(request.user)
    if not count:
        return HttpResponse("")
    return HttpResponse(format_html('<span class="count" data-nav-count="{}">{}</span>', key, count))

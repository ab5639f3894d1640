"""What the activity pages share: the safe "back" URL, and a page of activities ready to show."""

from __future__ import annotations

from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from guanxi.activities.selectors import activities as sel
from guanxi.activities.selectors import records


def safe_next(request, default: str) -> str:
    """The `next` the form or link carried, when it is a path of this site; `default` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def prepare(activities: list) -> list:
    """Record titles and links (one query per record type) and the overdue flag, for a list."""
    now = timezone.now()
    records.attach_refs(activities)
    for a in activities:
        a.overdue = sel.is_overdue(a, now)
    return activities


def with_param(url: str, name: str, value) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in (name, "cursor")]
    query.append((name, str(value)))
    return urlunsplit(parts._replace(query=urlencode(query)))

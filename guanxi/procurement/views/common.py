"""What the purchasing pages share: ids from a query string, a refusal as one line of text, a document's tabs
(those the registry gives — approval, attachments, activities — plus History)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

PAGE_SIZE = 25


def int_or_none(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**53 else None


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(str(m) for m in exc.messages)


def query(**params) -> str:
    """A query string of the filters that are set (the pager's links keep them)."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def record_tabs(request, doc: str, obj) -> tuple[list, str, str]:
    """The tabs of a document's page, the one asked for by ?tab=, and its rendered panel ("" for the
    overview, which the page renders itself)."""
    from guanxi.core import registry
    from guanxi.core.selectors.users import history_for

    tabs = registry.tabs_for(doc, obj, request.user)
    key = request.GET.get("tab") or "overview"
    tab = next((t for t in tabs if t.key == key), None)
    html = ""
    if tab is not None:
        context = {"object": obj, **(tab.context(obj, request.user) if tab.context else {})}
        html = render_to_string(tab.template, context, request=request)
    elif key == "history":
        entries = history_for(subject_type=doc, subject_id=obj.pk)[:100]
        html = render_to_string("core/partials/history.html", {"entries": entries}, request=request)
    else:
        key = "overview"
    return tabs, key, html

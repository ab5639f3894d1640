"""What the sales pages share: filters read from a query string, and what the user may do."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from guanxi.core.roles import grants_for
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import opportunities as sel


def _int(value):
    try:
        n = int(value)
        return n if 0 < n < 2**53 else None
    except (TypeError, ValueError):
        return None


def filters_from(params) -> sel.OpportunityFilters:
    """The filters of the board and the table; a bad amount or month is a ValidationError for the page."""
    return sel.OpportunityFilters(
        pipeline=_int(params.get("pipeline")),
        stage=_int(params.get("stage")),
        state=params.get("state", ""),
        owner=params.get("owner", "").strip()[:20],
        team=_int(params.get("team")),
        close_month=params.get("close_month", "").strip()[:7],
        closed_in=params.get("closed_in", "").strip()[:7],
        category=params.get("category", "").strip()[:12],
        amount_min=sel.parse_amount(params.get("amount_min"), "amount_min"),
        amount_max=sel.parse_amount(params.get("amount_max"), "amount_max"),
        customer=_int(params.get("customer")),
        q=params.get("q", "").strip()[:100],
        sort=params.get("sort", ""),
    )


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(str(m) for m in exc.messages)


def can(user) -> dict:
    g = grants_for(user)
    return {
        "change": g.can(Action.OPPORTUNITY_CHANGE),
        "export": g.can(Action.OPPORTUNITY_EXPORT),
        "manage": g.can(Action.PIPELINE_MANAGE),
    }


def record_tabs(request, doc: str, obj) -> tuple[list, str, str]:
    """The tabs of a record's page (those the registry gives, plus History), the one asked for by ?tab=, and
    its rendered panel ("" for the overview, which the page renders itself)."""
    from django.template.loader import render_to_string

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

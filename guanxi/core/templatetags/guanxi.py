from django import template

from guanxi.core.audit_display import change_lines, entry_title

register = template.Library()


@register.filter
def audit_lines(entry):
    """The changes of an AuditEntry as (label, old, new) lines a person can read."""
    return change_lines(entry)


@register.filter
def audit_title(entry):
    """What an AuditEntry did ("Updated", "Note added") and the record it touched, if not the subject."""
    return entry_title(entry)


@register.filter
def role_label(code: str) -> str:
    """The translated name of a role code (groups are named by role code)."""
    from guanxi.core.roles import role_label as label

    return label(code)


@register.simple_tag(takes_context=True)
def record_cards(context, obj, model: str):
    """The overview cards other apps registered for this kind of record (guanxi.core.registry)."""
    from django.template.loader import render_to_string
    from django.utils.html import format_html_join

    from guanxi.core import registry

    request = context.get("request")
    user = getattr(request, "user", None)
    parts = []
    for card in registry.overview_cards_for(model, obj, user):
        ctx = {"object": obj, "card": card, **(card.context(obj, user) if card.context else {})}
        parts.append((render_to_string(card.template, ctx, request=request),))  # safe: a rendered template
    return format_html_join("", "{}", parts)


@register.simple_tag(takes_context=True)
def record_header_actions(context, obj, model: str):
    """The header buttons other apps registered for this kind of record (guanxi.core.registry)."""
    from django.utils.html import format_html_join

    from guanxi.core import registry

    request = context.get("request")
    user = getattr(request, "user", None)
    return format_html_join(
        "",
        '<a class="button" href="{}" data-action="{}">{}</a>',
        ((a.url(obj), a.key, a.label) for a in registry.header_actions_for(model, obj, user)),
    )


@register.filter
def attachment_type(content_type: str) -> str:
    """An attachment's type as the list shows it ("PDF", "Word", "Excel")."""
    from guanxi.core.attachment_types import short_label

    return str(short_label(content_type))


@register.inclusion_tag("core/partials/saved_views.html", takes_context=True)
def saved_views(context, list_key: str):
    """The "Views" menu of a list: the user's saved views and those shared with their teams, and a form that
    saves the list as it is now (guanxi.core.saved_lists)."""
    from guanxi.core.saved_lists import NOT_SAVED
    from guanxi.core.selectors.saved_views import saved_views_for
    from guanxi.core.selectors.users import team_ids_of

    request = context["request"]
    current = request.GET.copy()
    for key in NOT_SAVED:
        current.pop(key, None)
    query = current.urlencode()
    views = list(saved_views_for(actor=request.user, list_key=list_key))
    return {
        "list_key": list_key,
        "views": views,
        "query": query,
        "active": next((v for v in views if v.query == query and query), None),
        "path": request.path,
        "user": request.user,
        "has_team": bool(team_ids_of(request.user)),  # read once per request (the record rules share it)
        "csrf_token": context.get("csrf_token"),
    }

from django import template

register = template.Library()


@register.inclusion_tag("core/partials/notification_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The top bar's bell with the unread count (one COUNT query), polled by htmx for news."""
    from guanxi.core.views.notifications import bell_context

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"hidden": True}
    if "unread_label" in context:  # the page counted already (the inbox): no second query
        return {k: context[k] for k in ("unread", "unread_label", "poll_seconds")}
    return bell_context(user)

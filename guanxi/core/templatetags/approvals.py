"""`{% load approvals %}{% approval_path obj %}`: the approval path of a document (its requests, who decided,
when, with what comment, on whose behalf) and, for an approver, the decision form — for a page that shows it
somewhere other than the Approval tab that register_approvable adds."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def approval_path(context, obj):
    from guanxi.core.approvals_registry import path_context

    request = context.get("request")
    user = getattr(request, "user", None)
    ctx = path_context(obj, user)
    if request is not None:
        ctx["next"] = request.get_full_path()  # a decision comes back to this page
    return render_to_string("core/approvals/tab.html", ctx, request=request)

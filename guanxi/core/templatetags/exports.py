from django import template

from guanxi.core.exports import WATCH_SESSION_KEY
from guanxi.core.selectors.exports import export_notices as notices_for

register = template.Library()


@register.simple_tag(takes_context=True)
def export_notices(context) -> dict:
    """{"jobs", "poll"}: the exports the top bar tells the user about, and whether to poll for news.

    No query at all unless this session started an export; the flag goes once nothing is left to tell.
    The job a page shows itself (`export_job`) is left out of the top bar.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.session.get(WATCH_SESSION_KEY):
        return {"jobs": [], "poll": False}
    jobs = notices_for(actor=user)
    if not jobs:
        request.session.pop(WATCH_SESSION_KEY, None)
    shown = context.get("export_job")
    jobs = [j for j in jobs if shown is None or j.pk != shown.pk]
    return {"jobs": jobs, "poll": any(not j.finished for j in jobs)}

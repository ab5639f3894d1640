from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def due(activity) -> str:
    """When an activity is due, as a person reads it: "Today 14:00", "Tomorrow · all day", "2026-05-12 09:30"."""
    today = timezone.localdate()
    day = activity.due_date if activity.all_day else timezone.localtime(activity.due_at).date()
    names = {0: _("Today"), 1: _("Tomorrow"), -1: _("Yesterday")}
    label = names.get((day - today).days) or formats.date_format(day, "SHORT_DATE_FORMAT")
    if activity.all_day:
        return _("%(day)s · all day") % {"day": label}
    text = f"{label} {formats.time_format(timezone.localtime(activity.due_at), 'TIME_FORMAT')}"
    if activity.duration_minutes:
        n = activity.duration_minutes
        text += " · " + ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    return text

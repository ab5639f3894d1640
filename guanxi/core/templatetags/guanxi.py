from django import template

from guanxi.core.audit_display import change_lines

register = template.Library()


@register.filter
def audit_lines(entry):
    """The changes of an AuditEntry as (label, old, new) lines a person can read."""
    return change_lines(entry)

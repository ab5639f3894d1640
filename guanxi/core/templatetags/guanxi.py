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
    from guanxi.core.roles import ROLES

    role = ROLES.get(code)
    return str(role.name) if role else code

"""How the sales app's audit entries read on a History tab."""

from django.utils.translation import gettext_lazy

from guanxi.core.audit_display import AuditField, register_audit_display

register_audit_display(
    "crm.opportunity",
    fields={
        "members": AuditField(gettext_lazy("Team members")),
        "contacts": AuditField(gettext_lazy("Contacts")),
    },
)

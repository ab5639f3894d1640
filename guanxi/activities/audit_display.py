"""How the activities app's audit entries read on a History tab (the activity's and its record's)."""

from django.utils.translation import gettext_lazy

from guanxi.core.audit_display import AuditField, AuditTitle, register_audit_display

register_audit_display(
    "activities.activity",
    fields={
        "participants": AuditField(gettext_lazy("Participants"), many=True),
        "contacts": AuditField(gettext_lazy("Contacts"), many=True),
        "follow_up_of": AuditField(gettext_lazy("Follow-up of")),
    },
    titles={
        "create": AuditTitle(gettext_lazy("Activity added")),
        "update": AuditTitle(gettext_lazy("Activity changed")),
    },
)

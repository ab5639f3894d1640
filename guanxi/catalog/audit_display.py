"""How the catalogue's audit entries read on a History tab."""

from django.utils.translation import gettext_lazy

from guanxi.core.audit_display import AuditField, register_audit_display

register_audit_display(
    "catalog.product",
    fields={
        "prices": AuditField(gettext_lazy("Sale prices")),
        "archived": AuditField(gettext_lazy("Archived")),
    },
)

"""How the sales app's audit entries read on a History tab."""

from django.utils.translation import gettext_lazy

from guanxi.core.audit_display import AuditField, register_audit_display
from guanxi.crm.choices import CustomerLevel

register_audit_display(
    "crm.opportunity",
    fields={
        "members": AuditField(gettext_lazy("Team members")),
        "contacts": AuditField(gettext_lazy("Contacts")),
    },
)


def _level(code: object) -> str:
    return str(dict(CustomerLevel.choices).get(str(code), code))


register_audit_display(
    "parties.party", fields={"customer_level": AuditField(gettext_lazy("Customer level"), item=_level)}
)

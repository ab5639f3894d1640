"""How the purchasing app's audit entries read on a History tab (states stored as codes, read in the
reader's language)."""

from django.utils.translation import gettext_lazy

from guanxi.core.audit_display import AuditField, register_audit_display
from guanxi.procurement.choices import OrderState


def _state(code: object) -> str:
    return str(dict(OrderState.choices).get(str(code), code))


register_audit_display(
    "procurement.purchaseorder",
    fields={
        "state": AuditField(gettext_lazy("State"), item=_state),
        "reason": AuditField(gettext_lazy("Reason")),
    },
)

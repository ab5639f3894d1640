"""How the catalogue's audit entries read on a History tab."""

from django.utils.translation import gettext_lazy

from guanxi.core.audit_display import AuditField, register_audit_display


def _prices(value) -> str:
    """{"CNY": "0.35", "USD": "0.05"} reads "CNY 0.35, USD 0.05"."""
    if isinstance(value, dict):
        return ", ".join(f"{code} {amount}" for code, amount in sorted(value.items()))
    return str(value)


register_audit_display(
    "catalog.product",
    fields={
        "prices": AuditField(gettext_lazy("Sale prices"), item=_prices),
        "archived": AuditField(gettext_lazy("Archived")),
    },
)

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "guanxi.procurement"
    label = "procurement"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from guanxi.procurement import (  # noqa: F401  registrations
            audit_display,
            registry,
            registry_receiving,
            registry_sourcing,
        )

        post_migrate.connect(_presets, sender=self, dispatch_uid="guanxi.procurement.presets")


def _presets(sender, using="default", **kwargs):
    """After `migrate` (and after a test flush): the first approval rules of purchase orders (under 10,000 CNY
    no approval; from there any Procurement Manager), of requisitions (under 5,000 CNY) and of releasing held
    invoices, when there are none."""
    from guanxi.procurement.services.approval_rules import (
        invoice_rule_ensure,
        order_rules_ensure,
        requisition_rules_ensure,
    )

    order_rules_ensure()
    invoice_rule_ensure()
    requisition_rules_ensure()

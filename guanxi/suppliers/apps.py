from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "guanxi.suppliers"
    label = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from guanxi.suppliers import registry, registry_qualification  # noqa: F401  registrations

        post_migrate.connect(_presets, sender=self, dispatch_uid="guanxi.suppliers.presets")


def _presets(sender, using="default", **kwargs):
    """After `migrate` (and after a test flush): the first approval rules of bank account changes and of
    lifecycle steps, when their type has none."""
    from guanxi.suppliers.services.bank_accounts import bank_rule_ensure
    from guanxi.suppliers.services.lifecycle import lifecycle_rule_ensure

    bank_rule_ensure()
    lifecycle_rule_ensure()

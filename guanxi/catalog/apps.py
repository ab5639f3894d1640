from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "guanxi.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from guanxi.catalog import audit_display, export, registry  # noqa: F401  registrations

        post_migrate.connect(_presets, sender=self, dispatch_uid="guanxi.catalog.presets")


def _presets(sender, using="default", **kwargs):
    """After `migrate` (and after a test flush): the shipped units of measure present (never overwritten)."""
    from guanxi.catalog.services.setup import unit_presets_ensure

    unit_presets_ensure()

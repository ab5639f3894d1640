from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "guanxi.crm"
    label = "crm"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from guanxi.crm import audit_display, registry, registry_documents  # noqa: F401  registrations

        post_migrate.connect(_presets, sender=self, dispatch_uid="guanxi.crm.presets")


def _presets(sender, using="default", **kwargs):
    """After `migrate` (and after a test flush): a first pipeline and lost reasons when there are none."""
    from guanxi.crm.services.pipelines import pipeline_presets_ensure

    pipeline_presets_ensure()

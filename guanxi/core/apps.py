from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guanxi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from guanxi.core import core_registry, session_tracking  # noqa: F401  registrations

        session_tracking.connect()
        post_migrate.connect(_sync_roles, dispatch_uid="guanxi.core.roles_sync_shipped")


def _sync_roles(sender, app_config=None, using="default", **kwargs):
    """After `migrate` (and after a test flush, which sends the same signal): the shipped roles in step
    with what the apps declare, and the shipped currencies and tax rates present (once, after core's turn)."""
    if app_config is None or app_config.label != "core":
        return
    from guanxi.core.services.money import money_presets_ensure
    from guanxi.core.services.roles import roles_sync_shipped

    roles_sync_shipped()
    money_presets_ensure()

from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    """A small app that exists only in the tests: it plugs everything into core without editing core."""

    name = "guanxi.tests.plugin_app"
    label = "plugin_app"
    verbose_name = "Widgets (test app)"

    def ready(self) -> None:
        from guanxi.tests.plugin_app import registry  # noqa: F401

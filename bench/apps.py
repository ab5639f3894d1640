"""bench.settings installs this app: it registers the benchmark's approvable document (bench/approvable.py)."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    label = "bench"

    def ready(self) -> None:
        from bench import approvable

        approvable.register()

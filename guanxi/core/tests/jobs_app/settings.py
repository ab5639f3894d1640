"""Settings of the `guanxi worker` processes that tests start: the test settings, the database task backend
(so that two workers share one queue), and the test app with its every-second job."""

from config.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "guanxi.core.tests.jobs_app"]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

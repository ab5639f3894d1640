"""The one declaration an app makes for a periodic job: every second, so that a test sees it run."""

from django_tasks import task

from guanxi.core.periodic import cron
from guanxi.core.tests.jobs_support import record_call


@cron("* * * * * *", name="jobs_app.tick", title="Tick every second")
@task()
def every_second_task() -> str:
    record_call("every-second")
    return "ok"

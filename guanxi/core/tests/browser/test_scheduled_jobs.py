"""Settings → Scheduled jobs in a real browser: an administrator runs a job now and sees its outcome arrive
(the page follows the run while a worker takes it), in English and Chinese, on a desktop and a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guanxi.core.models import ExportJob, PeriodicRun
from guanxi.core.services.exports import export_request, export_run
from guanxi.core.services.jobs import periodic_run_execute, worker_heartbeat
from guanxi.core.tests.browser.support import (
    LANGUAGES,
    PHONE,
    as_user,
    fits,
    follow,
    poll_now,
    shot,
    translator,
)
from guanxi.core.tests.exports_support import export_dir, sample_exporter  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("export_dir", "sample_exporter"),
]


@pytest.fixture
def no_worker(settings):
    """Runs wait in the queue until the test plays the worker, so the page shows each state."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def expired_export(user) -> ExportJob:
    job = export_run(job_id=export_request(actor=user, what="samples", fmt="csv").pk)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    return job


@LANGUAGES
def test_run_a_job_now_and_see_the_outcome(page, live_server, admin_user, no_worker, lang):
    t = translator(lang)
    expired_export(admin_user)
    worker_heartbeat(worker_id="w1", hostname="app1", pid=4242, runs_tasks=True, runs_scheduler=True)
    page.set_default_timeout(10_000)
    as_user(page, live_server, admin_user, lang)
    page.clock.install()  # time flows as usual; poll_now() skips the wait for the next poll

    # From the settings menu to the page: the jobs with their schedule in words, and the worker.
    page.goto(f"{live_server.url}/settings/users/")
    follow(page, page.locator("#sidenav").get_by_role("link", name=t("Scheduled jobs")))
    expect(page.locator("h1")).to_have_text(t("Scheduled jobs"))
    expect(page.locator("#worker-health")).to_contain_text("1")
    row = page.locator("tr[data-job='core.exports_cleanup']")
    expect(row).to_contain_text(t("Delete expired export files"))
    expect(row).to_contain_text("在每小时的 20 分" if lang == "zh-hans" else "At 20 minutes past the hour")
    expect(row.locator(".outcome")).to_have_text(t("Never run"))
    shot(page, f"jobs-{lang}")

    # Run now: queued, the button waits, and the page follows the run until a worker has done it.
    follow(page, row.get_by_role("button", name=t("Run now")))
    expect(page.locator(".messages")).to_contain_text(
        t("“%(job)s” is queued: a worker runs it shortly.", job=t("Delete expired export files"))
    )
    row = page.locator("tr[data-job='core.exports_cleanup']")
    expect(row.locator(".outcome .badge")).to_have_text(t("Waiting"))
    expect(row.get_by_role("button", name=t("Run now"))).to_be_disabled()
    run = PeriodicRun.objects.get()
    assert (run.trigger, run.requested_by) == ("manual", admin_user)
    periodic_run_execute(run_id=run.pk)  # the worker takes it
    poll_now(page, 2000)
    expect(row.locator(".outcome .badge")).to_have_text(t("Succeeded"))
    expect(row.locator(".outcome")).to_contain_text('{"jobs": 1, "files": 1}')  # the expired export is gone
    expect(row).to_contain_text(t("Run now by %(name)s", name="admin"))
    expect(row.get_by_role("button", name=t("Run now"))).to_be_enabled()
    expect(page.locator("#jobs-live")).not_to_have_attribute("hx-trigger", "every 2s")  # polling stopped
    assert not ExportJob.objects.exists()
    shot(page, f"jobs-ran-{lang}")

    # On a phone: the menu opens from the button; the tables scroll inside their frame, not the page.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("h1")).to_have_text(t("Scheduled jobs"))
    fits(page, PHONE)
    shot(page, f"jobs-phone-{lang}")

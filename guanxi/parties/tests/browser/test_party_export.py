"""Exporting the customer list in a real browser: start, watch the progress, get told, download."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guanxi.core.models import ExportJob
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.services.exports import export_run
from guanxi.core.tests.browser.support import LANGUAGES, as_user, follow, poll_now, shot, translator
from guanxi.core.tests.exports_support import export_dir, read_csv, read_xlsx  # noqa: F401  (fixtures)
from guanxi.parties.tests.factories import make_org

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("export_dir"),
]


@pytest.fixture
def no_worker(settings):
    """Jobs wait in the queue (no worker) until the test runs them, so the page shows each state."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def worker_halfway(job: ExportJob) -> None:
    """What the page sees while a worker is writing: 1 of 2 rows (from a worker that then died)."""
    ExportJob.objects.filter(pk=job.pk).update(
        status="running", progress_done=1, progress_total=2, updated_at=timezone.now() - timedelta(minutes=11)
    )


@LANGUAGES
def test_export_the_customer_list(page, live_server, make_user, team, no_worker, lang):
    t = translator(lang)
    manager = make_user("chen", roles=[SALES_MANAGER], teams=[team])
    make_org(manager, "深圳华强电子有限公司", phones=["+852 2123 4567"])
    make_org(manager, "=HYPERLINK(1)")
    page.set_default_timeout(10_000)
    as_user(page, live_server, manager, lang)
    page.clock.install()  # time flows as usual; poll_now() skips the wait for the next poll

    # From the customer list, the CSV button says what will be exported, then starts the job.
    page.goto(f"{live_server.url}/parties/?role=customer")
    follow(page, page.locator(".pagehead").get_by_role("link", name="CSV", exact=True))
    expect(page.locator("h1")).to_contain_text(t("Customers"))
    follow(page, page.get_by_role("button", name=t("Start export")))
    job = ExportJob.objects.get()
    expect(page.locator("#export-job")).to_contain_text(t("Waiting for a worker to start the export…"))

    # The page follows the job as a worker writes it, then offers the file.
    worker_halfway(job)
    poll_now(page, 1000)
    expect(page.locator("#export-job progress")).to_have_attribute("value", "50")
    shot(page, f"export-progress-{lang}")
    export_run(job_id=job.pk)
    poll_now(page, 1000)
    link = page.locator("#export-download")
    expect(link).to_be_visible()
    expect(page.locator("#export-job")).not_to_have_attribute("hx-trigger", "every 1s")  # polling stopped
    shot(page, f"export-ready-{lang}")
    with page.expect_download() as download:
        link.click()
    rows = read_csv(download.value.path().read_bytes())
    assert rows[0][:3] == [t("ID"), t("Kind"), t("Name")]
    assert sorted(r[2] for r in rows[1:]) == ["'=HYPERLINK(1)", "深圳华强电子有限公司"]
    assert "+852 2123 4567" in rows[1] + rows[2]
    assert download.value.suggested_filename.endswith(".csv")

    # XLSX, and the user goes elsewhere meanwhile: the top bar tells them when it is ready.
    page.goto(f"{live_server.url}/parties/?role=customer")
    follow(page, page.locator(".pagehead").get_by_role("link", name="XLSX", exact=True))
    follow(page, page.get_by_role("button", name=t("Start export")))
    job = ExportJob.objects.latest("id")
    follow(page, page.get_by_role("link", name=t("My exports")))
    notice = page.locator("#export-notice")
    expect(notice).to_be_visible()
    worker_halfway(job)
    poll_now(page, 2000)
    expect(notice).to_contain_text("50%")
    export_run(job_id=job.pk)
    poll_now(page, 2000)
    expect(notice).to_contain_text(t("Your export is ready"))
    shot(page, f"export-notice-{lang}")
    with page.expect_download() as download:
        notice.get_by_role("link", name=t("download")).click()
    title, rows = read_xlsx(download.value.path().read_bytes())
    assert title == t("Customers")
    assert sorted(r[2].value for r in rows[1:]) == ["=HYPERLINK(1)", "深圳华强电子有限公司"]

    # My exports lists both.
    page.reload()
    expect(page.locator("main tbody tr")).to_have_count(2)
    expect(page.locator("#export-notice")).to_have_count(0)  # downloaded: nothing more to tell

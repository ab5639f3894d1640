"""Export pages: the job page and its polling, the download, My exports, the top bar notice."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanxi.core.models import ExportJob
from guanxi.core.services import exports as svc
from guanxi.core.tests.exports_support import export_dir, read_csv, sample_exporter  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_dir", "sample_exporter")]

OTHER_PAGE = reverse("core:password_change")  # any page with the top bar


@pytest.fixture
def olga(make_user):
    return make_user("olga")


@pytest.fixture
def olga_client(client, olga):
    client.force_login(olga)
    return client


def queued(user, n=3, fmt="csv") -> ExportJob:
    return svc.export_request(actor=user, what="samples", fmt=fmt, params={"n": n})


def done(user, n=3, fmt="csv") -> ExportJob:
    return svc.export_run(job_id=queued(user, n, fmt).pk)


def url(name, job):
    return reverse(f"core:{name}", args=[job.pk])


def test_job_page_polls_while_the_job_runs_then_offers_the_download(olga_client, olga):
    job = queued(olga)
    page = olga_client.get(url("export_detail", job)).content.decode()
    assert "Export: Samples of 3 (CSV)" in page
    assert "Waiting for a worker" in page
    assert f'hx-get="{url("export_detail", job)}" hx-trigger="every 1s"' in page

    svc.export_run(job_id=job.pk)
    partial = olga_client.get(url("export_detail", job), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body  # htmx gets the partial only
    assert "hx-trigger" not in body  # done: the polling stops
    assert "Your export is ready: 3 rows." in body
    assert url("export_download", job) in body
    assert ExportJob.objects.get(pk=job.pk).seen_at is not None  # seen: no notice in the top bar


def test_job_page_shows_the_progress(olga_client, olga):
    job = queued(olga)
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress_done=1500, progress_total=6000)
    body = olga_client.get(url("export_detail", job), HTTP_HX_REQUEST="true").content.decode()
    assert "Writing rows: 1,500 of 6,000…" in body
    assert '<progress max="100" value="25"' in body


def test_a_failed_job_says_why(olga_client, olga, make_user):
    job = queued(olga)
    olga.username = "blocked-olga"
    olga.save()
    svc.export_run(job_id=job.pk)
    body = olga_client.get(url("export_detail", job)).content.decode()
    assert "The export failed. You do not have permission to do this." in body


def test_download(olga_client, olga):
    job = done(olga)
    response = olga_client.get(url("export_download", job))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    stamp = timezone.localtime(job.finished_at).strftime("%Y%m%d-%H%M")
    assert response["Content-Disposition"] == f'attachment; filename="guanxi-Samples_of_3-{stamp}.csv"'
    assert read_csv(b"".join(response.streaming_content))[1] == ["1", "olga 1"]


def test_download_xlsx_type(olga_client, olga):
    response = olga_client.get(url("export_download", done(olga, fmt="xlsx")))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("name", ["export_detail", "export_download"])
def test_another_users_job_is_not_found(client, olga, make_user, name):
    job = done(olga)
    client.force_login(make_user("admin", superuser=True))  # not even an administrator
    assert client.get(url(name, job)).status_code == 404
    assert client.post(url("export_dismiss", job)).status_code == 404
    client.logout()
    assert client.get(url(name, job)).status_code == 302  # to the login page


def test_no_download_before_it_is_done_or_after_it_expired(olga_client, olga):
    job = queued(olga)
    assert olga_client.get(url("export_download", job)).status_code == 404
    job = done(olga)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert olga_client.get(url("export_download", job)).status_code == 404
    assert "This file has expired" in olga_client.get(url("export_detail", job)).content.decode()


def test_no_download_once_the_right_to_export_is_gone(olga_client, olga):
    job = done(olga)
    olga.username = "blocked-olga"
    olga.save()
    assert olga_client.get(url("export_download", job)).status_code == 403


def test_my_exports_lists_only_mine_in_a_bounded_number_of_queries(
    olga_client, olga, make_user, django_assert_max_num_queries
):
    mine = [done(olga, n=n) for n in range(1, 6)]
    queued(olga, n=9)
    done(make_user("ivy"), n=7)
    with django_assert_max_num_queries(5):  # session, user, roles (menu), unread notifications, the jobs
        page = olga_client.get(reverse("core:exports")).content.decode()
    assert all(url("export_download", job) in page for job in mine)
    assert page.count("/download/") == 5
    assert "Samples of 9" in page and "Waiting" in page
    assert 'hx-trigger="every 2s" hx-select="#export-list"' in page  # refreshes until the job is done
    assert "Samples of 7" not in page


def test_my_exports_when_there_are_none(olga_client):
    page = olga_client.get(reverse("core:exports")).content.decode()
    assert "You have not exported anything yet." in page
    assert 'hx-select="#export-list"' not in page  # nothing to refresh


def test_the_top_bar_tells_when_an_export_left_running_is_ready(olga_client, olga):
    job = queued(olga)
    olga_client.get(url("export_detail", job))  # the user saw it start, then went elsewhere
    page = olga_client.get(OTHER_PAGE).content.decode()
    assert "Exporting Samples of 3… 0%" in page
    assert f'hx-get="{reverse("core:export_notice")}" hx-trigger="every 2s"' in page

    svc.export_run(job_id=job.pk)
    notice = olga_client.get(reverse("core:export_notice"), HTTP_HX_REQUEST="true").content.decode()
    assert "Your export is ready" in notice
    assert url("export_download", job) in notice
    assert "hx-trigger" not in notice  # nothing left running: the polling stops

    olga_client.get(url("export_download", job))
    assert "Your export is ready" not in olga_client.get(OTHER_PAGE).content.decode()
    assert olga_client.session.get("gx_exports_watch") is None  # nothing left to tell: no more queries


def test_the_notice_can_be_dismissed(olga_client, olga):
    job = queued(olga)
    olga_client.get(url("export_detail", job))
    svc.export_run(job_id=job.pk)
    assert "Your export is ready" in olga_client.get(OTHER_PAGE).content.decode()
    response = olga_client.post(url("export_dismiss", job), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Your export is ready" not in response.content.decode()
    assert olga_client.post(url("export_dismiss", job)).url == reverse("core:exports")
    assert olga_client.get(url("export_dismiss", job)).status_code == 405


def test_the_job_page_does_not_repeat_its_own_job_in_the_top_bar(olga_client, olga):
    job = queued(olga)
    page = olga_client.get(url("export_detail", job)).content.decode()
    assert 'id="export-notice"' not in page


def test_pages_ask_nothing_about_exports_unless_the_user_started_one(olga_client, olga):
    done(olga)  # made elsewhere (e.g. the API later): this browser session is not watching
    with CaptureQueriesContext(connection) as ctx:
        page = olga_client.get(OTHER_PAGE).content.decode()
    assert 'id="export-notice"' not in page
    assert not [q for q in ctx.captured_queries if "exportjob" in q["sql"].lower()]


def test_a_poll_after_the_session_ended_stops_polling(client, olga):
    job = queued(olga)
    for path in (url("export_detail", job), reverse("core:export_notice"), reverse("core:exports")):
        response = client.get(path, HTTP_HX_REQUEST="true")
        assert (response.status_code, response.content) == (286, b"")  # htmx stops; no login page swapped in
        assert client.get(path).status_code == 302  # a plain visit goes to the login page

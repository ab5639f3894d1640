"""Settings → Scheduled jobs: administrators only; the jobs, their outcome, run now, the workers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanxi.core.models import PeriodicRun, WorkerHeartbeat
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.services.jobs import worker_heartbeat
from guanxi.core.tests.jobs_support import calls

pytestmark = pytest.mark.django_db
URL = reverse("core:jobs")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_page_is_for_administrators_only(client, make_user, team, tick_job):
    manager = make_user("manager", roles=[SALES_MANAGER], manager_of=[team])
    client.force_login(manager)
    page = client.get(URL)
    assert page.status_code == 403 and "You do not have permission to do this." in page.content.decode()
    run = client.post(reverse("core:job_run_now", args=["tests.tick"]))
    assert run.status_code == 403 and not PeriodicRun.objects.exists() and calls == []
    assert URL not in client.get(reverse("core:tokens")).content.decode()  # not in the menu either


def test_the_page_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_page_lists_the_jobs_with_their_schedule_and_the_workers(admin_client, tick_job):
    html = admin_client.get(URL).content.decode()
    assert 'aria-current="page">Scheduled jobs</a>' in html  # in the settings menu
    assert "Delete expired export files" in html and "core.exports_cleanup" in html
    assert "At 20 minutes past the hour" in html and "20 * * * *" in html
    assert "Tick" in html and "Every 5 minutes" in html and "Never run" in html
    assert "No worker has run in the last 3 minutes." in html and "No worker has run yet." in html
    assert "No job has run yet." in html
    worker_heartbeat(worker_id="w1", hostname="app1.example", pid=4242, runs_tasks=True, runs_scheduler=True)
    html = admin_client.get(URL).content.decode()
    assert "1 worker is running." in html and "app1.example" in html and "4242" in html


def test_the_page_in_chinese(admin_client, tick_job):
    html = admin_client.get(URL, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "定时任务" in html and "每 5 分钟" in html and "在每小时的 20 分" in html and "立即运行" in html


@pytest.mark.django_db(transaction=True)  # the run is queued when the request's transaction commits
def test_run_now_shows_the_outcome(admin_client, tick_job):
    response = admin_client.post(reverse("core:job_run_now", args=["tests.tick"]), follow=True)
    html = response.content.decode()
    assert "“Tick” ran." in html and calls == ["tick"]
    assert '<span class="badge succeeded">Succeeded</span>' in html and "Run now by admin" in html
    run = PeriodicRun.objects.get()
    assert (run.trigger, run.status, run.result) == ("manual", "succeeded", "tick")


@pytest.mark.django_db(transaction=True)
def test_run_now_of_a_failing_job_shows_the_error(admin_client, failing_job):
    html = admin_client.post(
        reverse("core:job_run_now", args=["tests.failing"]), follow=True
    ).content.decode()
    assert "“Fails” failed. The error is shown below." in html
    assert (
        "ValueError: the mail server said no" in html and '<span class="badge failed">Failed</span>' in html
    )


def test_run_now_while_waiting_is_refused_and_the_page_polls(admin_client, tick_job, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    url = reverse("core:job_run_now", args=["tests.tick"])
    html = admin_client.post(url, follow=True).content.decode()
    assert "“Tick” is queued: a worker runs it shortly." in html
    assert 'hx-trigger="every 2s"' in html  # the outcome appears without reloading
    html = admin_client.post(url, follow=True).content.decode()
    assert "“Tick” is already waiting to run or running." in html
    assert PeriodicRun.objects.count() == 1


def test_run_now_of_an_unknown_job_is_404_and_get_is_refused(admin_client):
    assert admin_client.post(reverse("core:job_run_now", args=["no.such_job"])).status_code == 404
    assert admin_client.get(reverse("core:job_run_now", args=["core.exports_cleanup"])).status_code == 405


def test_workers_that_stopped_or_went_quiet(admin_client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="a", hostname="stopped.example", pid=1, stopped_at=now)
    WorkerHeartbeat.objects.create(
        worker_id="b", hostname="quiet.example", pid=2, last_seen_at=now - timedelta(minutes=10)
    )
    html = admin_client.get(URL).content.decode()
    assert (
        "Stopped" in html and "Not responding" in html and "No worker has run in the last 3 minutes." in html
    )


def test_the_page_costs_the_same_queries_for_many_runs(admin_client, tick_job, django_assert_max_num_queries):
    def runs(n):
        for i in range(n):
            PeriodicRun.objects.create(
                name="tests.tick", scheduled_for=timezone.now() - timedelta(minutes=5 * i), status="succeeded"
            )
        for i in range(n):
            WorkerHeartbeat.objects.create(worker_id=f"w{n}-{i}", hostname="h", pid=i)

    runs(3)
    admin_client.get(URL)  # warm-up (the session's last-seen write)
    with django_assert_max_num_queries(12):
        admin_client.get(URL)
    runs(40)
    with django_assert_max_num_queries(12) as ctx:
        response = admin_client.get(URL)
    assert len(response.context["page"]) == 25 and response.context["page"].paginator.count == 43
    assert len(ctx.captured_queries) <= 12

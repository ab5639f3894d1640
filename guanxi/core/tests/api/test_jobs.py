"""/api/v1/jobs and /api/v1/workers: administrators see the periodic jobs and workers, and run a job now."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guanxi.core.models import PeriodicRun
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.services.jobs import worker_heartbeat, worker_stopped
from guanxi.core.tests.api.helpers import ok, problem
from guanxi.core.tests.jobs_support import calls

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_jobs_list(api, tick_job):
    jobs = ok(api.get("/jobs"))
    names = [j["name"] for j in jobs]
    assert names == sorted(names) and {"core.exports_cleanup", "tests.tick"} <= set(names)
    tick = next(j for j in jobs if j["name"] == "tests.tick")
    assert tick["title"] == "Tick" and tick["schedule"] == "*/5 * * * *"
    assert tick["schedule_text"] == "Every 5 minutes" and tick["last_run"] is None
    assert tick["next_run_at"] is not None
    zh = ok(api.get("/jobs/tests.tick", headers={"Accept-Language": "zh-hans"}))
    assert zh["schedule_text"] == "每 5 分钟"


def test_jobs_are_for_administrators(api_as, anon_api, make_user, team, tick_job):
    manager = make_user("manager", roles=[SALES_MANAGER], manager_of=[team])
    for path in ("/jobs", "/jobs/tests.tick", "/jobs/tests.tick/runs", "/workers"):
        problem(api_as(manager).get(path), 403)
        problem(anon_api.get(path), 401)
    problem(api_as(manager).post("/jobs/tests.tick/runs"), 403)
    assert not PeriodicRun.objects.exists() and calls == []


def test_unknown_job(api):
    problem(api.get("/jobs/no.such_job"), 404)
    problem(api.get("/jobs/no.such_job/runs"), 404)
    problem(api.post("/jobs/no.such_job/runs"), 404)


def test_run_now(api, admin_user, tick_job, no_worker):
    run = ok(api.post("/jobs/tests.tick/runs"), 202)
    assert (run["job"], run["trigger"], run["status"], run["requested_by"]) == (
        "tests.tick",
        "manual",
        "queued",
        "admin",
    )
    again = problem(api.post("/jobs/tests.tick/runs"), 409)
    assert again["title"] == "“Tick” is already waiting to run or running."
    job = ok(api.get("/jobs/tests.tick"))
    assert job["last_run"]["id"] == run["id"] and job["last_run"]["status"] == "queued"
    problem(api_read_only(admin_user).post("/jobs/tests.tick/runs"), 403)


def api_read_only(user):
    from guanxi.core.tests.api.helpers import ApiClient

    return ApiClient(user, scope="read")


@pytest.mark.django_db(transaction=True)
def test_run_now_runs_the_job_when_a_worker_runs_at_once(api, tick_job):
    run = ok(api.post("/jobs/tests.tick/runs"), 202)
    assert run["status"] == "succeeded" and run["result"] == "tick" and calls == ["tick"]


def test_runs_are_paged_by_cursor(api, tick_job, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(7):
        PeriodicRun.objects.create(name="tests.tick", scheduled_for=now - timedelta(minutes=5 * i))
    PeriodicRun.objects.create(name="core.exports_cleanup", scheduled_for=now)
    with django_assert_max_num_queries(8):
        first = ok(api.get("/jobs/tests.tick/runs", {"limit": 5}))
    assert len(first["items"]) == 5 and first["next_cursor"] and first["prev_cursor"] is None
    ids = [r["id"] for r in first["items"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    second = ok(api.get("/jobs/tests.tick/runs", {"limit": 5, "cursor": first["next_cursor"]}))
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    assert {r["job"] for r in first["items"] + second["items"]} == {"tests.tick"}
    problem(api.get("/jobs/tests.tick/runs", {"cursor": "nonsense"}), 422)


def test_workers(api):
    assert ok(api.get("/workers")) == []
    worker_heartbeat(worker_id="w1", hostname="app1", pid=7, runs_tasks=True, runs_scheduler=False)
    worker_heartbeat(worker_id="w2", hostname="app2", pid=8, runs_tasks=True, runs_scheduler=True)
    worker_stopped(worker_id="w2")
    workers = {w["worker_id"]: w for w in ok(api.get("/workers"))}
    assert workers["w1"]["alive"] is True and workers["w1"]["runs_scheduler"] is False
    assert workers["w2"]["alive"] is False and workers["w2"]["stopped_at"] is not None

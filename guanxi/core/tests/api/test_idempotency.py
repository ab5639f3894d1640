"""Idempotency-Key on POST: a retried request gets the first answer back instead of doing it twice."""

from __future__ import annotations

import pytest

from guanxi.core.models import IdempotencyRecord
from guanxi.core.tests.api.helpers import PROBLEM, ApiClient, ok, problem

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "7d3c6f7e-tag-1"}


def test_retry_with_the_same_key_replays_the_first_response(api):
    first = api.post("/tags", {"name": "VIP"}, headers=KEY)
    assert ok(first, 201)["name"] == "VIP"
    assert "Idempotent-Replayed" not in first

    again = api.post("/tags", {"name": "VIP"}, headers=KEY)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert [t["name"] for t in ok(api.get("/tags"))] == ["VIP"]


def test_same_key_with_another_body_is_422(api):
    ok(api.post("/tags", {"name": "VIP"}, headers=KEY), 201)
    data = problem(api.post("/tags", {"name": "Other"}, headers=KEY), 422)
    assert "Idempotency-Key" in data["title"]
    assert [t["name"] for t in ok(api.get("/tags"))] == ["VIP"]


def test_without_a_key_each_post_is_done(api):
    ok(api.post("/tags", {"name": "A"}), 201)
    problem(api.post("/tags", {"name": "A"}), 422)  # a second tag with that name is refused
    assert IdempotencyRecord.objects.count() == 0


def test_keys_belong_to_one_user(api, make_user):
    other = ApiClient(make_user("second", superuser=True))
    ok(api.post("/tags", {"name": "Mine"}, headers=KEY), 201)
    resp = other.post("/tags", {"name": "Yours"}, headers=KEY)
    assert ok(resp, 201)["name"] == "Yours" and "Idempotent-Replayed" not in resp


def test_an_error_is_replayed_as_problem_json(api):
    first = problem(api.post("/tags", {"name": "x", "color": "red"}, headers=KEY), 422)
    again = api.post("/tags", {"name": "x", "color": "red"}, headers=KEY)
    assert again.status_code == 422 and again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"].startswith(PROBLEM)
    assert problem(again, 422) == first


def test_a_refused_credential_is_not_kept(admin_user):
    reader = ApiClient(admin_user, scope="read")
    problem(reader.post("/tags", {"name": "VIP"}, headers=KEY), 403)
    writer = ApiClient(admin_user, scope="write")
    resp = writer.post("/tags", {"name": "VIP"}, headers=KEY)
    assert ok(resp, 201)["name"] == "VIP" and "Idempotent-Replayed" not in resp


@pytest.mark.parametrize("key", ["", "   ", "k" * 256, "tab\there"])
def test_a_malformed_key_is_400(api, key):
    problem(api.post("/tags", {"name": "VIP"}, headers={"Idempotency-Key": key}), 400)
    assert ok(api.get("/tags")) == []


def test_key_is_ignored_on_get_and_without_credentials(api, anon_api):
    assert ok(api.get("/tags", headers=KEY)) == []
    problem(anon_api.post("/tags", {"name": "VIP"}, headers=KEY), 401)
    assert IdempotencyRecord.objects.count() == 0

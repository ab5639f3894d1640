"""Idempotency-Key on POST: a retried request gets the first answer back instead of doing it twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone

from guanxi.core.api.idempotency import body_fingerprint
from guanxi.core.models import IdempotencyRecord
from guanxi.core.roles import EXECUTIVE
from guanxi.core.services.tokens import token_revoke
from guanxi.core.tests.api.helpers import PROBLEM, ApiClient, ok, problem

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "7d3c6f7e-tag-1"}
ROOT = Path(__file__).resolve().parents[4]


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


@pytest.mark.parametrize(
    "payload", [{"name": "VIP"}, {"name": "x", "color": "red"}], ids=["service", "schema"]
)
def test_an_error_is_replayed_as_problem_json(api, payload):
    ok(api.post("/tags", {"name": "VIP"}), 201)
    first = problem(api.post("/tags", payload, headers=KEY), 422)
    again = api.post("/tags", payload, headers=KEY)
    assert again.status_code == 422 and again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"].startswith(PROBLEM)
    assert problem(again, 422) == first


def test_a_refused_credential_is_not_kept(admin_user):
    reader = ApiClient(admin_user, scope="read")
    problem(reader.post("/tags", {"name": "VIP"}, headers=KEY), 403)
    writer = ApiClient(admin_user, scope="write")
    resp = writer.post("/tags", {"name": "VIP"}, headers=KEY)
    assert ok(resp, 201)["name"] == "VIP" and "Idempotent-Replayed" not in resp


@pytest.mark.parametrize("key", ["", "   ", "k" * 256, "tab\there", "with space", "ключ", "键"])
def test_a_malformed_key_is_400(api, key):
    data = problem(api.post("/tags", {"name": "VIP"}, headers={"Idempotency-Key": key}), 400)
    assert "Idempotency-Key" in data["title"]
    assert ok(api.get("/tags")) == []


@pytest.mark.parametrize("key", ["k" * 255, "!", "~a-Z_0.9:{}", "550e8400-e29b-41d4-a716-446655440000"])
def test_every_key_the_openapi_document_allows_is_accepted(api, anon_api, key):
    import re

    doc = ok(anon_api.get("/openapi.json"))
    param = next(
        p for p in doc["paths"]["/api/v1/tags"]["post"]["parameters"] if p["name"] == "Idempotency-Key"
    )
    schema = param["schema"]
    assert re.search(schema["pattern"], key) and schema["minLength"] <= len(key) <= schema["maxLength"]
    ok(api.post("/tags", {"name": "VIP"}, headers={"Idempotency-Key": key}), 201)
    again = api.post("/tags", {"name": "VIP"}, headers={"Idempotency-Key": key})
    assert again["Idempotent-Replayed"] == "true"


def test_key_is_ignored_on_get_and_without_credentials(api, anon_api):
    assert ok(api.get("/tags", headers=KEY)) == []
    problem(anon_api.post("/tags", {"name": "VIP"}, headers=KEY), 401)
    assert IdempotencyRecord.objects.count() == 0


# Authorization comes before any replay --------------------------------------------------------------


def test_a_read_only_token_never_gets_a_replayed_write(admin_user):
    writer = ApiClient(admin_user, scope="write")
    ok(writer.post("/tags", {"name": "VIP"}, headers=KEY), 201)
    reader = ApiClient(admin_user, scope="read")  # the same user, whose keys these are
    data = problem(reader.post("/tags", {"name": "VIP"}, headers=KEY), 403)
    assert "read" in data["title"].lower()


def test_a_revoked_token_never_gets_a_replay(admin_user):
    writer = ApiClient(admin_user)
    ok(writer.post("/tags", {"name": "VIP"}, headers=KEY), 201)
    token_revoke(actor=admin_user, token=writer.token)
    resp = writer.post("/tags", {"name": "VIP"}, headers=KEY)
    problem(resp, 401)
    assert "Idempotent-Replayed" not in resp


def test_a_session_replay_needs_the_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    csrf = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = csrf
    payload = json.dumps({"name": "VIP"})
    headers = {**KEY, "X-CSRFToken": csrf}
    ok(client.post("/api/v1/tags", payload, content_type="application/json", headers=headers), 201)
    forged = client.post("/api/v1/tags", payload, content_type="application/json", headers=KEY)
    data = problem(forged, 403)
    assert "CSRF" in data["title"] and "Idempotent-Replayed" not in forged
    again = client.post("/api/v1/tags", payload, content_type="application/json", headers=headers)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"


def test_a_refusal_by_the_operation_is_not_kept(make_user):
    # A write token whose user may not manage tags: the service refuses (403); nothing was done.
    api = ApiClient(make_user("boss", roles=[EXECUTIVE]))
    problem(api.post("/tags", {"name": "VIP"}, headers=KEY), 403)
    assert IdempotencyRecord.objects.count() == 0


# Reservation, failures, expiry ------------------------------------------------------------------------


def _reserve(user, key: str, path: str, payload: dict, *, age=timedelta(0)) -> IdempotencyRecord:
    """A reservation as a request still running (or long dead) would have left it."""
    digest = body_fingerprint("POST", f"/api/v1{path}", json.dumps(payload).encode())
    record = IdempotencyRecord.objects.create(
        user=user, key=key, fingerprint=digest, state=IdempotencyRecord.State.IN_PROGRESS
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)
    return record


def test_a_duplicate_of_a_request_in_progress_is_told_to_retry(api, admin_user):
    _reserve(admin_user, KEY["Idempotency-Key"], "/tags", {"name": "VIP"})
    resp = api.post("/tags", {"name": "VIP"}, headers=KEY)
    data = problem(resp, 409)
    assert "in progress" in data["title"] and resp["Retry-After"] == "1"
    problem(api.post("/tags", {"name": "Other"}, headers=KEY), 422)  # another body: still refused
    assert ok(api.get("/tags")) == []


def test_the_request_in_progress_is_answered_in_the_callers_language(api, admin_user):
    _reserve(admin_user, KEY["Idempotency-Key"], "/tags", {"name": "VIP"})
    data = problem(api.post("/tags", {"name": "VIP"}, headers={**KEY, "Accept-Language": "zh-hans"}), 409)
    assert "Idempotency-Key" in data["title"] and "in progress" not in data["title"]


def test_an_abandoned_reservation_is_taken_over(api, admin_user):
    _reserve(admin_user, KEY["Idempotency-Key"], "/tags", {"name": "VIP"}, age=timedelta(minutes=10))
    resp = api.post("/tags", {"name": "VIP"}, headers=KEY)
    assert ok(resp, 201)["name"] == "VIP" and "Idempotent-Replayed" not in resp
    assert IdempotencyRecord.objects.get().state == IdempotencyRecord.State.DONE


def test_an_expired_key_may_be_used_again(api, settings):
    ok(api.post("/tags", {"name": "VIP"}, headers=KEY), 201)
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS + 1)
    )
    resp = api.post("/tags", {"name": "Other"}, headers=KEY)
    assert ok(resp, 201)["name"] == "Other"
    assert IdempotencyRecord.objects.get().fingerprint != ""


def _old(keys, hours: int) -> None:
    IdempotencyRecord.objects.filter(key__in=keys).update(created_at=timezone.now() - timedelta(hours=hours))


def test_purge_command_drops_only_expired_keys(api, settings, capsys):
    settings.IDEMPOTENCY_KEY_HOURS = 2
    for i in range(3):
        ok(api.post("/tags", {"name": f"T{i}"}, headers={"Idempotency-Key": f"k{i}"}), 201)
    _old(["k0", "k1"], 3)
    call_command("purge_idempotency_keys")
    assert "Deleted 2 " in capsys.readouterr().out
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k2"]
    # A purged key is free again: another request with it is carried out, not refused as a different one.
    assert ok(api.post("/tags", {"name": "T9"}, headers={"Idempotency-Key": "k0"}), 201)["name"] == "T9"


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_guanxi_manage_purge_idempotency_keys_from_the_command_line(api, tmp_path):
    """As the scheduled job will run it: the `guanxi` command, in its own process, on this database."""
    for i in range(2):
        ok(api.post("/tags", {"name": f"T{i}"}, headers={"Idempotency-Key": f"k{i}"}), 201)
    _old(["k0"], 25)
    env = {**os.environ, "DATABASE_URL": _database_url(), "GUANXI_DATA_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    done = subprocess.run(
        [sys.executable, "-m", "guanxi.cli", "manage", "purge_idempotency_keys"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 Idempotency-Key(s) older than 24 hours." in done.stdout
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k1"]


def test_a_multipart_body_without_a_boundary_is_400_not_500(api):
    # Found by schemathesis's coverage phase on the purchasing API: reading the fields to fingerprint the
    # request raised MultiPartParserError, a 500.
    resp = api.post("/tags", raw=b"name=VIP", content_type="multipart/form-data", headers=KEY)
    assert problem(resp, 400)["title"]
    assert IdempotencyRecord.objects.count() == 0

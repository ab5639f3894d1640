"""Who may call /api/v1: personal access tokens (scoped, revocable) and the browser session with CSRF."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone

from guanxi.core.models import ApiToken
from guanxi.core.roles import EXECUTIVE, SALES_REP
from guanxi.core.services.tokens import token_create, token_revoke
from guanxi.core.tests.api.helpers import ApiClient, ok, problem

pytestmark = pytest.mark.django_db

TAG = {"name": "Key account", "color": "#1d4ed8"}


def tag_names(api: ApiClient) -> list[str]:
    return [t["name"] for t in ok(api.get("/tags"))]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/me"),
        ("get", "/organizations"),
        ("get", "/tags"),
        ("post", "/tags"),
        ("patch", "/addresses/1"),
    ],
)
def test_no_credentials_is_401_problem(method, path):
    # A real client: CSRF is enforced, so a missing login must still say 401, not "CSRF failed".
    client = Client(enforce_csrf_checks=True)
    if method == "get":
        resp = client.get(ApiClient.url(path))
    else:
        resp = getattr(client, method)(
            ApiClient.url(path), data=json.dumps(TAG), content_type="application/json"
        )
    data = problem(resp, 401)
    assert "token" in data["title"].lower()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nope",
        "Bearer gx_not-a-real-token",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "Bearer gx_" + "a" * 200,
    ],
)
def test_invalid_credentials_are_401(admin_user, header):
    token_create(actor=admin_user, name="real", scope="write")
    problem(Client().get("/api/v1/me", headers={"Authorization": header}), 401)


def test_write_token_reads_and_writes(admin_user):
    api = ApiClient(admin_user, scope="write")
    me = ok(api.get("/me"))
    assert me["username"] == "admin" and me["id"] == admin_user.pk
    created = ok(api.post("/tags", TAG), 201)
    assert created["name"] == "Key account" and created["color"] == "#1d4ed8"
    assert tag_names(api) == ["Key account"]


def test_read_token_reads_but_may_not_write(admin_user):
    api = ApiClient(admin_user, scope="read")
    assert ok(api.get("/me"))["username"] == "admin"
    data = problem(api.post("/tags", TAG), 403)
    assert "read" in data["title"].lower()
    problem(api.patch("/addresses/1", {"version": 1}), 403)
    problem(api.delete("/addresses/1"), 403)
    problem(api.post("/organizations", {"name": "Acme"}), 403)
    assert tag_names(ApiClient(admin_user)) == []  # nothing was written


def test_revoked_token_is_401(admin_user):
    api = ApiClient(admin_user)
    ok(api.get("/me"))
    token_revoke(actor=admin_user, token=api.token)
    problem(api.get("/me"), 401)
    problem(api.post("/tags", TAG), 401)


def test_token_of_inactive_user_is_401(make_user):
    user = make_user("leaver", roles=[SALES_REP])
    api = ApiClient(user)
    ok(api.get("/me"))
    user.is_active = False
    user.save(update_fields=["is_active"])
    problem(api.get("/me"), 401)


def test_token_last_used_at_is_recorded(admin_user):
    api = ApiClient(admin_user)
    assert api.token.last_used_at is None
    before = timezone.now()
    ok(api.get("/me"))
    api.token.refresh_from_db()
    assert api.token.last_used_at is not None and api.token.last_used_at >= before - timedelta(seconds=1)

    # Touched at most once a minute: an older time is moved forward, a fresh one is left alone.
    old = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=api.token.pk).update(last_used_at=old)
    ok(api.get("/me"))
    api.token.refresh_from_db()
    assert api.token.last_used_at > old + timedelta(minutes=59)
    stamp = api.token.last_used_at
    ok(api.get("/me"))
    api.token.refresh_from_db()
    assert api.token.last_used_at == stamp


def test_token_is_stored_hashed(admin_user):
    token, raw = token_create(actor=admin_user, name="ci", scope="read")
    assert raw.startswith("gx_") and raw not in (token.key_hash, token.prefix)
    assert raw.startswith(token.prefix)
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_token_acts_as_its_owner_not_as_the_session(admin_user, make_user):
    # A signed-in administrator's browser that sends someone else's token acts as the token's owner.
    exec_user = make_user("boss", roles=[EXECUTIVE])
    api = ApiClient(exec_user)
    api.client.force_login(admin_user)
    assert ok(api.get("/me"))["username"] == "boss"
    problem(api.post("/tags", TAG), 403)  # an executive may not manage tags


# Session (browser) ------------------------------------------------------------------------------------


def _csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    return client, token


def test_session_reads_without_csrf_token(admin_user):
    client, _token = _csrf_client(admin_user)
    resp = client.get("/api/v1/me")
    assert ok(resp)["username"] == "admin"


def test_session_write_needs_the_csrf_header(admin_user):
    client, token = _csrf_client(admin_user)
    payload = json.dumps(TAG)
    refused = client.post("/api/v1/tags", data=payload, content_type="application/json")
    data = problem(refused, 403)
    assert "csrf" in data["title"].lower()
    assert tag_names(ApiClient(admin_user)) == []

    wrong = client.post(
        "/api/v1/tags", data=payload, content_type="application/json", headers={"X-CSRFToken": "x" * 32}
    )
    problem(wrong, 403)
    assert tag_names(ApiClient(admin_user)) == []

    accepted = client.post(
        "/api/v1/tags", data=payload, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert ok(accepted, 201)["name"] == "Key account"
    assert tag_names(ApiClient(admin_user)) == ["Key account"]


def test_logged_out_session_is_401(admin_user):
    client, token = _csrf_client(admin_user)
    client.logout()
    client.cookies["csrftoken"] = token
    problem(client.get("/api/v1/me"), 401)
    resp = client.post(
        "/api/v1/tags", data=json.dumps(TAG), content_type="application/json", headers={"X-CSRFToken": token}
    )
    problem(resp, 401)


def test_session_of_inactive_user_is_401(make_user):
    user = make_user("gone", roles=[SALES_REP])
    client, _token = _csrf_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    problem(client.get("/api/v1/me"), 401)

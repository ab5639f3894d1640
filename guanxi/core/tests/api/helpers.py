"""Talking to /api/v1 in tests: a Django test client that sends JSON and a personal access token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guanxi.core.services.tokens import token_create

BASE = "/api/v1"
PROBLEM = "application/problem+json"


class ApiClient:
    """`ApiClient(user)` authenticates with a new token of `scope`; `ApiClient()` sends no credentials."""

    def __init__(self, user=None, *, scope: str = "write", client: Client | None = None) -> None:
        self.client = client or Client()
        self.user = user
        self.token = None
        self.headers: dict[str, str] = {}
        if user is not None:
            self.token, raw = token_create(actor=user, name=f"tests-{scope}", scope=scope)
            self.headers["Authorization"] = f"Bearer {raw}"

    @staticmethod
    def url(path: str) -> str:
        return path if path.startswith("/api/") else BASE + path

    def _headers(self, headers: dict | None) -> dict:
        return {**self.headers, **(headers or {})}

    def get(self, path: str, params: dict | None = None, *, headers: dict | None = None):
        return self.client.get(self.url(path), params or {}, headers=self._headers(headers))

    def _send(self, method: str, path: str, body, raw, content_type: str, headers: dict | None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        send = getattr(self.client, method)
        return send(self.url(path), data=data, content_type=content_type, headers=self._headers(headers))

    def post(self, path, body=None, *, raw=None, content_type="application/json", headers=None):
        return self._send("post", path, body, raw, content_type, headers)

    def patch(self, path, body=None, *, raw=None, content_type="application/json", headers=None):
        return self._send("patch", path, body, raw, content_type, headers)

    def put(self, path, body=None, *, raw=None, content_type="application/json", headers=None):
        return self._send("put", path, body, raw, content_type, headers)

    def delete(self, path: str, *, headers: dict | None = None):
        return self.client.delete(self.url(path), headers=self._headers(headers))


def body(resp) -> dict | list:
    """The JSON body of a response (problem+json included, which `resp.json()` refuses)."""
    return json.loads(resp.content)


def ok(resp, status: int = 200):
    """Assert a success status with a JSON body and return that body."""
    assert resp.status_code == status, (resp.status_code, resp.content[:800])
    if status == 204:
        return None
    assert resp["Content-Type"].startswith("application/json"), resp["Content-Type"]
    return body(resp)


def problem(resp, status: int) -> dict:
    """Assert an RFC 9457 problem response with this status and return its body."""
    assert resp.status_code == status, (resp.status_code, resp.content[:800])
    assert resp["Content-Type"].startswith(PROBLEM), resp["Content-Type"]
    data = body(resp)
    assert data["status"] == status
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["errors"], list)
    for err in data["errors"]:
        assert isinstance(err["field"], str) and isinstance(err["message"], str) and err["message"]
    return data


def fields(problem_body: dict) -> set[str]:
    return {e["field"] for e in problem_body["errors"]}


@pytest.fixture
def api(admin_user) -> ApiClient:
    """An administrator's write token."""
    return ApiClient(admin_user)


@pytest.fixture
def api_as(db):
    """`api_as(user, scope="write")`: a client authenticated with a new token of that user."""

    def make(user, scope: str = "write") -> ApiClient:
        return ApiClient(user, scope=scope)

    return make


@pytest.fixture
def anon_api(db) -> ApiClient:
    return ApiClient()

"""Idempotency-Key under concurrency: eight simultaneous POSTs with one key make one organization.

Each thread has its own database connection (a real transaction per request, as under gunicorn),
and all eight are released at the same moment by a barrier. The first request to reserve the key
does the work; every other one is answered 409 "still in progress" (with Retry-After) or, once the
first has finished, with the first response replayed.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from guanxi.core.models import IdempotencyRecord
from guanxi.core.tests.api.helpers import ApiClient, body
from guanxi.parties.models import Party

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ORG = {"name": "Concurrent Trading", "is_customer": True, "allow_duplicates": True}


def _fire(send) -> list:
    """Call `send()` in THREADS threads released together; return their responses (or exceptions)."""
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = send()
        except Exception as exc:  # reported by the assertions below, not lost in the thread
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _check(results: list, retry) -> None:
    assert Party.objects.filter(name=ORG["name"]).count() == 1, [
        getattr(r, "status_code", r) for r in results
    ]
    created = [r for r in results if getattr(r, "status_code", None) == 201]
    assert created, [getattr(r, "status_code", r) for r in results]
    first = [r for r in created if "Idempotent-Replayed" not in r]
    assert len(first) == 1
    pk = body(first[0])["id"]
    for resp in results:
        assert getattr(resp, "status_code", None) in (201, 409), resp
        if resp.status_code == 201:
            assert body(resp)["id"] == pk
        else:
            assert resp["Content-Type"].startswith("application/problem+json")
            assert int(resp["Retry-After"]) >= 1
            assert "in progress" in body(resp)["title"]
            assert "duplicates" not in body(resp)
    record = IdempotencyRecord.objects.get()
    assert record.state == IdempotencyRecord.State.DONE and record.status_code == 201
    # A client told "in progress" retries: it gets the first response.
    again = retry()
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert body(again)["id"] == pk


def test_eight_simultaneous_token_posts_with_one_key_make_one_organization(admin_user):
    api = ApiClient(admin_user)
    headers = {**api.headers, "Idempotency-Key": "concurrent-token-1"}
    payload = json.dumps(ORG)

    def send():
        return Client().post(
            "/api/v1/organizations", payload, content_type="application/json", headers=headers
        )

    _check(_fire(send), send)


def test_eight_simultaneous_session_posts_with_one_key_make_one_organization(admin_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    csrf = get_token(RequestFactory().get("/"))
    session = browser.cookies["sessionid"].value
    headers = {"Idempotency-Key": "concurrent-session-1", "X-CSRFToken": csrf}
    payload = json.dumps(ORG)

    def send():
        client = Client(enforce_csrf_checks=True)  # one browser: the same session and CSRF cookies
        client.cookies["sessionid"] = session
        client.cookies["csrftoken"] = csrf
        return client.post("/api/v1/organizations", payload, content_type="application/json", headers=headers)

    _check(_fire(send), send)

"""Idempotency-Key on POST /organizations and /contacts: a retry never makes a second party."""

from __future__ import annotations

import pytest

from guanxi.core.models import IdempotencyRecord
from guanxi.core.tests.api.helpers import body, ok, problem
from guanxi.parties.models import Address, Party, Tag
from guanxi.parties.services import tags as tag_svc
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "a4b9c0de-5xx"}

ORG = {"name": "Acme Trading", "is_customer": True, "phones": ["010 6552 9988"]}


def test_same_post_twice_creates_one_organization(api):
    key = {"Idempotency-Key": "a4b9c0de-0001"}
    first = api.post("/organizations", ORG, headers=key)
    created = ok(first, 201)
    second = api.post("/organizations", ORG, headers=key)
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert body(second) == created
    assert Party.objects.count() == 1
    # Without the key the same request is a new one: here refused as a likely duplicate.
    problem(api.post("/organizations", ORG), 409)
    assert Party.objects.count() == 1


def test_same_key_with_a_different_body_is_422(api):
    key = {"Idempotency-Key": "a4b9c0de-0002"}
    ok(api.post("/organizations", ORG, headers=key), 201)
    data = problem(api.post("/organizations", {**ORG, "name": "Other Name"}, headers=key), 422)
    assert "Idempotency-Key" in data["title"]
    assert list(Party.objects.values_list("name", flat=True)) == ["Acme Trading"]


def test_same_key_on_another_path_is_422(api, admin_user):
    key = {"Idempotency-Key": "a4b9c0de-0003"}
    ok(api.post("/contacts", {"name": "Wang Wei"}, headers=key), 201)
    problem(api.post("/organizations", {"name": "Wang Wei"}, headers=key), 422)
    assert Party.objects.count() == 1


def test_replayed_conflict_keeps_its_duplicates(api, admin_user):
    make_org(admin_user, "Acme Trading")
    key = {"Idempotency-Key": "a4b9c0de-0004"}
    first = problem(api.post("/organizations", {"name": "Acme Trading"}, headers=key), 409)
    again = api.post("/organizations", {"name": "Acme Trading"}, headers=key)
    assert again["Idempotent-Replayed"] == "true"
    assert problem(again, 409) == first and first["duplicates"]


def test_address_post_is_idempotent(api, admin_user):
    org = make_org(admin_user, "Acme")
    key = {"Idempotency-Key": "addr-1"}
    first = ok(api.post(f"/parties/{org.pk}/addresses", {"street": "1 Rd"}, headers=key), 201)
    again = api.post(f"/parties/{org.pk}/addresses", {"street": "1 Rd"}, headers=key)
    assert again["Idempotent-Replayed"] == "true" and body(again) == first
    assert Address.objects.count() == 1


def test_a_server_error_leaves_no_reservation_so_a_retry_is_carried_out(api, monkeypatch):
    real = tag_svc.tag_create

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tag_svc, "tag_create", broken)
    problem(api.post("/tags", {"name": "VIP"}, headers=KEY), 500)
    assert IdempotencyRecord.objects.count() == 0
    monkeypatch.setattr(tag_svc, "tag_create", real)
    resp = api.post("/tags", {"name": "VIP"}, headers=KEY)
    assert ok(resp, 201)["name"] == "VIP" and "Idempotent-Replayed" not in resp
    assert list(Tag.objects.values_list("name", flat=True)) == ["VIP"]

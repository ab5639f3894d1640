"""/api/v1/tags: list and create."""

from __future__ import annotations

import pytest

from guanxi.core.models import AuditEntry
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.parties.models import Tag

pytestmark = pytest.mark.django_db


def test_create_and_list_tags(api):
    b = ok(api.post("/tags", {"name": "Strategic", "color": "#B91C1C"}), 201)
    a = ok(api.post("/tags", {"name": "  Automotive "}), 201)
    assert b["color"].lower() == "#b91c1c" and a == {"id": a["id"], "name": "Automotive", "color": "#64748b"}
    assert ok(api.get("/tags")) == [a, b]  # by name
    assert AuditEntry.objects.filter(action="create", target_id=str(a["id"])).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "t" * 51}, "name"),
        ({"name": "a\u0000b"}, "name"),
        ({"name": "ok", "color": "blue"}, "color"),
        ({"name": "ok", "color": "#fff"}, "color"),
        ({"name": "ok", "color": None}, "color"),
    ],
)
def test_invalid_tag_is_422(api, payload, field):
    data = problem(api.post("/tags", payload), 422)
    assert fields(data) <= {field, ""} and data["errors"]
    assert not Tag.objects.exists()


def test_tag_names_are_unique_ignoring_case(api):
    ok(api.post("/tags", {"name": "VIP"}), 201)
    data = problem(api.post("/tags", {"name": "vip"}), 422)
    assert fields(data) == {"name"}
    assert Tag.objects.count() == 1


def test_who_may_create_tags(api_as, rep_a, buyer, executive, make_user):
    from guanxi.core.roles import MARKETING, SERVICE_AGENT

    ok(api_as(rep_a).post("/tags", {"name": "From rep"}), 201)
    ok(api_as(buyer).post("/tags", {"name": "From buyer"}), 201)
    ok(api_as(make_user("mkt", roles=[MARKETING])).post("/tags", {"name": "From marketing"}), 201)
    problem(api_as(executive).post("/tags", {"name": "From exec"}), 403)
    problem(api_as(make_user("svc", roles=[SERVICE_AGENT])).post("/tags", {"name": "From service"}), 403)
    assert ok(api_as(executive).get("/tags"))[0]["name"] == "From buyer"

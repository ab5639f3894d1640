"""/api/v1/pools: an unknown team is a 422 with the field, from the service's own check (the route does not look
the teams up a second time)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.tests.api.helpers import ApiClient, ok, problem
from guanxi.crm.models import Pool

pytestmark = pytest.mark.django_db
UNKNOWN = 2**31 - 1


def _fields(answer: dict) -> list[str]:
    return [e["field"] for e in answer["errors"]]


def test_an_unknown_team_is_a_422_with_the_field(world):
    manager = ApiClient(world.manager)
    answer = problem(manager.post("/pools", {"name_en": "East pool", "teams": [world.east.pk, UNKNOWN]}), 422)
    assert _fields(answer) == ["teams"] and answer["errors"][0]["message"] == "Choose teams from the list."
    assert not Pool.objects.exists()
    pool = ok(manager.post("/pools", {"name_en": "East pool", "teams": [world.east.pk]}), 201)
    body = {"name_en": "East", "teams": [UNKNOWN], "version": pool["version"]}
    assert _fields(problem(manager.put(f"/pools/{pool['id']}", body), 422)) == ["teams"]
    assert Pool.objects.get().name_en == "East pool"  # nothing changed
    problem(ApiClient(world.rep).post("/pools", {"name_en": "Mine", "teams": [UNKNOWN]}), 403)  # who first


def test_the_teams_are_looked_up_once(world):
    manager = ApiClient(world.manager)
    with CaptureQueriesContext(connection) as ctx:
        ok(manager.post("/pools", {"name_en": "East pool", "teams": [world.east.pk, world.west.pk]}), 201)
    lookups = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "core_team" WHERE' in q["sql"] and "JOIN" not in q["sql"]
    ]
    assert len(lookups) == 1, lookups
    assert sorted(ok(manager.get("/pools"))[0]["teams"]) == ["East", "West"]

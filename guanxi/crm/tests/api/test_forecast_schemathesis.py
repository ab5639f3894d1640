"""Property-based tests of /api/v1/forecast and /api/v1/sales-targets from the OpenAPI document (schemathesis),
with a year of sales and targets to read and put: no 5xx, and every answer as documented, for a manager's
write token, a representative's read token and an administrator's. (guanxi/parties/tests/api/
test_schemathesis.py says how to hunt deeper with GUANXI_SCHEMATHESIS_EXAMPLES and friends.)"""

from __future__ import annotations

import datetime as dt

import pytest

from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.crm.services.opportunities import opportunity_win
from guanxi.crm.services.targets import sales_targets_save
from guanxi.crm.tests.factories import make_opportunity

schema = api_schema(path_regex=r"^/api/v1/(forecast|sales-targets)")


@pytest.fixture
def tokens(world) -> list[str]:
    year = dt.date.today().year
    make_opportunity(world.rep, world.huawei, "Core switches", amount="120000", forecast_category="commit")
    won = make_opportunity(world.rep, world.huawei, "Cables", amount="800", currency="USD")
    opportunity_win(actor=world.rep, opportunity=won, version=1)
    make_opportunity(world.rep_west, world.west_co, "West's", amount="5")
    for y in (year, 2026):
        sales_targets_save(
            actor=world.admin,
            year=y,
            entries=[
                {"owner": world.rep.pk, "month": m, "amount": "1000", "currency": c}
                for m, c in ((1, "CNY"), (6, "USD"), (12, "EUR"))
            ],
        )
    return [
        token_create(actor=world.manager, name="schemathesis-write", scope="write")[1],
        token_create(actor=world.rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=world.admin, name="schemathesis", scope="write")[1],
    ]


def _aim(raw, ids: list[int]):
    """Most generated ids name nobody: aim three in four at users who exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


@every_operation(schema, 8)
def test_forecast_api_conforms_to_its_openapi_document(case, tokens, world):
    people = [world.rep.pk, world.mate.pk, world.rep_west.pk, world.manager.pk]
    query = case.query or {}
    if isinstance(query.get("team"), int):
        query["team"] = _aim(query["team"], [world.east.pk, world.west.pk])
    if isinstance(case.body, dict) and isinstance(case.body.get("targets"), list):
        for target in case.body["targets"]:
            if isinstance(target, dict) and "owner_id" in target:
                target["owner_id"] = _aim(target["owner_id"], people)
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

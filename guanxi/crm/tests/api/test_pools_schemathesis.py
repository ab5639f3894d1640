"""Property-based tests of the pools operations of /api/v1 from the OpenAPI document (schemathesis): pools and
their rules per customer level, a pool's customers, claim, assign, release, a customer's level and 查重. With a
pool holding a customer and held customers to aim at: no 5xx, and every answer as documented, for a rep's write
and read tokens and the manager's. (guanxi/parties/tests/api/test_schemathesis.py says how to hunt deeper.)"""

from __future__ import annotations

import pytest

from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.crm.models import Pool, PoolEntry
from guanxi.crm.services import pools as svc
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org

schema = api_schema(path_regex=r"^/api/v1/(pools|pool-entries/|customers/\{id\}/(release|level)|check)")


@pytest.fixture
def tokens(world) -> list[str]:
    svc.pool_save(
        actor=world.manager,
        pool=None,
        data={
            "name_en": "East pool",
            "teams": [world.east.pk],
            "level_rules": [{"level": "a", "never": True}],
        },
    )
    pooled = make_org(world.admin, "深圳公海客户有限公司", owner=world.rep)
    svc.customer_release(actor=world.rep, party=pooled)
    return [
        token_create(actor=world.rep, name="schemathesis-write", scope="write")[1],
        token_create(actor=world.rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=world.manager, name="schemathesis-manager", scope="write")[1],
    ]


def _aim(raw, ids: list[int]):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def test_the_operations_are_the_pools_ones():
    operations = {(r.ok().method, r.ok().path) for r in schema.get_all_operations()}
    assert operations == {
        ("get", "/api/v1/pools"),
        ("post", "/api/v1/pools"),
        ("put", "/api/v1/pools/{id}"),
        ("get", "/api/v1/pools/{id}/customers"),
        ("post", "/api/v1/pool-entries/{id}/claim"),
        ("post", "/api/v1/pool-entries/{id}/assign"),
        ("post", "/api/v1/customers/{id}/release"),
        ("put", "/api/v1/customers/{id}/level"),
        ("get", "/api/v1/check"),
    }


@every_operation(schema, 5)
def test_pools_api_conforms_to_its_openapi_document(case, tokens, world):
    params = case.path_parameters or {}
    if "id" in params:
        path = case.operation.path
        model = Pool if path.startswith("/api/v1/pools") else PoolEntry if "pool-entries" in path else Party
        params["id"] = _aim(params["id"], sorted(model.objects.values_list("pk", flat=True)))
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

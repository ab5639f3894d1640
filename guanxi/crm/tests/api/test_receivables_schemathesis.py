"""Property-based tests of the receivables operations of /api/v1 from the OpenAPI document (schemathesis): an
order's receivable, plan, collections and fapiao requests, issuing a fapiao and the list of open orders. With
orders to aim at (planned and part collected, West's that the rep may not see) and a fapiao request to
issue: no 5xx, and every answer as documented, for a rep's write and read tokens and an executive's.
(guanxi/parties/tests/api/test_schemathesis.py says how to hunt deeper with GUANXI_SCHEMATHESIS_EXAMPLES.)"""

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
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import FapiaoRequest, SalesOrder
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import receivables as rec

schema = api_schema(
    path_regex=r"^/api/v1/(orders/\{id\}/(receivable|plan|collections|fapiao-requests)|fapiao-requests/|receivables)"
)


def make_order(actor, customer, amount="1000"):
    data = {
        "customer": customer.pk,
        "lines": [{"description": "服务", "quantity": "1", "unit_price": amount}],
    }
    q = quotes.quote_create(actor=actor, data=data)
    q = quotes.quote_submit(actor=actor, quote=q, version=q.version)
    q = quotes.quote_send(actor=actor, quote=q, version=q.version)
    return orders.quote_accept(actor=actor, quote=q, version=q.version)


@pytest.fixture
def tokens(world) -> list[str]:
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    order = make_order(world.rep, world.huawei, amount="100000")
    today = dt.date.today()
    rec.plan_set(
        actor=world.rep,
        order=order,
        instalments=[
            {"due_date": today - dt.timedelta(days=3), "amount": "30000"},
            {"due_date": today + dt.timedelta(days=30), "amount": "70000"},
        ],
    )
    rec.collection_record(actor=world.rep, order=order, data={"amount": "100"})
    rec.fapiao_request_create(actor=world.rep, order=order, data={"amount": "10"})
    make_order(world.rep_west, world.west_co)
    return [
        token_create(actor=world.rep, name="schemathesis-write", scope="write")[1],
        token_create(actor=world.rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=world.executive, name="schemathesis-exec", scope="write")[1],
    ]


def _aim(raw, ids: list[int]):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def test_the_operations_are_the_receivables_ones():
    operations = {(r.ok().method, r.ok().path) for r in schema.get_all_operations()}
    assert operations == {
        ("get", "/api/v1/orders/{id}/receivable"),
        ("put", "/api/v1/orders/{id}/plan"),
        ("post", "/api/v1/orders/{id}/collections"),
        ("post", "/api/v1/orders/{id}/fapiao-requests"),
        ("post", "/api/v1/fapiao-requests/{id}/issue"),
        ("get", "/api/v1/receivables"),
    }


@every_operation(schema, 5)
def test_receivables_api_conforms_to_its_openapi_document(case, tokens, world):
    params = case.path_parameters or {}
    if "id" in params:
        model = FapiaoRequest if case.operation.path.startswith("/api/v1/fapiao-requests") else SalesOrder
        params["id"] = _aim(params["id"], sorted(model.objects.values_list("pk", flat=True)))
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

"""Property-based tests of /api/v1/quotes and /api/v1/orders from the OpenAPI document (schemathesis), with
quotes to aim at in every state (draft, ready, sent, accepted with its order, revised) and one of
West's the representative may not see: no 5xx, and every answer as documented, for a representative's read
and write tokens and an administrator's. The PDF operation is left out (slow; test_quotes_api covers it).
Two known bugs are stepped around here and shown by xfail tests in test_quotes_api.py: PATCH lines that leave
out a field, and a line whose amount does not fit the column. (guanxi/parties/tests/api/test_schemathesis.py
says how to hunt deeper with GUANXI_SCHEMATHESIS_EXAMPLES and friends.)"""

from __future__ import annotations

import pytest

from guanxi.catalog.tests.factories import make_product
from guanxi.core.models import TaxRate
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Quote, SalesOrder
from guanxi.crm.services import orders, quotes

schema = api_schema(path_regex=r"^/api/v1/(quotes|orders)").exclude(path_regex=r"/pdf$")


@pytest.fixture
def data(world) -> dict:
    make_company(name_zh="关系示范科技有限公司", default_currency="CNY", is_default=True)
    vat13 = TaxRate.objects.get(code="vat13")
    prices = [{"currency": "CNY", "amount": "3999.99"}, {"currency": "USD", "amount": "560"}]
    switch = make_product(
        world.admin, "SW-48", "48口交换机", "48-port switch", tax_rate=vat13.pk, prices=prices
    )
    line = {"product": switch.pk, "quantity": "3", "discount_percent": "5"}

    def quote(actor=world.rep, customer=world.huawei, *steps):
        q = quotes.quote_create(actor=actor, data={"customer": customer.pk, "lines": [line]})
        for step in steps:
            service = orders.quote_accept if step == "accept" else getattr(quotes, f"quote_{step}")
            result = service(actor=actor, quote=q, version=q.version)
            q = Quote.objects.get(pk=q.pk) if step == "accept" else result
        return q

    quote()
    quote(world.rep, world.huawei, "submit")
    quote(world.rep, world.huawei, "submit", "send")
    quote(world.rep, world.huawei, "submit", "send", "accept")
    quote(world.rep, world.huawei, "submit", "send", "revise")  # a revised one and its draft
    quote(world.rep_west, world.west_co, "submit", "send", "accept")
    tokens = [
        token_create(actor=world.rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=world.rep, name="schemathesis-write", scope="write")[1],
        token_create(actor=world.admin, name="schemathesis", scope="write")[1],
    ]
    return {"tokens": tokens, "product": switch.pk}


def _aim(raw, ids: list[int]):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def _aim_lines(case, product: int) -> None:
    lines = case.body.get("lines")
    if not isinstance(lines, list):
        return
    for line in lines:
        if not isinstance(line, dict):
            continue
        if "product_id" in line:
            line["product_id"] = _aim(line["product_id"], [product])


@every_operation(schema, 6)
def test_quotes_api_conforms_to_its_openapi_document(case, data, world):
    params = case.path_parameters or {}
    if "id" in params:
        model = SalesOrder if case.operation.path.startswith("/api/v1/orders") else Quote
        params["id"] = _aim(params["id"], sorted(model.objects.values_list("pk", flat=True)))
    if isinstance(case.query, dict) and isinstance(case.query.get("customer"), int):
        case.query["customer"] = _aim(case.query["customer"], [world.huawei.pk, world.west_co.pk])
    if isinstance(case.body, dict):
        if "customer_id" in case.body:
            case.body["customer_id"] = _aim(case.body["customer_id"], [world.huawei.pk])
        if "contact_id" in case.body:
            case.body["contact_id"] = _aim(case.body["contact_id"], [world.zhang.pk])
        _aim_lines(case, data["product"])
        if isinstance(case.body.get("version"), int) and isinstance(params.get("id"), int):
            current = Quote.objects.filter(pk=params["id"]).values_list("version", flat=True).first()
            if current and case.body["version"] % 4:
                case.body["version"] = current
    for token in data["tokens"]:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

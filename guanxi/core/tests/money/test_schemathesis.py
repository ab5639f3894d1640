"""Property-based tests of the money endpoints from the OpenAPI document (schemathesis), with real
currencies, rates and tax rates to aim at: no 5xx, and every answer as documented — for a Sales
Representative's read and write tokens (reads allowed, writes refused) and an administrator's write token.

The whole API is also run by guanxi/parties/tests/api/test_schemathesis.py; this run seeds what the money
operations need (rates to convert with, ids of rates and tax rates) and sends more examples to them. For
a deeper hunt: GUANXI_SCHEMATHESIS_EXAMPLES=200 GUANXI_SCHEMATHESIS_COVERAGE=1 GUANXI_SCHEMATHESIS_RANDOM=1.
"""

from __future__ import annotations

import datetime as dt

import pytest

from guanxi.core.models import ExchangeRate, TaxRate
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)

schema = api_schema(path_regex=r"/(currencies|exchange-rates|tax-rates)")

CODES = ["CNY", "USD", "EUR", "JPY", "KWD"]


@pytest.fixture
def tokens(admin_user, rep) -> list[str]:
    for i, (base, rate) in enumerate(
        [("USD", "7.1234"), ("EUR", "7.7"), ("JPY", "0.047892"), ("KWD", "23.1")]
    ):
        exchange_rate_create(
            actor=admin_user,
            date=dt.date(2026, 11, 25) - dt.timedelta(days=i),
            base=base,
            quote="CNY",
            rate=rate,
        )
    return [
        token_create(actor=rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=rep, name="schemathesis-write", scope="write")[1],
        token_create(actor=admin_user, name="schemathesis", scope="write")[1],
    ]


def _aim(case) -> None:
    """Random ids and codes would almost always be 404s: aim most of them at records that exist."""
    params = case.path_parameters or {}
    raw = params.get("id")
    if isinstance(raw, int) and raw % 4 != 0:
        ids = sorted(
            {
                *ExchangeRate.objects.values_list("pk", flat=True),
                *TaxRate.objects.values_list("pk", flat=True),
            }
        )
        params["id"] = ids[raw % len(ids)]
    code = params.get("code")
    if isinstance(code, str) and len(code) == 3 and sum(map(ord, code)) % 4 != 0:
        params["code"] = CODES[sum(map(ord, code)) % len(CODES)]
    query = case.query or {}
    for key in ("from", "to", "currency"):
        value = query.get(key)
        if isinstance(value, str) and len(value) == 3 and sum(map(ord, value)) % 3 != 0:
            query[key] = CODES[sum(map(ord, value)) % len(CODES)]


@every_operation(schema, 25)
def test_money_api_conforms_to_its_openapi_document(case, tokens):
    _aim(case)
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

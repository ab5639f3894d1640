"""Property-based tests of the money endpoints from the OpenAPI document (schemathesis), with real
currencies, rates and tax rates to aim at: no 5xx, and every answer as documented — for a Sales
Representative's read and write tokens (reads allowed, writes refused) and an administrator's write token.

The whole API is also run by guanxi/parties/tests/api/test_schemathesis.py; this run seeds what the money
operations need (rates to convert with, ids of rates and tax rates) and sends more examples to them. For
a deeper hunt: GUANXI_SCHEMATHESIS_EXAMPLES=200 GUANXI_SCHEMATHESIS_COVERAGE=1 GUANXI_SCHEMATHESIS_RANDOM=1.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guanxi.core.models import ExchangeRate, TaxRate
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.core.services.tokens import token_create

MAX_EXAMPLES = int(os.environ.get("GUANXI_SCHEMATHESIS_EXAMPLES", "25"))
COVERAGE = os.environ.get("GUANXI_SCHEMATHESIS_COVERAGE") == "1"
RANDOM = os.environ.get("GUANXI_SCHEMATHESIS_RANDOM") == "1"

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}}),
).include(path_regex=r"/(currencies|exchange-rates|tax-rates)")

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
CODES = ["CNY", "USD", "EUR", "JPY", "KWD"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_money_api_conforms_to_its_openapi_document(case, tokens):
    _aim(case)
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

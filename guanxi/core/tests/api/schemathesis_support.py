"""What the schemathesis tests of each area share: the OpenAPI document of the running API (narrowed to an
area), the checks, the example settings and a fixture that keeps the test's connection open through the WSGI
handler. A deeper hunt than CI's: GUANXI_SCHEMATHESIS_EXAMPLES=200 GUANXI_SCHEMATHESIS_COVERAGE=1
GUANXI_SCHEMATHESIS_RANDOM=1 (every boundary of every field, random instead of repeatable examples)."""

from __future__ import annotations

import copy
import functools
import inspect
import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

COVERAGE = os.environ.get("GUANXI_SCHEMATHESIS_COVERAGE") == "1"  # slow: every boundary of every field
RANDOM = os.environ.get("GUANXI_SCHEMATHESIS_RANDOM") == "1"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def api_schema(**include):
    """The API's OpenAPI document through the WSGI application, narrowed by `include` (tag=, path_regex=).
    The document is read once per process (each test module narrows its own copy)."""
    schema = schemathesis.openapi.from_dict(
        copy.deepcopy(_document()),
        config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}}),
    )
    schema.app = get_wsgi_application()
    schema.location = "/api/v1/openapi.json"
    return schema.include(**include) if include else schema


@functools.cache
def _document() -> dict:
    """The OpenAPI document as the running API serves it (the same request a client makes)."""
    response = Client().get("/api/v1/openapi.json", HTTP_HOST="localhost")
    assert response.status_code == 200, response.status_code
    return json.loads(response.content)


def examples(default: int):
    """The hypothesis settings of a schemathesis test: `default` examples per operation unless
    GUANXI_SCHEMATHESIS_EXAMPLES says otherwise; repeatable unless GUANXI_SCHEMATHESIS_RANDOM=1."""
    return settings(
        max_examples=int(os.environ.get("GUANXI_SCHEMATHESIS_EXAMPLES", str(default))),
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def every_operation(schema, default: int):
    """Decorate `test(case, **fixtures)`: one test that runs `default` generated cases (see `examples`) of every
    operation of `schema`, one operation after the other, on the fixtures' records built **once** — not one
    test per operation, each building them again (schemathesis' `parametrize`: the fixtures cost seconds, the
    requests milliseconds). What one operation changed, the next one sees, as on a real server. A failure
    names its operation."""

    def decorate(fn):
        @functools.wraps(fn)
        def test(**fixtures):
            for result in schema.get_all_operations():
                operation = result.ok()

                @examples(default)
                @given(case=operation.as_strategy())
                def one(case):
                    fn(case=case, **fixtures)

                try:
                    one()
                except BaseException as exc:
                    exc.add_note(f"operation: {operation.label}")
                    raise

        signature = inspect.signature(fn)  # pytest reads the fixtures from it: every parameter but the case
        test.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for name, p in signature.parameters.items() if name != "case"]
        )
        return test

    return decorate


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The real WSGI handler's request signals would close the test's connection (and transaction). Import
    this fixture into a test module to use it there."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)

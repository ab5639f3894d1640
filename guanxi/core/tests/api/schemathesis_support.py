"""What the schemathesis tests of each area share: the OpenAPI document of the running API (narrowed to an
area), the checks, the example settings and a fixture that keeps the test's connection open through the WSGI
handler. A deeper hunt than CI's: GUANXI_SCHEMATHESIS_EXAMPLES=200 GUANXI_SCHEMATHESIS_COVERAGE=1
GUANXI_SCHEMATHESIS_RANDOM=1 (every boundary of every field, random instead of repeatable examples)."""

from __future__ import annotations

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

COVERAGE = os.environ.get("GUANXI_SCHEMATHESIS_COVERAGE") == "1"  # slow: every boundary of every field
RANDOM = os.environ.get("GUANXI_SCHEMATHESIS_RANDOM") == "1"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def api_schema(**include):
    """The API's OpenAPI document through the WSGI application, narrowed by `include` (tag=, path_regex=)."""
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json",
        get_wsgi_application(),
        config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}}),
    )
    return schema.include(**include) if include else schema


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


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The real WSGI handler's request signals would close the test's connection (and transaction). Import
    this fixture into a test module to use it there."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)

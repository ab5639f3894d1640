"""Property-based tests of the whole /api/v1 from its own OpenAPI document (schemathesis).

Every operation gets a bounded number of generated requests, valid and invalid, sent through the
Django WSGI app with an administrator's write token. No response may be a 5xx, and every response
must match what the document says: its status codes, content types and body schemas.

The run is small and repeatable by default (10 examples per operation, fixed seed, no coverage
phase). For a deeper hunt, e.g. before a release::

    GUANXI_SCHEMATHESIS_EXAMPLES=200 GUANXI_SCHEMATHESIS_COVERAGE=1 GUANXI_SCHEMATHESIS_RANDOM=1 \
        .venv/bin/pytest -q guanxi/parties/tests/api/test_schemathesis.py
"""

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

from guanxi.core.services.tokens import token_create
from guanxi.parties.models import Address, Party, Tag
from guanxi.parties.tests.factories import make_org, make_person

MAX_EXAMPLES = int(os.environ.get("GUANXI_SCHEMATHESIS_EXAMPLES", "10"))
COVERAGE = os.environ.get("GUANXI_SCHEMATHESIS_COVERAGE") == "1"  # every boundary of every field: slow
RANDOM = os.environ.get("GUANXI_SCHEMATHESIS_RANDOM") == "1"

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}}),
)

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals would close the database
    connection (and with it the test's transaction) on PostgreSQL. Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def write_token(admin_user) -> str:
    """A few real records to aim at, and an administrator's write token."""
    org = make_org(
        admin_user,
        "Seed Org",
        supplier=True,
        phones=["010 6552 9988"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": "914403001922038216"}],
        address={"province": "广东省", "city": "深圳市", "street": "科技园路1号"},
    )
    make_person(
        admin_user, "Seed Person", organization=org, job_title="CEO", emails=["seed@acme.example.com"]
    )
    make_org(admin_user, "华为技术有限公司")
    Tag.objects.create(name="Seed")
    _token, raw = token_create(actor=admin_user, name="schemathesis", scope="write")
    return raw


def _known_ids() -> list[int]:
    ids = [*Party.objects.values_list("pk", flat=True), *Address.objects.values_list("pk", flat=True)]
    return sorted({*ids, *Tag.objects.values_list("pk", flat=True)})


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, write_token):
    # Random ids would almost always be 404s: aim most of them at records that exist.
    ids = _known_ids()
    raw = (case.path_parameters or {}).get("id")
    if isinstance(raw, int) and raw % 4 != 0 and ids:
        case.path_parameters["id"] = ids[raw % len(ids)]
    case.call_and_validate(headers={"Authorization": f"Bearer {write_token}"}, checks=CHECKS)

"""Property-based tests of the whole /api/v1 from its own OpenAPI document (schemathesis).

Every operation gets a bounded number of generated requests, valid and invalid, sent through the
Django WSGI app. Each request is sent three times: with a read-only token of a Sales Representative
(low privilege: writes are refused, most records are invisible), with that representative's write token,
and with an administrator's write token. No response may be a 5xx, and every response must match what
the document says: its status codes, content types and body schemas.

The run is repeatable by default (15 examples per operation, fixed seed, no coverage phase). For a
deeper hunt, e.g. before a release::

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

from guanxi.core.roles import SALES_REP
from guanxi.core.services.tokens import token_create
from guanxi.parties.models import Address, Party, Tag
from guanxi.parties.tests.factories import make_org, make_person

MAX_EXAMPLES = int(os.environ.get("GUANXI_SCHEMATHESIS_EXAMPLES", "15"))
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
def tokens(admin_user, make_user, team) -> list[str]:
    """A few real records to aim at, some the representative may see and some not, and the tokens to send
    each request with: the representative's read and write tokens, then the administrator's."""
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
    rep = make_user("rep.seed", roles=[SALES_REP], teams=[team])
    own = make_org(
        rep, "厦门海鑫贸易有限公司", address={"province": "福建省", "city": "厦门市", "street": "湖滨南路1号"}
    )
    make_person(rep, "林小姐", organization=own, job_title="采购经理", phones=["13900139000"])
    return [
        token_create(actor=rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=rep, name="schemathesis-write", scope="write")[1],
        token_create(actor=admin_user, name="schemathesis", scope="write")[1],
    ]


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
def test_api_conforms_to_its_openapi_document(case, tokens):
    # Random ids would almost always be 404s: aim most of them at records that exist.
    ids = _known_ids()
    raw = (case.path_parameters or {}).get("id")
    if isinstance(raw, int) and raw % 4 != 0 and ids:
        case.path_parameters["id"] = ids[raw % len(ids)]
    for token in tokens:  # the generated request is the expensive part: send it as each role
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

"""Property-based tests of /api/v1/activities from the OpenAPI document (schemathesis), with activities to aim
at: no 5xx, and every answer as documented, for a representative's read and write tokens and an
administrator's. (guanxi/parties/tests/api/test_schemathesis.py runs the whole API; its docstring says how
to hunt deeper with GUANXI_SCHEMATHESIS_EXAMPLES and friends, which this test reads too.)"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guanxi.activities.models import Activity
from guanxi.activities.services.activities import activity_complete
from guanxi.activities.tests.factories import make_activity
from guanxi.core.services.tokens import token_create

MAX_EXAMPLES = int(os.environ.get("GUANXI_SCHEMATHESIS_EXAMPLES", "15"))
COVERAGE = os.environ.get("GUANXI_SCHEMATHESIS_COVERAGE") == "1"
RANDOM = os.environ.get("GUANXI_SCHEMATHESIS_RANDOM") == "1"

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}}),
).include(tag="activities")

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI handler's request signals would close the test's connection (and transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world) -> list[str]:
    now = timezone.now()
    make_activity(world.rep, world.huawei, kind="meeting", subject="拜访", contacts=[world.zhang.pk])
    make_activity(
        world.rep, world.huawei, subject="late", due_at=now - dt.timedelta(days=1), remind_before=15
    )
    done = make_activity(
        world.rep, world.huawei, subject="done", all_day=True, due_date=now.date(), due_at=None
    )
    activity_complete(actor=world.rep, activity=done, outcome="ok")
    make_activity(world.rep_west, world.west_co, subject="West's")
    return [
        token_create(actor=world.rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=world.rep, name="schemathesis-write", scope="write")[1],
        token_create(actor=world.admin, name="schemathesis", scope="write")[1],
    ]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_activities_api_conforms_to_its_openapi_document(case, tokens, world):
    ids = sorted(Activity.objects.values_list("pk", flat=True))
    raw = (case.path_parameters or {}).get("id")
    if isinstance(raw, int) and raw % 4 != 0 and ids:
        case.path_parameters["id"] = ids[raw % len(ids)]
    if isinstance(case.body, dict) and case.body.get("record_type") and raw is None:
        case.body["record_type"], case.body["record_id"] = "parties.party", world.huawei.pk
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

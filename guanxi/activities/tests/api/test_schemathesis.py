"""Property-based tests of /api/v1/activities from the OpenAPI document (schemathesis), with activities to aim
at: no 5xx, and every answer as documented, for a representative's read and write tokens and an
administrator's. (guanxi/parties/tests/api/test_schemathesis.py runs the whole API; its docstring says how
to hunt deeper with GUANXI_SCHEMATHESIS_EXAMPLES and friends, which this test reads too.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from guanxi.activities.models import Activity
from guanxi.activities.services.activities import activity_complete
from guanxi.activities.tests.factories import make_activity
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)

schema = api_schema(tag="activities")


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


@every_operation(schema, 15)
def test_activities_api_conforms_to_its_openapi_document(case, tokens, world):
    ids = sorted(Activity.objects.values_list("pk", flat=True))
    raw = (case.path_parameters or {}).get("id")
    if isinstance(raw, int) and raw % 4 != 0 and ids:
        case.path_parameters["id"] = ids[raw % len(ids)]
    if isinstance(case.body, dict) and case.body.get("record_type") and raw is None:
        case.body["record_type"], case.body["record_id"] = "parties.party", world.huawei.pk
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

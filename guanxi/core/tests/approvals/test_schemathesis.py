"""Property-based tests of the approvals endpoints from the OpenAPI document (schemathesis), with real
requests, rules and delegations to aim at: no 5xx, and every answer as documented — for an approver's read
token, the requester's write token, the approver's write token and an administrator's.

The whole API is also run by guanxi/parties/tests/api/test_schemathesis.py; this run seeds what the approval
operations need and aims ids at them. For a deeper hunt: GUANXI_SCHEMATHESIS_EXAMPLES=200
GUANXI_SCHEMATHESIS_COVERAGE=1 GUANXI_SCHEMATHESIS_RANDOM=1.
"""

from __future__ import annotations

import pytest

from guanxi.core.models import ApprovalDelegation, ApprovalRequest, ApprovalRule, TeamMembership
from guanxi.core.selectors.approvals import today
from guanxi.core.services.approval_delegations import approval_delegation_create
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.core.tests.approvals.support import level, rule, submit, widget

schema = api_schema(path_regex=r"/(approvals|approval-rules|approval-types|delegations)")


@pytest.fixture
def tokens(world) -> list[str]:
    TeamMembership.objects.create(team=world.north, user=world.max, is_manager=True)
    rule(
        world.admin,
        "Big",
        conditions=[{"field": "amount", "op": "gt", "value": "1000"}],
        levels=[level("team_manager", "all"), level("user", user_id=world.admin.pk)],
    )
    rule(world.admin, "Rest", levels=[level("team_manager", "any")])
    for i in range(4):
        submit(world.anna, widget(world.anna, name=f"W{i}", amount=str(500 + 1000 * i), team=world.north))
    approval_delegation_create(actor=world.mia, delegate=world.ben, starts_on=today(), ends_on=today())
    return [
        token_create(actor=world.mia, name="schemathesis-read", scope="read")[1],
        token_create(actor=world.anna, name="schemathesis-write", scope="write")[1],
        token_create(actor=world.mia, name="schemathesis-approver", scope="write")[1],
        token_create(actor=world.admin, name="schemathesis-admin", scope="write")[1],
    ]


def _aim(case) -> None:
    """Random ids would almost always be 404s: aim most of them at records that exist."""
    params = case.path_parameters or {}
    raw = params.get("id")
    if isinstance(raw, int) and raw % 4 != 0:
        ids = sorted(
            {
                *ApprovalRequest.objects.values_list("pk", flat=True),
                *ApprovalRule.objects.values_list("pk", flat=True),
                *ApprovalDelegation.objects.values_list("pk", flat=True),
            }
        )
        params["id"] = ids[raw % len(ids)]


@every_operation(schema, 20)
def test_approvals_api_conforms_to_its_openapi_document(case, tokens):
    _aim(case)
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

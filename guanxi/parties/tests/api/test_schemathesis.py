"""Property-based tests of /api/v1 from its own OpenAPI document (schemathesis): every operation but those
an area's own schemathesis test covers with records of its kind (activities, catalogue, approvals, money,
attachments, companies and numbering: see AREAS).

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

import pytest

from guanxi.core.roles import SALES_REP
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.parties.models import Address, Party, Tag
from guanxi.parties.tests.factories import make_org, make_person

# Operations with a schemathesis test of their own, next to their code, with records of their kind to aim at:
# running them here as well only repeated those requests against parties' data, at twice the time.
AREAS = (
    r"^/api/v1/(activities|products|product-categories|units|approvals|approval-rules|approval-types|"
    r"delegations|currencies|exchange-rates|tax-rates|attachments|companies|numbering|opportunities|pipelines|"
    r"lost-reasons|leads|quotes|orders|forecast|sales-targets|pools|pool-entries/|customers/\{id\}/(release|level)|"
    r"check|receivables|fapiao-requests/|purchase-orders|supplier-prices|rfqs|suppliers/|bank-account-changes/|"
    r"supplier-status-changes/|delivery-notes|receipts|supplier-returns|supplier-invoices|"
    r"reconciliation-statements|requisitions|qualifications/|questionnaires|category-requirements/|"
    r"supplier-role-requests)"
)
schema = api_schema().exclude(path_regex=AREAS)


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


@every_operation(schema, 15)
def test_api_conforms_to_its_openapi_document(case, tokens):
    # Random ids would almost always be 404s: aim most of them at records that exist.
    ids = _known_ids()
    raw = (case.path_parameters or {}).get("id")
    if isinstance(raw, int) and raw % 4 != 0 and ids:
        case.path_parameters["id"] = ids[raw % len(ids)]
    for token in tokens:  # the generated request is the expensive part: send it as each role
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

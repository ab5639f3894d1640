"""Property-based tests of the suppliers operations of /api/v1 from the OpenAPI document (schemathesis): bank
accounts and their changes, the lifecycle and its steps, the qualification documents. With a supplier that
has an account, a waiting change, a step, and a current and a replaced document to aim at: no 5xx, and every
answer as documented, for a buyer's write and read tokens and a sales rep's (who reaches no supplier).
(guanxi/parties/tests/api/test_schemathesis.py says how to hunt deeper.)"""

from __future__ import annotations

import pytest

from guanxi.core.roles import BUYER, PROCUREMENT_MANAGER, SALES_REP
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.core.tests.attachments_support import pdf_bytes, upload
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import BankAccountChange, SupplierStatusChange
from guanxi.suppliers.services.bank_accounts import bank_change_propose, bank_rule_ensure
from guanxi.suppliers.services.documents import document_add
from guanxi.suppliers.services.lifecycle import lifecycle_rule_ensure, supplier_status_change

pytestmark = pytest.mark.usefixtures("attachments_dir")  # a generated upload may be accepted

# (What a supplier supplies and its qualification reviews: test_qualification_schemathesis.py.)
schema = api_schema(
    path_regex=r"^/api/v1/(suppliers/\{id\}/(bank-account|status-changes|documents)|bank-account-changes/|"
    r"supplier-status-changes/)"
)


@pytest.fixture
def tokens(make_user, admin_user, team) -> list[str]:
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    manager = make_user("pm", roles=[PROCUREMENT_MANAGER])
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    bank_rule_ensure()
    lifecycle_rule_ensure()
    supplier = make_org(admin_user, "苏州精密五金有限公司", customer=False, supplier=True, owner=buyer)
    data = {
        "kind": "add",
        "bank_name": "中国银行",
        "account_name": "苏州精密",
        "account_number": "123456789012",
    }
    first = bank_change_propose(
        actor=buyer, party=supplier, data={**data, "currency": "CNY", "reason": "来函"}
    )
    approval_approve(actor=manager, request=approval_status_of(first))
    bank_change_propose(
        actor=buyer,
        party=supplier,
        data={**data, "account_number": "998877665544", "currency": "CNY", "reason": "新账户"},
    )
    supplier_status_change(actor=buyer, party=supplier, action="qualify", reason="资料齐全")
    iso = {"kind": "iso_9001", "number": "CN-QMS-001", "issued_on": "2024-06-01", "expires_on": "2027-05-31"}
    document_add(actor=buyer, party=supplier, data=iso, file=upload("ISO9001.pdf", pdf_bytes()))
    document_add(actor=buyer, party=supplier, data={**iso, "number": "CN-QMS-002", "expires_on": ""})
    return [
        token_create(actor=buyer, name="schemathesis-write", scope="write")[1],
        token_create(actor=buyer, name="schemathesis-read", scope="read")[1],
        token_create(actor=rep, name="schemathesis-rep", scope="write")[1],
    ]


def _aim(raw, ids: list[int]):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def test_the_operations_are_the_suppliers_ones():
    operations = {(r.ok().method, r.ok().path) for r in schema.get_all_operations()}
    assert operations == {
        ("get", "/api/v1/suppliers/{id}/bank-accounts"),
        ("get", "/api/v1/suppliers/{id}/bank-account-changes"),
        ("post", "/api/v1/suppliers/{id}/bank-account-changes"),
        ("get", "/api/v1/bank-account-changes/{id}"),
        ("post", "/api/v1/bank-account-changes/{id}/withdraw"),
        ("get", "/api/v1/suppliers/{id}/status-changes"),
        ("post", "/api/v1/suppliers/{id}/status-changes"),
        ("get", "/api/v1/supplier-status-changes/{id}"),
        ("post", "/api/v1/supplier-status-changes/{id}/withdraw"),
        ("get", "/api/v1/suppliers/{id}/documents"),
        ("post", "/api/v1/suppliers/{id}/documents"),
    }


@every_operation(schema, 5)
def test_suppliers_api_conforms_to_its_openapi_document(case, tokens):
    params = case.path_parameters or {}
    if "id" in params:
        path = case.operation.path
        model = (
            BankAccountChange
            if path.startswith("/api/v1/bank-account-changes")
            else SupplierStatusChange
            if path.startswith("/api/v1/supplier-status-changes")
            else Party
        )
        params["id"] = _aim(params["id"], sorted(model.objects.values_list("pk", flat=True)))
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

"""Query-count guards of the suppliers' lists: a supplier's bank account changes and lifecycle steps, over the
API (each row with its approval request and, for bank changes, the other suppliers holding the number) and on
the supplier's tabs. 1 row costs what 20 rows cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guanxi.core.roles import BUYER, PROCUREMENT_MANAGER
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.core.tests.api.helpers import ApiClient, ok
from guanxi.core.tests.factories import PASSWORD
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import SupplierStatusChange
from guanxi.suppliers.services.bank_accounts import bank_change_propose, bank_rule_ensure
from guanxi.suppliers.services.lifecycle import lifecycle_rule_ensure, supplier_status_change
from guanxi.suppliers.tests.qualification_support import base_documents

ROWS = 20


@pytest.fixture
def w(make_user, admin_user, team):
    bank_rule_ensure()
    lifecycle_rule_ensure()
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    manager = make_user("pm", roles=[PROCUREMENT_MANAGER])
    supplier = make_org(admin_user, "上海申通包装材料有限公司", customer=False, supplier=True, owner=buyer)
    others = [
        make_org(admin_user, name, customer=False, supplier=True, owner=buyer)
        for name in ("苏州另一家包装有限公司", "无锡第三包装有限公司")
    ]

    class W:
        pass

    out = W()
    out.__dict__.update(locals())
    return out


def _number(i: int) -> str:
    return f"6222020012{i:04d}"


def _propose(w, party, i: int):
    data = {
        "kind": "add",
        "bank_name": "中国银行上海分行",
        "account_name": party.name,
        "account_number": _number(i),
        "currency": "CNY",
        "reason": "供应商来函",
    }
    return bank_change_propose(actor=w.buyer, party=party, data=data)


def _bank_changes(w, start: int, count: int, *, held: bool = True) -> None:
    """`count` proposals of new accounts for the supplier, each number also open at one of the others."""
    for i in range(start, start + count):
        if held:
            other = _propose(w, w.others[i % 2], i)
            approval_approve(actor=w.manager, request=approval_status_of(other))
        _propose(w, w.supplier, i)


def test_the_bank_account_changes_cost_the_same_for_1_and_20(w, django_assert_max_num_queries):
    api = ApiClient(w.buyer)
    url = f"/suppliers/{w.supplier.pk}/bank-account-changes"
    _bank_changes(w, 0, 1)
    with CaptureQueriesContext(connection) as one:
        (change,) = ok(api.get(url))
    assert change["approval_request"] and change["also_held_by"] == [w.others[0].pk]
    _bank_changes(w, 1, ROWS - 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        changes = ok(api.get(url))
    assert len(changes) == ROWS and all(c["approval_request"] for c in changes)
    assert {tuple(c["also_held_by"]) for c in changes} == {(w.others[0].pk,), (w.others[1].pk,)}
    assert len(one.captured_queries) <= 12


def _cycles(w, count: int) -> None:
    """`count` times two lifecycle steps that apply at once: phase out, onboard again."""
    for _ in range(count):
        supplier_status_change(actor=w.buyer, party=w.supplier, action="phase_out", reason="年度评审")
        supplier_status_change(actor=w.buyer, party=w.supplier, action="reactivate", reason="重新引入")


def test_the_lifecycle_steps_cost_the_same_for_1_and_20(w, django_assert_max_num_queries):
    api = ApiClient(w.buyer)
    url = f"/suppliers/{w.supplier.pk}/status-changes"
    base_documents(w.buyer, w.supplier)
    supplier_status_change(actor=w.buyer, party=w.supplier, action="qualify", reason="资料齐全")
    supplier_status_change(actor=w.buyer, party=w.supplier, action="approve", reason="审厂合格")
    with CaptureQueriesContext(connection) as few:
        assert [c["state"] for c in ok(api.get(url))["changes"]] == ["pending", "applied"]
    waiting = SupplierStatusChange.objects.get(action="approve")
    approval_approve(actor=w.manager, request=approval_status_of(waiting))
    _cycles(w, (ROWS - 2) // 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        changes = ok(api.get(url))["changes"]
    assert len(changes) == ROWS and [c["approval_request"] is not None for c in changes].count(True) == 1
    assert len(few.captured_queries) <= 16


@pytest.mark.parametrize("tab", ["bank_accounts", "supplier_status"])
def test_the_tabs_cost_the_same_for_1_and_20_rows(w, tab, django_assert_max_num_queries):
    client = Client()
    assert client.login(username="buyer", password=PASSWORD)
    url = f"/parties/{w.supplier.pk}/?tab={tab}"
    _bank_changes(w, 0, 1, held=False)
    supplier_status_change(actor=w.buyer, party=w.supplier, action="qualify", reason="资料齐全")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    if tab == "bank_accounts":
        _bank_changes(w, 1, ROWS - 1, held=False)
    else:
        _cycles(w, ROWS // 2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    shown = _number(ROWS - 1) if tab == "bank_accounts" else "重新引入"
    assert shown in page

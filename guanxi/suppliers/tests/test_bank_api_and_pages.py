"""Bank accounts over the API (/api/v1/suppliers/{id}/bank-accounts, /api/v1/bank-account-changes) and through
the pages (the supplier's "Bank accounts" tab, the proposal form, the change's page): the same rules as the
service, 403/404 without leaking, approval only through the approvals block."""

from __future__ import annotations

import pytest
from django.test import Client

from guanxi.core.roles import BUYER, PROCUREMENT_MANAGER, SALES_REP
from guanxi.core.tests.api.helpers import ApiClient, ok, problem
from guanxi.core.tests.factories import PASSWORD
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.services.bank_accounts import bank_rule_ensure

NEW = {
    "kind": "add",
    "bank_name": "中国银行上海分行",
    "account_name": "上海申通包装材料有限公司",
    "account_number": "4378 5920 1234",
    "swift": "BKCHCNBJ300",
    "currency": "CNY",
    "reason": "新供应商开户资料（银行开户许可证已核对）",
}


@pytest.fixture
def w(make_user, admin_user, team):
    bank_rule_ensure()
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    manager = make_user("pm", roles=[PROCUREMENT_MANAGER])
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    supplier = make_org(admin_user, "上海申通包装材料有限公司", customer=True, supplier=True, owner=buyer)
    return {"buyer": buyer, "manager": manager, "rep": rep, "supplier": supplier}


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_propose_over_the_api_then_approve_through_the_approvals_api(w):
    buyer, manager, supplier = ApiClient(w["buyer"]), ApiClient(w["manager"]), w["supplier"]
    change = ok(buyer.post(f"/suppliers/{supplier.pk}/bank-account-changes", NEW), 201)
    assert change["state"] == "pending" and change["after"]["account_number"] == "437859201234"
    assert change["before"] == {} and change["proposed_by"] == "buyer"
    assert ok(buyer.get(f"/suppliers/{supplier.pk}/bank-accounts")) == []
    problem(buyer.post(f"/approvals/{change['approval_request']}/approve", {}), 403)  # not their own
    ok(manager.post(f"/approvals/{change['approval_request']}/approve", {}))
    accounts = ok(manager.get(f"/suppliers/{supplier.pk}/bank-accounts"))
    assert [(a["account_number"], a["is_primary"], a["currency"]) for a in accounts] == [
        ("437859201234", True, "CNY")
    ]
    assert ok(buyer.get(f"/bank-account-changes/{change['id']}"))["state"] == "applied"
    listed = ok(buyer.get(f"/suppliers/{supplier.pk}/bank-account-changes"))
    assert [c["id"] for c in listed] == [change["id"]]


def test_the_api_refuses_what_the_service_refuses(w):
    buyer, supplier = ApiClient(w["buyer"]), w["supplier"]
    bad = problem(buyer.post(f"/suppliers/{supplier.pk}/bank-account-changes", {**NEW, "swift": "XX"}), 422)
    assert "swift" in str(bad)
    problem(buyer.post(f"/suppliers/{supplier.pk}/bank-account-changes", {**NEW, "extra": 1}), 422)
    problem(buyer.post(f"/suppliers/{supplier.pk}/bank-account-changes", {**NEW, "kind": "change"}), 422)
    rep = ApiClient(w["rep"])  # owns no supplier side: the supplier is not there for them
    problem(rep.post(f"/suppliers/{supplier.pk}/bank-account-changes", NEW), 404)
    problem(rep.get(f"/suppliers/{supplier.pk}/bank-accounts"), 404)
    change = ok(buyer.post(f"/suppliers/{supplier.pk}/bank-account-changes", NEW), 201)
    problem(rep.get(f"/bank-account-changes/{change['id']}"), 404)
    problem(ApiClient().get(f"/suppliers/{supplier.pk}/bank-accounts"), 401)
    withdrawn = ok(buyer.post(f"/bank-account-changes/{change['id']}/withdraw"))
    assert withdrawn["state"] == "withdrawn"
    problem(buyer.post(f"/bank-account-changes/{change['id']}/withdraw"), 409)
    assert not BankAccount.objects.exists()


def test_the_tab_the_form_and_the_change_page(w):
    supplier, buyer = w["supplier"], _client(w["buyer"])
    page = buyer.get(f"/parties/{supplier.pk}/?tab=bank_accounts").content.decode()
    assert "No bank account yet." in page and "Propose a new account" in page
    r = buyer.get(f"/suppliers/{supplier.pk}/bank-accounts/propose/?kind=add")
    assert r.status_code == 200 and "Submit for approval" in r.content.decode()
    r = buyer.post(f"/suppliers/{supplier.pk}/bank-accounts/propose/", {**NEW, "reason": ""})
    assert r.status_code == 200 and "This field is required." in r.content.decode()
    assert "437859201234" in r.content.decode() or "4378 5920 1234" in r.content.decode()  # input kept
    r = buyer.post(f"/suppliers/{supplier.pk}/bank-accounts/propose/", NEW)
    change = BankAccountChange.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/suppliers/bank-changes/{change.pk}/"
    page = buyer.get(r["Location"]).content.decode()
    assert "Waiting for approval" in page and "437859201234" in page and "Withdraw" in page
    manager = _client(w["manager"])
    page = manager.get(r["Location"]).content.decode()
    assert "Withdraw" not in page  # not the proposer's
    inbox = manager.get("/approvals/").content.decode()
    assert "上海申通包装材料有限公司" in inbox


def test_a_sales_rep_sees_no_bank_tab_and_cannot_open_the_form(w):
    rep = _client(w["rep"])
    page = rep.get(f"/parties/{w['supplier'].pk}/").content.decode()
    assert "Bank accounts" not in page
    assert rep.get(f"/suppliers/{w['supplier'].pk}/bank-accounts/propose/").status_code == 404


def test_a_customer_and_supplier_held_by_a_sales_rep(
    make_user, admin_user, team, django_capture_on_commit_callbacks
):
    """Only procurement proposes; the only Procurement Manager cannot pass their own change; the rep who
    holds the party is told when a change is applied."""
    bank_rule_ensure()
    rep = make_user("rep2", roles=[SALES_REP], teams=[team])
    buyer = make_user("buyer3", roles=[BUYER])
    manager = make_user("pm3", roles=[PROCUREMENT_MANAGER])
    party = make_org(admin_user, "华为技术有限公司", customer=True, supplier=True, owner=rep)
    problem(ApiClient(rep).post(f"/suppliers/{party.pk}/bank-account-changes", NEW), 404)
    alone = problem(ApiClient(manager).post(f"/suppliers/{party.pk}/bank-account-changes", NEW), 422)
    assert "nobody else" in alone["title"]
    assert not BankAccountChange.objects.exists()
    problem(ApiClient(buyer).post(f"/suppliers/{party.pk}/bank-account-changes", NEW), 404)  # not theirs
    second = make_user("pm4", roles=[PROCUREMENT_MANAGER])
    change = ok(ApiClient(second).post(f"/suppliers/{party.pk}/bank-account-changes", NEW), 201)
    with django_capture_on_commit_callbacks(execute=True):
        ok(ApiClient(manager).post(f"/approvals/{change['approval_request']}/approve", {}))
    assert BankAccount.objects.get(party=party).account_number == "437859201234"
    page = _client(rep).get("/notifications/").content.decode()
    assert "华为技术有限公司" in page


def test_an_account_number_another_supplier_has_is_shown_to_the_approver(w, admin_user):
    """One account paying two "different" suppliers: a mistake, a duplicate supplier or a fraud."""
    manager = ApiClient(w["manager"])
    other = make_org(admin_user, "苏州另一家包装有限公司", customer=False, supplier=True, owner=w["buyer"])
    first = ok(ApiClient(w["buyer"]).post(f"/suppliers/{other.pk}/bank-account-changes", NEW), 201)
    assert first["also_held_by"] == []
    ok(manager.post(f"/approvals/{first['approval_request']}/approve", {}))
    change = ok(ApiClient(w["buyer"]).post(f"/suppliers/{w['supplier'].pk}/bank-account-changes", NEW), 201)
    assert change["also_held_by"] == [other.pk]
    page = _client(w["manager"]).get(f"/suppliers/bank-changes/{change['id']}/").content.decode()
    assert 'id="also-held-by"' in page and "苏州另一家包装有限公司" in page
    assert ok(manager.get(f"/bank-account-changes/{change['id']}"))["also_held_by"] == [other.pk]

"""Bank accounts of suppliers (guanxi.suppliers.services.bank_accounts): a change is proposed by procurement
users, takes effect only when someone else approves it, notifies the supplier's owner, and both values stay in
the history; everyone else is refused on every path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, GuanxiError, NotFoundError, PermissionDeniedError
from guanxi.core.models import ApprovalRule, AuditEntry, Notification
from guanxi.core.roles import BUYER, PROCUREMENT_MANAGER, SALES_REP
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approval_common import ApprovalSetupError
from guanxi.core.services.approval_rules import approval_rule_create
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.parties.services.parties import party_update
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.selectors.bank_accounts import bank_change_get, supplier_get
from guanxi.suppliers.services.bank_accounts import (
    bank_change_propose,
    bank_change_withdraw,
    bank_rule_ensure,
)

ICBC = {
    "bank_name": "中国工商银行深圳分行",
    "account_name": "深圳华强电子有限公司",
    "account_number": "4000 0212 0910 0123 456",
    "currency": "CNY",
}


@pytest.fixture
def w(make_user, admin_user, team, other_team):
    bank_rule_ensure()
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    other_buyer = make_user("buyer2", roles=[BUYER], teams=[other_team])
    manager = make_user("pm", roles=[PROCUREMENT_MANAGER])
    manager2 = make_user("pm2", roles=[PROCUREMENT_MANAGER])
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    supplier = make_org(admin_user, "深圳华强电子有限公司", customer=False, supplier=True, owner=buyer)
    both = make_org(admin_user, "华为技术有限公司", customer=True, supplier=True, owner=rep)

    class W:
        pass

    out = W()
    out.__dict__.update(locals())
    return out


def _propose(actor, party, **data):
    return bank_change_propose(actor=actor, party=party, data={"kind": "add", "reason": "供应商来函", **data})


def _approve(actor, change):
    return approval_approve(actor=actor, request=approval_status_of(change))


def test_a_buyer_proposes_and_nothing_changes_until_the_manager_approves(
    w, django_capture_on_commit_callbacks
):
    change = _propose(w.buyer, w.supplier, **ICBC)
    assert change.state == "pending" and change.account_number == "4000021209100123456"
    assert not BankAccount.objects.filter(party=w.supplier).exists()
    assert approval_status_of(change).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        _approve(w.manager, change)
    account = BankAccount.objects.get(party=w.supplier)
    assert (account.bank_name, account.account_number, account.is_primary) == (
        "中国工商银行深圳分行",
        "4000021209100123456",
        True,
    )
    change.refresh_from_db()
    assert change.state == "applied" and change.account == account
    entry = AuditEntry.objects.filter(target_type="parties.party", target_id=str(w.supplier.pk)).latest("id")
    assert entry.changes["bank_account"][0] == ""
    assert "4000021209100123456" in entry.changes["bank_account"][1]
    assert entry.actor_id == w.manager.pk
    # The buyer who proposed it holds the supplier: not told of their own change.
    assert not Notification.objects.filter(event="supplier.bank_changed").exists()


def test_the_owner_is_told_when_someone_else_proposed_it(w, django_capture_on_commit_callbacks):
    change = _propose(w.manager, w.supplier, **ICBC)  # a manager proposes: the other one approves
    with django_capture_on_commit_callbacks(execute=True):
        _approve(w.manager2, change)
    told = Notification.objects.filter(recipient=w.buyer, event="supplier.bank_changed")
    assert told.count() == 1 and "深圳华强电子有限公司" in told.get().title


def test_the_proposer_cannot_approve_their_own_change(w):
    change = _propose(w.manager, w.supplier, **ICBC)
    with pytest.raises((PermissionDeniedError, GuanxiError, ConflictError)):
        _approve(w.manager, change)
    assert not BankAccount.objects.filter(party=w.supplier).exists()


def test_a_rule_without_an_approver_is_refused_for_bank_details(w, admin_user):
    ApprovalRule.objects.filter(document_type="suppliers.bankaccountchange").delete()
    approval_rule_create(
        actor=admin_user, document_type="suppliers.bankaccountchange", name="No approval", no_approval=True
    )
    with pytest.raises(GuanxiError, match="someone else"):
        _propose(w.buyer, w.supplier, **ICBC)
    assert not BankAccount.objects.exists() and not BankAccountChange.objects.exists()


def test_the_only_procurement_manager_cannot_pass_their_own_change(w):
    w.manager2.is_active = False
    w.manager2.save()
    with pytest.raises(ApprovalSetupError, match="nobody else"):
        _propose(w.manager, w.supplier, **ICBC)
    assert not BankAccountChange.objects.exists()


def test_no_rule_at_all_is_a_clear_refusal(w):
    ApprovalRule.objects.filter(document_type="suppliers.bankaccountchange").delete()
    with pytest.raises(ApprovalSetupError):
        _propose(w.buyer, w.supplier, **ICBC)
    assert not BankAccountChange.objects.exists()


def test_a_sales_rep_who_owns_a_supplier_cannot_touch_its_bank_details_on_any_path(w):
    with pytest.raises(PermissionDeniedError):
        _propose(w.rep, w.both, **ICBC)
    with pytest.raises(NotFoundError):
        supplier_get(actor=w.rep, pk=w.both.pk, mode="edit")
    with pytest.raises(NotFoundError):
        supplier_get(actor=w.rep, pk=w.both.pk)  # nor see the accounts
    with pytest.raises(ValidationError) as exc:  # the party form's invoicing bank fields: guarded as before
        party_update(
            actor=w.rep,
            party=w.both,
            version=w.both.version,
            data={"invoice_bank_account": "6222000011112222"},
        )
    assert "invoice_bank_account" in exc.value.message_dict


def test_a_buyer_proposes_only_for_suppliers_they_hold(w, admin_user):
    theirs = make_org(admin_user, "别人的供应商有限公司", customer=False, supplier=True, owner=w.other_buyer)
    with pytest.raises(PermissionDeniedError):
        _propose(w.buyer, theirs, **ICBC)
    assert _propose(w.other_buyer, theirs, **ICBC).state == "pending"


def test_change_and_close_keep_the_values_before(w):
    _approve(w.manager, _propose(w.buyer, w.supplier, **ICBC))
    account = BankAccount.objects.get(party=w.supplier)
    change = _propose(
        w.buyer,
        w.supplier,
        kind="change",
        account=account.pk,
        **{**ICBC, "bank_name": "招商银行深圳分行", "account_number": "7559 0000 0000 01"},
    )
    assert change.before["account_number"] == "4000021209100123456"
    account.refresh_from_db()
    assert account.bank_name == "中国工商银行深圳分行"  # not before the approval
    _approve(w.manager, change)
    account.refresh_from_db()
    assert (account.bank_name, account.account_number, account.version) == (
        "招商银行深圳分行",
        "75590000000001",
        2,
    )
    entry = AuditEntry.objects.filter(target_type="parties.party", target_id=str(w.supplier.pk)).latest("id")
    old, new = entry.changes["bank_account"]
    assert "4000021209100123456" in old and "75590000000001" in new
    close = _propose(w.buyer, w.supplier, kind="close", account=account.pk)
    _approve(w.manager, close)
    account.refresh_from_db()
    assert account.closed_at is not None and not account.is_primary
    assert [c.state for c in BankAccountChange.objects.order_by("id")] == ["applied"] * 3


def test_a_rejected_or_withdrawn_change_changes_nothing(w):
    change = _propose(w.buyer, w.supplier, **ICBC)
    approval_reject(actor=w.manager, request=approval_status_of(change), comment="号码与来函不符")
    change.refresh_from_db()
    assert change.state == "rejected" and not BankAccount.objects.exists()
    again = _propose(w.buyer, w.supplier, **ICBC)
    bank_change_withdraw(actor=w.buyer, change=again)
    again.refresh_from_db()
    assert again.state == "withdrawn" and not BankAccount.objects.exists()
    with pytest.raises(ConflictError):
        bank_change_withdraw(actor=w.buyer, change=again)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"account_number": ""}, "account_number"),
        ({"account_number": "12-34"}, "account_number"),
        ({"account_number": "DE89 3704 0044 0532 0130 01"}, "account_number"),  # a wrong IBAN check digit
        ({"swift": "ICBK"}, "swift"),
        ({"currency": "ZZZ"}, "currency"),  # no such currency in the table
        ({"bank_name": " "}, "bank_name"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_input_is_refused_on_its_field(w, data, field):
    with pytest.raises(ValidationError) as exc:
        _propose(w.buyer, w.supplier, **{**ICBC, **data})
    assert field in exc.value.message_dict
    assert not BankAccountChange.objects.exists()


def test_full_width_digits_and_a_valid_iban_and_swift_are_accepted(w):
    change = _propose(
        w.buyer, w.supplier, **{**ICBC, "account_number": "４０００ ０２１２－０９１０", "swift": "icbkcnbj"}
    )
    assert (change.account_number, change.swift) == ("400002120910", "ICBKCNBJ")
    iban = _propose(
        w.buyer, w.supplier, **{**ICBC, "account_number": "DE89 3704 0044 0532 0130 00", "currency": "EUR"}
    )
    assert iban.account_number == "DE89370400440532013000"


def test_the_same_number_twice_and_two_changes_of_one_account_are_refused(w):
    _propose(w.buyer, w.supplier, **ICBC)
    with pytest.raises(ValidationError) as exc:  # the same number waits already (typed in full width)
        _propose(
            w.buyer, w.supplier, **{**ICBC, "account_number": "４０００ ０２１２ ０９１０ ０１２３ ４５６"}
        )
    assert "account_number" in exc.value.message_dict
    first = BankAccountChange.objects.get()
    _approve(w.manager, first)
    account = BankAccount.objects.get()
    _propose(w.buyer, w.supplier, kind="close", account=account.pk)
    with pytest.raises(ValidationError) as exc:
        _propose(w.buyer, w.supplier, kind="change", account=account.pk, **{**ICBC, "bank_name": "招商银行"})
    assert "account" in exc.value.message_dict


def test_a_customer_only_party_has_no_bank_accounts_here(w, admin_user):
    customer = make_org(admin_user, "只是客户有限公司", owner=w.rep)
    with pytest.raises(ValidationError):
        _propose(w.manager, customer, **ICBC)


def test_a_change_is_seen_only_by_who_reaches_the_supplier(w):
    change = _propose(w.buyer, w.supplier, **ICBC)
    assert bank_change_get(actor=w.manager, pk=change.pk) == change
    assert bank_change_get(actor=w.other_buyer, pk=change.pk) == change  # buyers see every supplier
    with pytest.raises(NotFoundError):
        bank_change_get(actor=w.rep, pk=change.pk)

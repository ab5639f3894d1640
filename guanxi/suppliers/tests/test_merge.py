"""Merging two parties never widens a supplier without approval (guanxi.parties.services.merge and the
suppliers' merge hook, guanxi.suppliers.services.merge): the kept party takes the more restrictive supplier
status, and the bank accounts that come with the merged party arrive closed, to be proposed and approved again."""

from __future__ import annotations

import pytest
from django.test import Client

from guanxi.core.audit_display import entry_title
from guanxi.core.models import AuditEntry
from guanxi.core.roles import BUYER, PROCUREMENT_MANAGER
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.core.tests.factories import PASSWORD
from guanxi.parties.models import Party
from guanxi.parties.services.merge import party_merge, party_merge_undo
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import BankAccount
from guanxi.suppliers.services.bank_accounts import bank_change_propose, bank_rule_ensure


@pytest.fixture
def w(make_user, admin_user, team):
    bank_rule_ensure()
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    manager = make_user("pm", roles=[PROCUREMENT_MANAGER])

    class W:
        pass

    out = W()
    out.__dict__.update(locals())
    return out


def _status(party) -> tuple[bool, str]:
    party = Party.objects.get(pk=party.pk)
    return party.is_supplier, party.supplier_status


@pytest.mark.parametrize(
    ("kept_status", "merged_status", "after"),
    [
        ("qualified", "approved", "qualified"),  # the lower lifecycle stage, whichever record is kept
        ("approved", "qualified", "qualified"),
        ("preferred", "approved", "approved"),
        ("approved", "blocked", "blocked"),  # blocked, phased out, on hold beat every stage
        ("blocked", "preferred", "blocked"),
        ("on_hold", "phased_out", "phased_out"),
        ("candidate", "on_hold", "on_hold"),
        (None, "approved", "candidate"),  # a party that was no supplier starts where every supplier starts
        (None, "on_hold", "on_hold"),
        ("approved", None, "approved"),  # the merged one is no supplier: the kept one's status stays
    ],
)
def test_a_merge_takes_the_more_restrictive_supplier_status(w, kept_status, merged_status, after):
    def party(name, status):
        if status is None:
            return make_org(w.admin_user, name, customer=True)
        return make_org(w.admin_user, name, customer=False, supplier=True, supplier_status=status)

    kept, merged = (
        party("华东精密五金有限公司", kept_status),
        party("华东精密五金股份有限公司", merged_status),
    )
    record = party_merge(actor=w.admin_user, kept=kept, merged=merged)
    assert _status(kept) == (True, after)
    party_merge_undo(actor=w.admin_user, record=record)
    assert _status(kept) == (kept_status is not None, kept_status or "")  # the undo gives back what it was


def _approved_account(w, party, number: str, **extra) -> BankAccount:
    data = {
        "kind": "add",
        "bank_name": "中国银行苏州分行",
        "account_name": party.name,
        "account_number": number,
        "currency": "CNY",
        "reason": "开户许可证已核对",
        **extra,
    }
    change = bank_change_propose(actor=w.buyer, party=party, data=data)
    approval_approve(actor=w.manager, request=approval_status_of(change))
    return BankAccount.objects.get(party=party, account_number=number, closed_at=None)


def _open(party) -> set[str]:
    return set(
        BankAccount.objects.filter(party=party, closed_at=None).values_list("account_number", flat=True)
    )


def test_bank_accounts_that_come_with_the_merged_supplier_arrive_closed(w):
    kept = make_org(w.admin_user, "苏州精密五金有限公司", customer=False, supplier=True, owner=w.buyer)
    merged = make_org(w.admin_user, "苏州精密五金股份有限公司", customer=False, supplier=True, owner=w.buyer)
    admin = Client()
    admin.force_login(w.admin_user)
    page = admin.get(f"/parties/merge/?a={kept.pk}&b={merged.pk}").content.decode()
    assert 'id="merge-supplier-note"' in page and "arrive closed" in page  # said before the merge
    own = _approved_account(w, kept, "622202000001")
    _approved_account(w, merged, "622202000002")  # the merged one's primary account
    second = _approved_account(w, merged, "622202000003")
    party_merge(actor=w.admin_user, kept=kept, merged=merged)
    assert _open(kept) == {own.account_number}  # nothing that came with the merge is payable
    second.refresh_from_db()
    assert second.party_id == kept.pk and second.closed_at is not None and not second.is_primary
    # The merged one's primary account could not move (the kept one has a primary account): it stays with the
    # merged party, which is archived and merged, so no one pays it either.
    assert _open(merged) == {"622202000002"} and Party.objects.get(pk=merged.pk).merged_into_id == kept.pk
    (entry,) = AuditEntry.objects.filter(target_type="suppliers.bankaccount", action="merge")
    assert (entry.subject_type, entry.subject_id) == ("parties.party", str(kept.pk))
    assert (
        entry.changes["bank_account"][0].endswith("622202000003 · CNY")
        and entry.changes["bank_account"][1] == ""
    )
    assert entry_title(entry).title.startswith("Bank account closed by a merge")
    client = Client()
    assert client.login(username="buyer", password=PASSWORD)
    page = client.get(f"/parties/{kept.pk}/?tab=bank_accounts").content.decode()
    accounts = page.split('class="bank-changes')[0]  # the accounts, not the proposals (moved with the merge)
    assert "622202000001" in accounts and "622202000003" not in accounts
    history = client.get(f"/parties/{kept.pk}/?tab=history").content.decode()
    assert "Bank account closed by a merge" in history and "622202000003" in history
    # To pay into it again: a proposal, approved by someone else, like any new account.
    again = _approved_account(w, kept, "622202000003")
    assert again.pk != second.pk and _open(kept) == {"622202000001", "622202000003"}


def test_undo_reopens_the_accounts_the_merge_closed(w):
    kept = make_org(w.admin_user, "无锡包装材料有限公司", customer=True)  # a customer, not yet a supplier
    merged = make_org(
        w.admin_user,
        "无锡包装材料有限公司",
        customer=False,
        supplier=True,
        supplier_status="approved",
        owner=w.buyer,
    )
    primary = _approved_account(w, merged, "622202000011")
    other = _approved_account(w, merged, "622202000012")
    record = party_merge(actor=w.admin_user, kept=kept, merged=merged)
    assert _status(kept) == (True, "candidate") and _open(kept) == set()
    assert set(BankAccount.objects.filter(party=kept).values_list("pk", flat=True)) == {primary.pk, other.pk}
    party_merge_undo(actor=w.admin_user, record=record)
    assert _open(kept) == set() and _open(merged) == {"622202000011", "622202000012"}
    primary.refresh_from_db()
    assert primary.is_primary and primary.party_id == merged.pk
    assert AuditEntry.objects.filter(target_type="suppliers.bankaccount", action="unmerge").count() == 2

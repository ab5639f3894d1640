"""Demo bank accounts: two of Emily Chen's suppliers have an account she proposed and 刘洋 approved, and a third
has a new account waiting for 刘洋's approval (his inbox shows it). Loaded once, through the services."""

from __future__ import annotations

from guanxi.core.models import User
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.parties.models import Party
from guanxi.suppliers.models import BankAccountChange
from guanxi.suppliers.services.bank_accounts import bank_change_propose, bank_rule_ensure

BANKS = [
    ("中国工商银行深圳华强支行", "4000 0212 0910 0123 456"),
    ("招商银行上海张江支行", "1219 0957 8910 801"),
    ("中国银行苏州工业园区支行", "5378 5920 1234"),
]


def load_demo_bank_accounts() -> int:
    """Returns how many changes were proposed (0: already there, or no demo buyer and manager)."""
    if BankAccountChange.objects.exists():
        return 0
    buyer = User.objects.filter(username="emily.chen").first()
    manager = User.objects.filter(username="liu.yang").first()
    if buyer is None or manager is None:
        return 0
    bank_rule_ensure()
    suppliers = list(Party.objects.filter(is_supplier=True, owner=buyer, archived_at=None).order_by("id")[:3])
    for i, (party, (bank, number)) in enumerate(zip(suppliers, BANKS, strict=False)):
        change = bank_change_propose(
            actor=buyer,
            party=party,
            data={
                "kind": "add",
                "bank_name": bank,
                "account_name": party.name,
                "account_number": number,
                "currency": "CNY",
                "reason": "供应商盖章开户证明已核对，并电话回访确认 / Stamped bank letter checked, confirmed by a call back",
            },
        )
        if i < 2:  # the third one waits in 刘洋's inbox
            request = approval_status_of(change)
            if request is not None and request.status == "pending":
                approval_approve(actor=manager, request=request)
    return len(suppliers)

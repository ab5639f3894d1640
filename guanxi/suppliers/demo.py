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


def load_demo_documents() -> int:
    """Qualification documents of Emily Chen's approved suppliers: a business licence (长期) and a tax
    registration each, ISO 9001 certificates — one expiring in three weeks (the Documents card warns) — and
    one supplier without an ISO certificate (missing). Returns how many were entered (0: already there)."""
    import datetime as dt

    from django.utils import timezone

    from guanxi.suppliers.models import SupplierDocument
    from guanxi.suppliers.services.documents import document_add

    if SupplierDocument.objects.exists():
        return 0
    buyer = User.objects.filter(username="emily.chen").first()
    if buyer is None:
        return 0
    today = timezone.localdate()
    parties = Party.objects.filter(
        is_supplier=True, owner=buyer, archived_at=None, supplier_status__in=["approved", "preferred"]
    ).order_by("id")[:3]
    made = 0
    for i, party in enumerate(parties):
        rows = [
            {"kind": "business_licence", "number": f"9144030071526{i:04d}X", "issued_on": "2015-03-18"},
            {"kind": "tax_registration", "number": f"44030071526{i:04d}", "issued_on": "2015-04-02"},
        ]
        if i < 2:
            expires = today + dt.timedelta(days=21 if i == 0 else 400)
            rows.append(
                {
                    "kind": "iso_9001",
                    "number": f"CN-QMS-2023-{i + 1:03d}",
                    "issued_on": (expires - dt.timedelta(days=3 * 365)).isoformat(),
                    "expires_on": expires.isoformat(),
                }
            )
        for data in rows:
            document_add(actor=buyer, party=party, data=data)
            made += 1
    return made

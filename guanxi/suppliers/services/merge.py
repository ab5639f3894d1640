"""What a merge of two parties means for the bank accounts we pay suppliers into.

The merge moves every row that points at the merged party to the kept one, bank accounts included
(guanxi.parties.services.merge_moves). An account that was approved for the merged record was never approved
for the kept one, and a merge is no approval: so every open account that arrives with the merged party is
**closed** on arrival, in the merge's transaction, with an entry in the kept party's history ("Bank account
closed by a merge"). To pay into it again, someone proposes it as a new account and someone else approves it
(guanxi.suppliers.services.bank_accounts) — the same path as any new account. The kept party's own accounts
stay as they are.

Undoing the merge moves the accounts back to the merged party and reopens those the merge closed (the primary
one primary again, unless the party has another primary account by then): the merged party is back as it was,
with the accounts approved for it. Registered with guanxi.parties.merge_hooks by guanxi.suppliers.registry.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.suppliers.models import BankAccount
from guanxi.suppliers.services.bank_accounts import account_text, details_of

LABEL = "suppliers.bankaccount"


def bank_accounts_after_merge(kept, merged, moved: dict, *, actor=None) -> dict:
    """Close the open accounts that came with `merged`; returns what the undo reopens."""
    pks = moved.get(LABEL, {}).get("party_id", [])
    accounts = list(
        BankAccount.objects.select_for_update()
        .filter(pk__in=pks, party_id=kept.pk, closed_at=None)
        .order_by("pk")
    )
    if not accounts:
        return {}
    BankAccount.objects.filter(pk__in=[a.pk for a in accounts]).update(
        closed_at=timezone.now(), is_primary=False, version=F("version") + 1
    )
    for account in accounts:
        audit_record(
            actor=actor,
            action=AuditAction.MERGE,
            target=account,
            subject=kept,
            changes={"bank_account": [account_text(details_of(account)), ""]},
            also=[merged],
        )
    return {"closed": [a.pk for a in accounts], "primary": [a.pk for a in accounts if a.is_primary]}


def bank_accounts_after_undo(kept, merged, data: dict, *, actor=None) -> None:
    """Reopen the accounts the merge closed that are back with `merged` and still closed."""
    accounts = BankAccount.objects.select_for_update().filter(
        pk__in=data.get("closed", []), party_id=merged.pk, closed_at__isnull=False
    )
    primary = set(data.get("primary", []))
    for account in accounts.order_by("pk"):
        account.closed_at = None
        account.is_primary = account.pk in primary and not _has_primary(merged)
        account.version += 1
        try:
            with transaction.atomic():
                account.save(update_fields=["closed_at", "is_primary", "version"])
        except IntegrityError:  # the party has this number open again meanwhile: the closed copy stays closed
            continue
        audit_record(
            actor=actor,
            action=AuditAction.UNMERGE,
            target=account,
            subject=merged,
            changes={"bank_account": ["", account_text(details_of(account))]},
            also=[kept],
        )


def _has_primary(party) -> bool:
    return BankAccount.objects.filter(party_id=party.pk, closed_at=None, is_primary=True).exists()

"""What a list of the suppliers app's approvable changes (bank account changes, lifecycle steps) shows beside
each change, read for the whole list at once: each change's approval request, and for bank account changes the
other suppliers that hold the proposed account number. A constant number of queries however long the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db import models

from guanxi.core.models import ApprovalRequest
from guanxi.core.selectors.approval_status import approval_statuses_of
from guanxi.parties.models import Party
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.models.bank import ChangeKind

C = TypeVar("C", bound=models.Model)
MAX_HOLDERS = 20  # shown per change


def with_approvals(changes: Sequence[C]) -> Sequence[C]:
    """Each change with `approval`: its latest approval request (None: never submitted). One query."""
    latest = approval_statuses_of(changes)
    for change in changes:
        change.approval = latest.get(change.pk)  # type: ignore[attr-defined]  # read by the lists
    return changes


def approval_of(change: models.Model) -> ApprovalRequest | None:
    """The change's latest approval request: as read for its list, or read now for a change on its own."""
    if not hasattr(change, "approval"):
        with_approvals([change])
    return change.approval  # type: ignore[attr-defined]  # set by with_approvals


def with_other_holders(changes: Sequence[BankAccountChange]) -> Sequence[BankAccountChange]:
    """Each change with `other_holders`: the other suppliers with an open account of the proposed number (by
    name, at most MAX_HOLDERS). One account paying two "different" suppliers is a classic fraud signal (or a
    duplicate supplier), which the approver should see. One query."""
    numbers = {c.account_number for c in changes if c.account_number and c.kind != ChangeKind.CLOSE}
    accounts = (
        BankAccount.objects.filter(account_number__in=numbers, closed_at=None)
        .select_related("party")
        .only("account_number", "party__id", "party__name")
        .order_by("party__name", "party_id")
        if numbers
        else []
    )
    by_number: dict[str, list[Party]] = {}
    for account in accounts:
        by_number.setdefault(account.account_number, []).append(account.party)
    for change in changes:
        holders = [] if change.kind == ChangeKind.CLOSE else by_number.get(change.account_number, [])
        others = [p for p in holders if p.pk != change.party_id][:MAX_HOLDERS]
        change.other_holders = others  # type: ignore[attr-defined]  # read by the page and the API
    return changes

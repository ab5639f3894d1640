"""Reads of suppliers' bank accounts and the changes proposed to them. Reach: the "suppliers" area of the
user's roles (owner, team or all suppliers) and the action supplier.bank_view; a party that is only a customer
has no bank accounts here (its invoicing details are on the party)."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.core.exceptions import NotFoundError
from guanxi.parties.models import Party
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.models.changes import ChangeState
from guanxi.suppliers.permissions import Action
from guanxi.suppliers.selectors.changes import with_approvals, with_other_holders
from guanxi.suppliers.selectors.suppliers import supplier_in_scope, supplier_scope


def suppliers_reached(*, actor, mode: str = "view", action: str | None = None) -> QuerySet[Party]:
    """The suppliers whose bank accounts the user may see (mode "view") or propose changes to ("edit")."""
    return supplier_scope(
        actor=actor, mode=mode, action=action or (Action.BANK_VIEW if mode == "view" else Action.BANK_PROPOSE)
    )


def may_see_bank(actor, party: Party) -> bool:
    return party.is_supplier and suppliers_reached(actor=actor).filter(pk=party.pk).exists()


def may_propose_bank(actor, party: Party) -> bool:
    return (
        party.is_supplier
        and party.archived_at is None
        and suppliers_reached(actor=actor, mode="edit").filter(pk=party.pk).exists()
    )


def supplier_get(*, actor, pk, mode: str = "view") -> Party:
    """A supplier whose bank accounts the user may see (or propose changes to); NotFoundError otherwise."""
    action = Action.BANK_VIEW if mode == "view" else Action.BANK_PROPOSE
    return supplier_in_scope(actor=actor, pk=pk, mode=mode, action=action)


def bank_accounts(*, party: Party, include_closed: bool = False) -> QuerySet[BankAccount]:
    qs = BankAccount.objects.filter(party=party).select_related("currency")
    return qs if include_closed else qs.filter(closed_at=None)


def bank_changes(*, party: Party) -> QuerySet[BankAccountChange]:
    return BankAccountChange.objects.filter(party=party).select_related("proposed_by", "currency", "account")


def pending_changes(*, party: Party) -> QuerySet[BankAccountChange]:
    return bank_changes(party=party).filter(state=ChangeState.PENDING)


def bank_change_get(*, actor, pk) -> BankAccountChange:
    """A change of a supplier the user may see; NotFoundError otherwise (existence does not leak)."""
    try:
        change = (
            BankAccountChange.objects.select_related("party", "account", "currency", "proposed_by")
            .filter(pk=int(pk), party__in=suppliers_reached(actor=actor).values("pk"))
            .first()
        )
    except (TypeError, ValueError):
        change = None
    if change is None:
        raise NotFoundError()
    return change


def bank_changes_listed(*, party: Party, limit: int) -> list[BankAccountChange]:
    """The supplier's changes, newest first, each with its approval request and the other suppliers that hold
    its account number (`approval`, `other_holders`): the same few queries for 1 change or `limit`."""
    return list(with_other_holders(with_approvals(list(bank_changes(party=party)[:limit]))))


def also_held_by(change: BankAccountChange) -> list[Party]:
    """Other suppliers with an open account of the proposed number (guanxi.suppliers.selectors.changes)."""
    if not hasattr(change, "other_holders"):  # one change (its page, a proposal): read for it alone
        with_other_holders([change])
    return change.other_holders  # type: ignore[attr-defined]  # set by with_other_holders

"""Reads of the supplier lifecycle: a supplier's steps, and one step as far as the user reaches the supplier."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.core.exceptions import NotFoundError
from guanxi.parties.models import Party
from guanxi.suppliers.models import SupplierStatusChange
from guanxi.suppliers.selectors.changes import with_approvals
from guanxi.suppliers.selectors.suppliers import supplier_scope


def status_changes(*, party: Party) -> QuerySet[SupplierStatusChange]:
    return SupplierStatusChange.objects.filter(party=party).select_related("proposed_by")


def status_changes_listed(*, party: Party, limit: int) -> list[SupplierStatusChange]:
    """The supplier's steps, newest first, each with its approval request (`approval`): the same few queries for
    1 step or `limit`."""
    return list(with_approvals(list(status_changes(party=party)[:limit])))


def status_change_get(*, actor, pk) -> SupplierStatusChange:
    """A step of a supplier the user reaches; NotFoundError otherwise (existence does not leak)."""
    try:
        change = (
            SupplierStatusChange.objects.select_related("party", "proposed_by")
            .filter(pk=int(pk), party__in=supplier_scope(actor=actor).values("pk"))
            .first()
        )
    except (TypeError, ValueError):
        change = None
    if change is None:
        raise NotFoundError()
    return change

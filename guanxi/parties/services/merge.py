"""Merge two duplicate parties, undo a merge within 30 days, and say that two parties are not duplicates.

A merge is one transaction: every row that points at the merged party moves to the kept one
(guanxi.parties.services.merge_moves), the kept party's empty fields are filled from the merged one, roles
are combined, and the merged party is archived with a pointer to the kept one. If anything fails, nothing
has changed. The merge record lists what moved, so that undoing it moves exactly those rows back.

A merge never widens a supplier: the kept party's supplier status becomes the more restrictive of the two
(`supplier_status_after_merge`), since approving, preferring and unblocking need someone's approval in the
supplier lifecycle; and the bank accounts that come with the merged party arrive closed (the suppliers app's
merge hook), to be proposed again and approved before anyone pays into them.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record
from guanxi.parties.choices import CustomerStatus, SupplierStatus
from guanxi.parties.fields import CHOICE, MULTILINE, PARTY_FIELDS, TEXT
from guanxi.parties.merge_hooks import merge_hooks
from guanxi.parties.models import DuplicateDismissal, Party, PartyMerge
from guanxi.parties.permissions import Action
from guanxi.parties.selectors.visibility import can_edit_roles
from guanxi.parties.services.common import require_change
from guanxi.parties.services.extras import refresh_search
from guanxi.parties.services.merge_moves import move_all, move_back

# Filled on the kept party when it has none: what describes the company, never its names or statuses.
_NOT_FILLED = {"name", "short_name", "legal_name", "customer_status", "supplier_status", "preferred_language"}
FILLED = tuple(
    f.name for f in PARTY_FIELDS if f.kind in (TEXT, CHOICE, MULTILINE) and f.name not in _NOT_FILLED
)
LOCATION = ("country", "province", "city", "province_code", "city_code")
# Combining two customer statuses: the more engaged one wins (an active customer stays active).
_CUSTOMER_RANK = [
    CustomerStatus.LOST,
    CustomerStatus.PROSPECT,
    CustomerStatus.INACTIVE,
    CustomerStatus.ACTIVE,
]
# Two supplier statuses: the more restrictive one, most restrictive first. A merge never widens what a supplier
# may receive: widening (approve, prefer, unblock) needs approval in the lifecycle (guanxi.suppliers).
_SUPPLIER_RESTRICTIVE = [
    SupplierStatus.BLOCKED,
    SupplierStatus.PHASED_OUT,
    SupplierStatus.ON_HOLD,
    SupplierStatus.CANDIDATE,
    SupplierStatus.QUALIFIED,
    SupplierStatus.APPROVED,
    SupplierStatus.PREFERRED,
]


def may_merge(actor) -> bool:
    return grants_for(actor).can(Action.PARTY_MERGE)


def _require_merge(actor, *parties: Party) -> None:
    if not may_merge(actor):
        raise PermissionDeniedError()
    for party in parties:
        require_change(actor, party)
    if any(p.is_supplier for p in parties) and not can_edit_roles(actor, is_customer=False, is_supplier=True):
        # A merge can move a supplier's bank details: only those who may edit suppliers merge suppliers.
        raise PermissionDeniedError(
            _("One of them is a supplier: only users who may edit suppliers merge it.")
        )


def _lock_two(first: Party, second: Party, versions: dict[int, int | None]) -> tuple[Party, Party]:
    """Both rows, locked in id order (two merges of the same pair never deadlock), at the versions seen."""
    rows = {
        p.pk: p for p in Party.objects.select_for_update().filter(pk__in=[first.pk, second.pk]).order_by("pk")
    }
    if len(rows) != 2:
        raise ConflictError(_("One of the two parties no longer exists."))
    for pk, seen in versions.items():
        if seen is not None and rows[pk].version != int(seen):
            raise ConflictError()
    return rows[first.pk], rows[second.pk]


def _combine(kept: Party, merged: Party) -> dict:
    """Fill the kept party from the merged one; returns {field: [before, after]} for what changed."""
    filled: dict = {}

    def put(name: str, value) -> None:
        before = getattr(kept, name)
        if before != value:
            filled[name] = [before, value]
            setattr(kept, name, value)

    for name in FILLED:
        if not getattr(kept, name) and getattr(merged, name):
            put(name, getattr(merged, name))
    if not kept.country and merged.country:
        for name in LOCATION:
            put(name, getattr(merged, name))
    if kept.owner_id is None and merged.owner_id is not None:
        put("owner_id", merged.owner_id)
        put("team_id", merged.team_id)
    if merged.is_customer:
        status = merged.customer_status
        if kept.is_customer and kept.customer_status:
            status = max(kept.customer_status, status, key=_rank(_CUSTOMER_RANK))
        put("is_customer", True)
        put("customer_status", status)
    if merged.is_supplier:
        put("is_supplier", True)
        put("supplier_status", supplier_status_after_merge(kept, merged))
    return filled


def supplier_status_after_merge(kept: Party, merged: Party) -> str:
    """The kept party's supplier status once `merged`, a supplier, is folded in: the more restrictive of the
    two (blocked, phased out, on hold, candidate, qualified, approved, preferred — most restrictive first), a
    kept party that was no supplier counting as a candidate (where every new supplier starts). So a merge never
    widens what either record could receive: an approved record merged into a qualified one, or into a party
    that was only a customer, leaves a qualified supplier or a candidate, to be approved through the lifecycle;
    a block, phase-out or hold on either record stands."""
    own = kept.supplier_status if kept.is_supplier and kept.supplier_status else SupplierStatus.CANDIDATE
    theirs = merged.supplier_status or SupplierStatus.CANDIDATE
    return min(own, theirs, key=_rank(_SUPPLIER_RESTRICTIVE))


def _rank(order: list):
    return lambda status: order.index(status) if status in order else -1


@transaction.atomic
def party_merge(
    *, actor, kept: Party, merged: Party, kept_version: int | None = None, merged_version: int | None = None
) -> PartyMerge:
    """Fold `merged` into `kept`. Both must be of the same kind, neither merged already, and the actor must
    may merge and change both."""
    if kept.pk == merged.pk:
        raise ValidationError({"merged": _("Choose two different parties.")})
    _require_merge(actor, kept, merged)
    kept, merged = _lock_two(kept, merged, {kept.pk: kept_version, merged.pk: merged_version})
    if kept.kind != merged.kind:
        raise ValidationError(
            {"merged": _("An organization can only be merged with an organization, a person with a person.")}
        )
    for party in (kept, merged):
        if party.merged_into_id is not None:
            raise ValidationError({"merged": _("“%(name)s” was merged already.") % {"name": party.name}})
    if kept.archived_at is not None:
        raise ValidationError({"kept": _("Restore “%(name)s” before keeping it.") % {"name": kept.name}})

    moved, left = move_all(merged, kept)
    filled = _combine(kept, merged)
    now = timezone.now()
    kept.version += 1
    kept.save()
    refresh_search(kept)
    hooks = {hook.key: hook.after_merge(kept, merged, moved, actor=actor) for hook in merge_hooks()}
    moved["_hooks"] = {key: data for key, data in hooks.items() if data}
    record = PartyMerge.objects.create(
        kept=kept,
        merged=merged,
        merged_by=actor,
        moved=moved,
        left=left,
        filled={k: [_json(v) for v in pair] for k, pair in filled.items()},
        merged_archived_at=merged.archived_at,
    )
    Party.objects.filter(pk=merged.pk).update(
        archived_at=merged.archived_at or now, merged_into=kept, version=merged.version + 1, updated_at=now
    )
    refresh_search(merged)
    moved_count = moved_rows(moved)
    audit_record(
        actor=actor,
        action=AuditAction.MERGE,
        target=kept,
        changes={
            "merged_from": [None, f"{merged.name} (#{merged.pk})"],
            "records_moved": [None, moved_count],
            **filled_for_audit(filled),
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.MERGE,
        target=merged,
        changes={"merged_into": [None, f"{kept.name} (#{kept.pk})"]},
    )
    return record


def moved_rows(moved: dict) -> int:
    """How many rows a merge moved (its record's `moved`, without the entries that are not rows)."""
    return sum(
        len(pks) for label, columns in moved.items() if not label.startswith("_") for pks in columns.values()
    )


def filled_for_audit(filled: dict) -> dict:
    return {name.removesuffix("_id"): [_json(a), _json(b)] for name, (a, b) in filled.items()}


def _json(value):
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


def undo_deadline(record: PartyMerge):
    return record.merged_at + timedelta(days=PartyMerge.UNDO_DAYS)


def can_undo(record: PartyMerge) -> bool:
    return record.undone_at is None and timezone.now() <= undo_deadline(record)


@transaction.atomic
def party_merge_undo(*, actor, record: PartyMerge) -> PartyMerge:
    """Move back what the merge moved, restore the kept party's filled fields (those not changed since) and
    bring the merged party back as it was. Only within PartyMerge.UNDO_DAYS, once."""
    record = PartyMerge.objects.select_for_update().get(pk=record.pk)
    kept, merged = _lock_two(record.kept, record.merged, {})
    _require_merge(actor, kept, merged)
    if record.undone_at is not None:
        raise ConflictError(_("This merge was undone already."))
    if not can_undo(record):
        raise ValidationError(
            {"merge": _("A merge can be undone within %(days)d days only.") % {"days": PartyMerge.UNDO_DAYS}}
        )
    if merged.merged_into_id != kept.pk:
        raise ConflictError(
            _("“%(name)s” has changed since the merge: it cannot be undone.") % {"name": merged.name}
        )
    count = move_back(record.moved, merged, kept)
    restored = {}
    for name, (before, after) in record.filled.items():
        if _json(getattr(kept, name)) == after:  # changed since the merge: that later change stands
            setattr(kept, name, before)
            restored[name] = [after, before]
    if not kept.is_customer:
        kept.customer_status = ""
    if not kept.is_supplier:
        kept.supplier_status = ""
    kept.version += 1
    kept.save()
    refresh_search(kept)
    for hook in merge_hooks():
        hook.after_undo(kept, merged, record.moved.get("_hooks", {}).get(hook.key, {}), actor=actor)
    now = timezone.now()
    Party.objects.filter(pk=merged.pk).update(
        archived_at=record.merged_archived_at, merged_into=None, version=merged.version + 1, updated_at=now
    )
    refresh_search(merged)
    record.undone_at, record.undone_by = now, actor
    record.save(update_fields=["undone_at", "undone_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UNMERGE,
        target=kept,
        changes={
            "merged_from": [f"{merged.name} (#{merged.pk})", None],
            "records_moved_back": [None, count],
            **filled_for_audit(restored),
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.UNMERGE,
        target=merged,
        changes={"merged_into": [f"{kept.name} (#{kept.pk})", None]},
    )
    return record


@transaction.atomic
def duplicate_dismiss(*, actor, first: Party, second: Party) -> DuplicateDismissal:
    """Say that two parties are not the same: the duplicates list stops suggesting them. Idempotent."""
    if first.pk == second.pk:
        raise ValidationError({"second": _("Choose two different parties.")})
    _require_merge(actor, first, second)
    low, high = sorted([first.pk, second.pk])
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        first_id=low, second_id=high, defaults={"dismissed_by": actor}
    )
    return dismissal

"""What a merge of two parties means for the pools (公海): a customer with an owner is never in a pool.

- The merged customer was in a pool and the kept one is held: its pool entry stays with the merged party (it
  is archived and merged, so no pool lists or hands it out); the undo finds it there.
- The kept customer was in a pool and the merge gave it the merged one's owner: it leaves the pool; the undo
  (which takes that owner back) puts it in again, as it was.
Registered with guanxi.parties.merge_hooks by guanxi.crm.registry."""

from __future__ import annotations

from guanxi.crm.models import PoolEntry

LABEL = "crm.poolentry"


def after_merge(kept, merged, moved: dict, *, actor=None) -> dict:
    if kept.owner_id is None:
        return {}
    entry = PoolEntry.objects.filter(party_id=kept.pk).first()
    if entry is None:
        return {}
    came = moved.get(LABEL, {}).get("party_id", [])
    if entry.pk in came:  # the merged one's: it stays with the merged party
        PoolEntry.objects.filter(pk=entry.pk).update(party_id=merged.pk)
        came.remove(entry.pk)
        if not came:
            moved.pop(LABEL, None)
        return {}
    entry.delete()  # the kept one's own: it is held now
    return {
        "pool_id": entry.pool_id,
        "reason": entry.reason,
        "previous_owner_id": entry.previous_owner_id,
        "entered_at": entry.entered_at.isoformat(),
    }


def after_undo(kept, merged, data: dict, *, actor=None) -> None:
    if not data or kept.owner_id is not None or PoolEntry.objects.filter(party_id=kept.pk).exists():
        return
    entry = PoolEntry.objects.create(
        party_id=kept.pk,
        pool_id=data["pool_id"],
        reason=data["reason"],
        previous_owner_id=data["previous_owner_id"],
    )
    PoolEntry.objects.filter(pk=entry.pk).update(
        entered_at=data["entered_at"]
    )  # its time in the pool goes on

"""What another app does when two parties are merged or a merge is undone, beyond moving rows (guanxi.parties.
services.merge). The sales app keeps a customer that has an owner out of the pool (公海); the suppliers app closes
the bank accounts that came with the merged party (guanxi.suppliers.services.merge).

`after_merge(kept, merged, moved, actor=...)` runs in the merge's transaction once the rows have moved and the
kept party's fields are filled; it may change `moved` (the rows the undo will move back) and returns what its
undo needs (JSON), kept in the merge record. `after_undo(kept, merged, data, actor=...)` runs once the undo has
moved the rows back and restored the fields. `actor` is who merges (or undoes), for the hook's audit entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MergeHook:
    key: str
    after_merge: Callable[..., dict]  # (kept, merged, moved, *, actor)
    after_undo: Callable[..., None]  # (kept, merged, data, *, actor)


_HOOKS: dict[str, MergeHook] = {}


def register_merge_hook(
    key: str, *, after_merge: Callable[..., dict], after_undo: Callable[..., None]
) -> None:
    _HOOKS[key] = MergeHook(key, after_merge, after_undo)


def merge_hooks() -> list[MergeHook]:
    return list(_HOOKS.values())

"""What another app does when two parties are merged or a merge is undone, beyond moving rows (guanxi.parties.
services.merge). The sales app, for one, keeps a customer that has an owner out of the pool (公海).

`after_merge(kept, merged, moved)` runs in the merge's transaction once the rows have moved and the kept
party's fields are filled; it may change `moved` (the rows the undo will move back) and returns what its undo
needs (JSON), kept in the merge record. `after_undo(kept, merged, data)` runs once the undo has moved the rows
back and restored the fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MergeHook:
    key: str
    after_merge: Callable[[Any, Any, dict], dict]
    after_undo: Callable[[Any, Any, dict], None]


_HOOKS: dict[str, MergeHook] = {}


def register_merge_hook(
    key: str, *, after_merge: Callable[[Any, Any, dict], dict], after_undo: Callable[[Any, Any, dict], None]
) -> None:
    _HOOKS[key] = MergeHook(key, after_merge, after_undo)


def merge_hooks() -> list[MergeHook]:
    return list(_HOOKS.values())

"""Lists whose set-up can be saved as a named view (guanxi.core.models.SavedView): an app registers each list
that keeps its filters, sort and columns in the query string, and puts `{% saved_views "key" %}` on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Never part of a view: where the user was in the list, and what htmx adds to a request.
NOT_SAVED = frozenset({"cursor", "page", "partial", "_"})


@dataclass(frozen=True)
class SavableList:
    key: str  # "crm.opportunities"
    label: StrOrPromise


_LISTS: dict[str, SavableList] = {}


def register_savable_list(key: str, label: StrOrPromise) -> None:
    _LISTS[key] = SavableList(key, label)


def savable_list(key: str) -> SavableList | None:
    return _LISTS.get(key)


def savable_lists() -> list[SavableList]:
    return list(_LISTS.values())

"""Building blocks that serve every document type with a feature (guanxi.core.registry.DocumentType.features):
`on_document_type("attachments", key, hook)` calls `hook(doc)` for each such type, those registered already
and those registered later. Core's ready() runs before the apps' ones, so a block cannot simply loop over
the types at start-up: the attachments block adds its tab to a record page this way.

Kept apart from registry.py (which re-exports `on_document_type`) so that the registry stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guanxi.core.registry import DocumentType

_HOOKS: dict[tuple[str, str], Callable[[DocumentType], None]] = {}


def on_document_type(feature: str, key: str, hook: Callable[[DocumentType], None]) -> None:
    """Call `hook(doc)` for every document type whose features include `feature`, now and whenever one
    registers. Registering the same (feature, key) again replaces the hook (start-up stays idempotent)."""
    from guanxi.core.registry import document_types

    _HOOKS[(feature, key)] = hook
    for doc in document_types(feature):
        hook(doc)


def document_type_registered(doc: DocumentType) -> None:
    """Called by registry.register_document_type: the hooks of the features `doc` has."""
    for (feature, _key), hook in list(_HOOKS.items()):
        if feature in doc.features:
            hook(doc)

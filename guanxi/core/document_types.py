"""Document types (re-exported by guanxi.core.registry, where apps register them): what numbering, approvals,
attachments, activities and printing need to know about a kind of record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from guanxi.core.registry_hooks import document_type_registered

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class DocumentType:
    """A kind of record that the building blocks serve (numbering, approvals, attachments, activities,
    printing). The callables keep each block from knowing the app: a block asks them, e.g. an
    attachment is downloaded only when `may_view(user, obj)`."""

    code: str  # "parties.party", "crm.quote": the model's label, stored by the blocks
    label: StrOrPromise
    label_plural: StrOrPromise
    may_view: Callable[[Any, Any], bool]  # (user, obj) -> bool
    may_change: Callable[[Any, Any], bool]  # (user, obj) -> bool
    url: Callable[[Any], str]  # obj -> its page
    title: Callable[[Any], str] = str  # obj -> how it is named in lists, e-mails and notifications
    features: frozenset[str] = field(default_factory=frozenset)  # "attachments", "activities", "print" …

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.code)


_DOCUMENTS: dict[str, DocumentType] = {}


def register_document_type(doc: DocumentType) -> None:
    _DOCUMENTS[doc.code] = doc
    document_type_registered(doc)  # building blocks that serve a feature of it (registry_hooks.py)


def document_type(code: str) -> DocumentType | None:
    return _DOCUMENTS.get(code)


def document_type_of(obj) -> DocumentType | None:
    return _DOCUMENTS.get(obj._meta.label_lower)


def document_types(feature: str | None = None) -> list[DocumentType]:
    return [d for d in _DOCUMENTS.values() if feature is None or feature in d.features]

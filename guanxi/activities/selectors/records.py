"""The records activities hang on: any document type registered with the "activities" feature
(guanxi.core.registry). Who may see or change a record is the record's app's rule (`may_view`,
`may_change`); this module only asks it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from guanxi.core import registry
from guanxi.core.exceptions import NotFoundError
from guanxi.core.registry import DocumentType

FEATURE = "activities"


def record_types() -> list[DocumentType]:
    return registry.document_types(FEATURE)


def record_type(code: str) -> DocumentType | None:
    doc = registry.document_type(code)
    return doc if doc is not None and FEATURE in doc.features else None


def type_of(record) -> DocumentType | None:
    doc = registry.document_type_of(record)
    return doc if doc is not None and FEATURE in doc.features else None


def code_of(record) -> str:
    return record._meta.label_lower


def load_record(code: str, pk):
    """The record of type `code` with this id, or None (unknown type, no such record)."""
    doc = record_type(code)
    if doc is None:
        return None
    try:
        return doc.model.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def get_record(*, actor, code: str, pk):
    """A record `actor` may see (404 otherwise: an unknown type, no such record, or not visible)."""
    record = load_record(code, pk)
    doc = record_type(code)
    if record is None or doc is None or not doc.may_view(actor, record):
        raise NotFoundError()
    return record


def may_view(actor, record) -> bool:
    doc = type_of(record)
    return doc is not None and bool(doc.may_view(actor, record))


def may_change(actor, record) -> bool:
    doc = type_of(record)
    return doc is not None and bool(doc.may_change(actor, record))


@dataclass(frozen=True)
class RecordRef:
    """How a list shows an activity's record: its type's label, its title and its page."""

    code: str
    id: int
    label: str
    title: str
    url: str


def ref_of(record) -> RecordRef | None:
    doc = type_of(record)
    if doc is None:
        return None
    return RecordRef(doc.code, record.pk, str(doc.label), str(doc.title(record)), doc.url(record))


def refs_for(activities: Iterable) -> dict[tuple[str, int], RecordRef]:
    """The records of a page of activities, read in one query per record type (not one per row)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for a in activities:
        wanted[a.record_type].add(a.record_id)
    refs: dict[tuple[str, int], RecordRef] = {}
    for code, ids in wanted.items():
        doc = registry.document_type(code)
        if doc is None:
            continue
        for pk, obj in doc.model.objects.in_bulk(list(ids)).items():
            refs[(code, pk)] = RecordRef(code, pk, str(doc.label), str(doc.title(obj)), doc.url(obj))
    return refs


def attach_refs(activities: list) -> list:
    """Set `activity.record_ref` (None for a record that is gone) on each activity of a page."""
    refs = refs_for(activities)
    for a in activities:
        a.record_ref = refs.get((a.record_type, a.record_id))
    return activities

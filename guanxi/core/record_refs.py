"""Rows that name a record by its document type and id rather than by a foreign key (an activity's
record_type/record_id, an attachment's document_type/object_id). A block that stores such references
registers them here, so that whatever must follow a record to another one (merging two duplicate parties:
guanxi.parties.services.merge) finds them all without knowing the blocks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordReference:
    model: str  # "app_label.ModelName"
    type_field: str  # holds the document type's code, "parties.party"
    id_field: str  # holds the record's primary key (a number or its text)


_REFERENCES: dict[str, RecordReference] = {}


def register_record_reference(model: str, *, type_field: str, id_field: str) -> None:
    _REFERENCES[model] = RecordReference(model, type_field, id_field)


def record_references() -> list[RecordReference]:
    return list(_REFERENCES.values())

"""Which people at a record's side an activity may name as contacts (participants who are not users).

Each record type says where its contacts come from; the activities app registers the party's (its staff,
or the person itself) in guanxi.activities.registry. A type without a source offers none: its activities
name users only.

    register_contact_source("crm.opportunity", lambda opp: Party.objects.filter(pk=opp.contact_id))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

_SOURCES: dict[str, Callable[[Any], QuerySet]] = {}


def register_contact_source(record_type: str, source: Callable[[Any], QuerySet]) -> None:
    _SOURCES[record_type] = source


def contacts_for(record_type: str, record) -> QuerySet | None:
    """The parties that may be named as contacts on an activity of this record (None: the type has none)."""
    source = _SOURCES.get(record_type)
    return None if source is None else source(record)

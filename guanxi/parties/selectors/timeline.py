"""The timeline of a party: notes and changes, newest first. Later apps add activities here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from guanxi.core.selectors.users import history_for
from guanxi.parties.models import Party, PartyNote


@dataclass
class TimelineEvent:
    at: datetime
    kind: str  # "note" or "change"
    actor: object
    note: PartyNote | None = None
    change: object | None = None


# A note's own audit entry ("Note added") belongs on the history tab; the timeline shows the note itself.
SHOWN_AS_ITSELF = ("parties.partynote",)


def party_timeline(*, party: Party, limit: int = 100) -> list[TimelineEvent]:
    notes = PartyNote.objects.filter(party=party).select_related("author")[:limit]
    changes = history_for(subject_type="parties.party", subject_id=party.pk).exclude(
        target_type__in=SHOWN_AS_ITSELF
    )[:limit]
    events = [TimelineEvent(n.created_at, "note", n.author, note=n) for n in notes]
    events += [TimelineEvent(c.at, "change", c.actor, change=c) for c in changes]
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]

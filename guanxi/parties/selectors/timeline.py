"""The timeline of a party: what every app's timeline provider returns (guanxi.core.registry), newest first.
The parties app provides notes and changes; later apps add activities, quotes, orders … by registering."""

from __future__ import annotations

from guanxi.core import registry
from guanxi.core.registry import TimelineEvent
from guanxi.core.selectors.users import history_for
from guanxi.parties.models import Party, PartyNote

PARTY = "parties.party"
# A note's own audit entry ("Note added") belongs on the history tab; the timeline shows the note itself.
SHOWN_AS_ITSELF = ("parties.partynote",)


def party_timeline(*, party: Party, user=None, limit: int = 100) -> list[TimelineEvent]:
    return registry.timeline_for(PARTY, party, user, limit=limit)


def note_events(party: Party, user, limit: int) -> list[TimelineEvent]:
    notes = PartyNote.objects.filter(party=party).select_related("author")[:limit]
    return [
        TimelineEvent(n.created_at, n.author, "parties/partials/event_note.html", "note", n) for n in notes
    ]


def change_events(party: Party, user, limit: int) -> list[TimelineEvent]:
    # Entries of records that another provider shows as themselves (an app's activities) stay on History.
    shown_elsewhere = (*SHOWN_AS_ITSELF, *sorted(registry.timeline_covered(PARTY)))
    entries = history_for(subject_type=PARTY, subject_id=party.pk).exclude(target_type__in=shown_elsewhere)
    return [
        TimelineEvent(e.at, e.actor, "parties/partials/event_change.html", "change", e)
        for e in entries[:limit]
    ]

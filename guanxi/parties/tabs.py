"""The tabs and the timeline of a party's 360° page, registered in core's registry like any other app's
(guanxi.core.registry: `register_tab`, `register_timeline_provider`); this page never needs editing when a
later app adds its own tabs, header actions, overview cards or timeline events."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.core import registry
from guanxi.core.registry import RecordTab, TimelineProvider

PARTY = "parties.party"


def party_tabs(party, user) -> list[RecordTab]:
    return registry.tabs_for(PARTY, party, user)


def get_party_tab(key: str) -> RecordTab | None:
    return registry.tab(PARTY, key)


def _timeline(party, user):
    from guanxi.parties.selectors.timeline import party_timeline

    return {"events": party_timeline(party=party, user=user)}


def _history(party, user):
    from guanxi.core.selectors.users import history_for

    return {"entries": history_for(subject_type=PARTY, subject_id=party.pk)[:200]}


for tab in (
    RecordTab(PARTY, "overview", _("Overview"), "parties/tabs/overview.html", order=0),
    RecordTab(
        PARTY,
        "contacts",
        _("Contacts"),
        "parties/tabs/contacts.html",
        10,
        visible=lambda p, u: p.is_organization,
    ),
    RecordTab(
        PARTY,
        "organizations",
        _("Organizations"),
        "parties/tabs/organizations.html",
        10,
        visible=lambda p, u: not p.is_organization,
    ),
    RecordTab(PARTY, "addresses", _("Addresses"), "parties/tabs/addresses.html", order=20),
    RecordTab(PARTY, "timeline", _("Timeline"), "parties/tabs/timeline.html", order=30, context=_timeline),
    RecordTab(PARTY, "history", _("History"), "parties/tabs/history.html", order=90, context=_history),
):
    registry.register_tab(tab)


def _register_timeline() -> None:
    from guanxi.parties.selectors.timeline import change_events, note_events

    registry.register_timeline_provider(TimelineProvider(PARTY, "notes", note_events))
    registry.register_timeline_provider(TimelineProvider(PARTY, "changes", change_events))


_register_timeline()

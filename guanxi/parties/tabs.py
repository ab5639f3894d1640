"""Tabs on a party's 360° page. Other apps add theirs with `register_party_tab` in their AppConfig.ready();
this page never needs editing for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class PartyTab:
    key: str
    label: StrOrPromise
    template: str  # rendered with {"party", "request", **context(party, user)}
    order: int = 100
    context: Callable | None = None  # (party, user) -> dict
    visible: Callable | None = None  # (party, user) -> bool


_TABS: dict[str, PartyTab] = {}


def register_party_tab(tab: PartyTab) -> None:
    _TABS[tab.key] = tab


def party_tabs(party, user) -> list[PartyTab]:
    return sorted(
        (t for t in _TABS.values() if t.visible is None or t.visible(party, user)),
        key=lambda t: (t.order, t.key),
    )


def get_party_tab(key: str) -> PartyTab | None:
    return _TABS.get(key)


def _timeline(party, user):
    from guanxi.parties.selectors.timeline import party_timeline

    return {"events": party_timeline(party=party)}


def _history(party, user):
    from guanxi.core.selectors.users import history_for

    return {"entries": history_for(subject_type="parties.party", subject_id=party.pk)[:200]}


register_party_tab(PartyTab("overview", _("Overview"), "parties/tabs/overview.html", order=0))
register_party_tab(
    PartyTab(
        "contacts",
        _("Contacts"),
        "parties/tabs/contacts.html",
        order=10,
        visible=lambda p, u: p.is_organization,
    )
)
register_party_tab(
    PartyTab(
        "organizations",
        _("Organizations"),
        "parties/tabs/organizations.html",
        order=10,
        visible=lambda p, u: not p.is_organization,
    )
)
register_party_tab(PartyTab("addresses", _("Addresses"), "parties/tabs/addresses.html", order=20))
register_party_tab(
    PartyTab("timeline", _("Timeline"), "parties/tabs/timeline.html", order=30, context=_timeline)
)
register_party_tab(PartyTab("history", _("History"), "parties/tabs/history.html", order=90, context=_history))

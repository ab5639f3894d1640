"""The registry that apps fill and core reads: core never names an app.

Each app declares what it adds in one place of its own (its `registry.py`, imported by its
AppConfig.ready()):

* permission actions and the record areas that role scopes apply to (`register_actions`, `register_area`);
* navigation items in the side menu (`register_nav_item`), and where the top bar's search goes;
* tabs, header actions and overview cards on a record's page, for its own records or another app's
  (`register_tab`, `register_header_action`, `register_overview_card`), and timeline providers;
* document types (`register_document_type`): what numbering, approvals, attachments, activities and
  printing need to know about a kind of record (who may see and change one, its URL, its label);
* notification event types (`register_event_type`), for `notify()` (docs/subsystems/notifications.md).

Audit field labels are registered with `guanxi.core.audit_display.register_audit_display`.
Everything here is filled at start-up and read-only afterwards: registering the same key twice replaces
the first registration (tests re-import modules), which keeps start-up idempotent.

Read by: the context processor (menu), roles (actions and areas), the record pages of each app, and the
building blocks (numbering, approvals, attachments, activities, PDFs) through `document_type()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from guanxi.core.document_types import DocumentType as DocumentType
from guanxi.core.document_types import document_type as document_type
from guanxi.core.document_types import document_type_of as document_type_of
from guanxi.core.document_types import document_types as document_types
from guanxi.core.document_types import register_document_type as register_document_type

# Notification event types live in their own module (re-exported here: apps call registry.register_event_type).
from guanxi.core.event_types import CHANNELS as CHANNELS
from guanxi.core.event_types import EMAIL as EMAIL
from guanxi.core.event_types import IN_APP as IN_APP
from guanxi.core.event_types import EventType as EventType
from guanxi.core.event_types import event_type as event_type
from guanxi.core.event_types import event_types as event_types
from guanxi.core.event_types import register_event_type as register_event_type
from guanxi.core.printables import Printable as Printable
from guanxi.core.printables import printable as printable
from guanxi.core.printables import printables_for as printables_for
from guanxi.core.printables import register_printable as register_printable
from guanxi.core.registry_hooks import on_document_type as on_document_type

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


# --- Permission actions and areas ---------------------------------------------------------------------


@dataclass(frozen=True)
class PermissionAction:
    code: str  # "app.verb" or "object.verb", e.g. "party.view"; stored in roles, never rename
    label: StrOrPromise
    app: str  # the declaring app's label: groups the permission matrix
    help: StrOrPromise = ""


@dataclass(frozen=True)
class RecordArea:
    """A part of the records that roles reach with a scope (own / team / all), e.g. the customer side."""

    code: str
    label: StrOrPromise
    order: int = 100
    help: StrOrPromise = ""


_ACTIONS: dict[str, PermissionAction] = {}
_AREAS: dict[str, RecordArea] = {}


def register_actions(*actions: PermissionAction) -> None:
    for action in actions:
        _ACTIONS[action.code] = action


def register_area(area: RecordArea) -> None:
    _AREAS[area.code] = area


_SHIPPED: dict[str, tuple[set[str], dict[str, int], dict[str, int]]] = {}


def grant_shipped_role(
    role: str, *, actions=(), view: Mapping[str, int] | None = None, edit: Mapping[str, int] | None = None
) -> None:
    """What a shipped role (guanxi.core.roles.SHIPPED_LABELS) may do with this app's actions and areas.
    `migrate` brings the shipped roles in step with these declarations (guanxi.core.services.roles)."""
    have_actions, have_view, have_edit = _SHIPPED.setdefault(role, (set(), {}, {}))
    have_actions.update(actions)
    for have, scopes in ((have_view, view or {}), (have_edit, edit or {})):
        for area, scope in scopes.items():
            have[area] = max(have.get(area, 0), int(scope))


def shipped_grants() -> dict[str, tuple[set[str], dict[str, int], dict[str, int]]]:
    return _SHIPPED


def actions() -> list[PermissionAction]:
    return list(_ACTIONS.values())


def action_codes() -> frozenset[str]:
    return frozenset(_ACTIONS)


def areas() -> list[RecordArea]:
    return sorted(_AREAS.values(), key=lambda a: (a.order, a.code))


# --- Navigation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavSection:
    key: str
    label: StrOrPromise
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    key: str  # what a page puts in its `nav` context variable to mark the item current
    label: StrOrPromise
    url_name: str
    section: str
    query: str = ""  # e.g. "kind=organization"
    order: int = 100
    action: str | None = None  # shown to users who may do this action …
    visible: Callable[[Any], bool] | None = None  # … and for whom this is true (grants) -> bool
    # (user) -> a count shown beside the item (0: none). The menu loads it after the page (htmx), so a page
    # costs no query for it: keep it to one indexed COUNT.
    badge: Callable[[Any], int] | None = None

    @property
    def has_badge(self) -> bool:
        return self.badge is not None

    @property
    def url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url

    def shown_to(self, grants) -> bool:
        if self.action and not grants.can(self.action):
            return False
        return self.visible is None or bool(self.visible(grants))


_SECTIONS: dict[str, NavSection] = {}
_NAV: dict[str, NavItem] = {}


@dataclass(frozen=True)
class SearchTarget:
    """Where the top bar's search box sends its query (`?q=`), and what its placeholder says."""

    url_name: str
    placeholder: StrOrPromise
    action: str | None = None  # offered to users who may do this action
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_SEARCH: dict[str, SearchTarget] = {}


def register_nav_section(section: NavSection) -> None:
    _SECTIONS[section.key] = section


def register_nav_item(item: NavItem) -> None:
    _NAV[item.key] = item


def register_search(target: SearchTarget) -> None:
    _SEARCH[target.url_name] = target


@dataclass
class NavGroup:
    section: NavSection
    items: list[NavItem]


def navigation_for(grants) -> list[NavGroup]:
    """The side menu of a user: sections in order, each with the items the user may use."""
    groups = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        items = sorted(
            (i for i in _NAV.values() if i.section == section.key and i.shown_to(grants)),
            key=lambda i: (i.order, i.key),
        )
        if items:
            groups.append(NavGroup(section, items))
    return groups


def nav_item(key: str) -> NavItem | None:
    return _NAV.get(key)


_HOME: dict[str, tuple[int, str | None]] = {}  # url name -> (order, action)


def register_home(url_name: str, *, action: str | None = None, order: int = 100) -> None:
    """A page a user may land on after signing in: the first one (in order) whose action the user has."""
    _HOME[url_name] = (order, action)


def home_url_for(grants) -> str | None:
    """Where a signed-in user lands (None: the user may use nothing but the account pages)."""
    for url_name, (_order, action) in sorted(_HOME.items(), key=lambda kv: (kv[1][0], kv[0])):
        if action is None or grants.can(action):
            return reverse(url_name)
    return None


def search_for(grants) -> SearchTarget | None:
    """The first search target (in order) that the user may use."""
    for target in sorted(_SEARCH.values(), key=lambda t: (t.order, t.url_name)):
        if target.action is None or grants.can(target.action):
            return target
    return None


# --- A record's page: tabs, header actions, overview cards, timeline ---------------------------------


# A record page item whose `model` is `for_feature("activities")` appears on every document type whose
# `features` include "activities": a building block adds its tab, card or timeline events to each kind of
# record that registers for it, including apps loaded after the block.
FEATURE = "feature:"


def for_feature(feature: str) -> str:
    return FEATURE + feature


@dataclass(frozen=True)
class RecordTab:
    model: str  # "app_label.modelname" of the page it appears on, e.g. "parties.party" (or for_feature(...))
    key: str
    label: StrOrPromise
    template: str  # rendered with {"object", the page's own context, **context(obj, user)}
    order: int = 100
    context: Callable | None = None  # (obj, user) -> dict
    visible: Callable | None = None  # (obj, user) -> bool


@dataclass(frozen=True)
class HeaderAction:
    """A button in a record page's header, e.g. "New quote" on a customer, "Print" on any document."""

    model: str
    key: str
    label: StrOrPromise
    url: Callable[[Any], str]  # obj -> URL (a GET link; forms behind it do their own checks)
    order: int = 100
    visible: Callable | None = None  # (obj, user) -> bool
    icon: str = ""


@dataclass(frozen=True)
class OverviewCard:
    """A card on a record's overview tab, e.g. "Open pipeline" or "Open purchase orders" on a party."""

    model: str
    key: str
    label: StrOrPromise
    template: str
    order: int = 100
    context: Callable | None = None  # (obj, user) -> dict
    visible: Callable | None = None  # (obj, user) -> bool


@dataclass
class TimelineEvent:
    at: datetime
    actor: object
    template: str  # renders the event; it receives `event`
    kind: str = ""  # "note", "change", "activity" …: for filters and styling
    obj: object = None  # what the template shows (the note, the audit entry, the activity …)


@dataclass(frozen=True)
class TimelineProvider:
    model: str
    key: str
    events: Callable[..., list[TimelineEvent]]  # (obj, user, limit) -> newest first, at most `limit`
    # Audit target types ("activities.activity") whose entries these events stand for: a timeline shows the
    # activity itself, so the provider of changes leaves those entries to the History tab.
    covers: tuple[str, ...] = ()


_TABS: dict[tuple[str, str], RecordTab] = {}
_HEADER: dict[tuple[str, str], HeaderAction] = {}
_CARDS: dict[tuple[str, str], OverviewCard] = {}
_TIMELINE: dict[tuple[str, str], TimelineProvider] = {}


def register_tab(tab: RecordTab) -> None:
    _TABS[(tab.model, tab.key)] = tab


def register_header_action(action: HeaderAction) -> None:
    _HEADER[(action.model, action.key)] = action


def register_overview_card(card: OverviewCard) -> None:
    _CARDS[(card.model, card.key)] = card


def register_timeline_provider(provider: TimelineProvider) -> None:
    _TIMELINE[(provider.model, provider.key)] = provider


def _applies(item_model: str, model: str) -> bool:
    """Is an item registered for `item_model` shown on records of `model` (itself, or by a feature)?"""
    if item_model == model:
        return True
    if item_model.startswith(FEATURE):
        doc = document_type(model)
        return doc is not None and item_model[len(FEATURE) :] in doc.features
    return False


def _shown(items, model: str, obj, user) -> list:
    return sorted(
        (i for i in items if _applies(i.model, model) and (i.visible is None or i.visible(obj, user))),
        key=lambda i: (i.order, i.key),
    )


def tabs_for(model: str, obj, user) -> list[RecordTab]:
    return _shown(_TABS.values(), model, obj, user)


def tab(model: str, key: str) -> RecordTab | None:
    found = _TABS.get((model, key))
    if found is None:
        found = next((t for (m, k), t in _TABS.items() if k == key and _applies(m, model)), None)
    return found


def header_actions_for(model: str, obj, user) -> list[HeaderAction]:
    return _shown(_HEADER.values(), model, obj, user)


def overview_cards_for(model: str, obj, user) -> list[OverviewCard]:
    return _shown(_CARDS.values(), model, obj, user)


def timeline_for(model: str, obj, user, *, limit: int = 100) -> list[TimelineEvent]:
    """Every provider's events for one record, merged newest first."""
    events: list[TimelineEvent] = []
    for provider in _TIMELINE.values():
        if _applies(provider.model, model):
            events += provider.events(obj, user, limit)
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]


def timeline_covered(model: str) -> set[str]:
    """Audit target types that a timeline provider of `model` shows as events of its own (see `covers`)."""
    return {t for p in _TIMELINE.values() if _applies(p.model, model) for t in p.covers}

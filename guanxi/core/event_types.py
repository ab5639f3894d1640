"""Notification event types: what users may be told about, and on which channels by default. Part of the
registry (re-exported by guanxi.core.registry, where apps call `registry.register_event_type`); read by
guanxi.core.services.notifications.notify and the notification settings. See docs/subsystems/notifications.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


IN_APP, EMAIL = "inapp", "email"
CHANNELS = (IN_APP, EMAIL)  # what a user chooses per event type (team messengers are set per team)


@dataclass(frozen=True)
class EventType:
    code: str  # "activity.assigned": stored on notifications and preferences, never rename
    label: StrOrPromise  # what happened, said to the person told: "An activity was assigned to you"
    default_channels: frozenset[str] = frozenset(CHANNELS)  # until the user chooses otherwise
    help: StrOrPromise = ""
    order: int = 100

    def __post_init__(self) -> None:
        channels = frozenset(self.default_channels)  # a set given by the caller becomes hashable
        if not channels <= set(CHANNELS):
            raise ValueError(f"{self.code}: unknown channels {sorted(channels - set(CHANNELS))}")
        object.__setattr__(self, "default_channels", channels)


_EVENT_TYPES: dict[str, EventType] = {}


def register_event_type(event_type: EventType) -> None:
    _EVENT_TYPES[event_type.code] = event_type


def event_type(code: str) -> EventType | None:
    return _EVENT_TYPES.get(code)


def event_types() -> list[EventType]:
    return sorted(_EVENT_TYPES.values(), key=lambda e: (e.order, e.code))

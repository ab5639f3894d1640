"""What other apps may react to, without this app knowing them (no signals: explicit subscriptions).

    from guanxi.activities import hooks
    hooks.on_assigned(lambda activity, actor: ...)   # someone else was made the assignee (after commit)
    hooks.on_reminder(lambda activity: ...)          # a reminder is due: called once per activity

The notifications block subscribes here; until then a reminder is only recorded (reminded_at) and logged.
A subscriber that raises is logged and does not stop the others, nor the request or job that called it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_ASSIGNED: dict[str, Callable[[Any, Any], None]] = {}
_REMINDER: dict[str, Callable[[Any], None]] = {}


def _key(fn: Callable) -> str:
    return f"{fn.__module__}.{getattr(fn, '__qualname__', repr(fn))}"


def on_assigned(fn: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    _ASSIGNED[_key(fn)] = fn  # registering the same function twice keeps one
    return fn


def on_reminder(fn: Callable[[Any], None]) -> Callable[[Any], None]:
    _REMINDER[_key(fn)] = fn
    return fn


def _call(subscribers: dict[str, Callable], *args) -> None:
    for key, fn in list(subscribers.items()):
        try:
            fn(*args)
        except Exception:
            log.exception("activities hook %s failed", key)


def assigned(activity, actor) -> None:
    _call(_ASSIGNED, activity, actor)


def reminder_due(activity) -> None:
    _call(_REMINDER, activity)

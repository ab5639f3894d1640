"""Test helpers for notifications: event types and a document type that exist only in the tests (core
declares no event of its own), and a notify() call for them.

Use the fixtures by importing them (`# noqa: F401`) and naming them in `pytestmark` usefixtures.
"""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy

from guanxi.core import document_types, event_types, registry
from guanxi.core.registry import DocumentType, EventType
from guanxi.core.services.notifications import notify

PING = "test.ping"  # in the app and by e-mail by default
QUIET = "test.quiet"  # in the app only by default


@pytest.fixture
def test_events():
    """Two event types for the test (removed afterwards)."""
    registry.register_event_type(EventType(PING, gettext_lazy("Notifications"), help="A test event", order=1))
    registry.register_event_type(
        EventType(QUIET, "Quiet test event", default_channels={registry.IN_APP}, order=2)
    )
    yield
    for code in (PING, QUIET):
        event_types._EVENT_TYPES.pop(code, None)


@pytest.fixture
def team_documents():
    """Teams as a document type: a member may see their team (to test the "may see it" rule)."""

    def may_view(user, team) -> bool:
        return team.memberships.filter(user=user).exists()

    registry.register_document_type(
        DocumentType(
            "core.team",
            "Team",
            "Teams",
            may_view=may_view,
            may_change=may_view,
            url=lambda team: f"/settings/teams/{team.pk}/webhooks/",
        )
    )
    yield
    document_types._DOCUMENTS.pop("core.team", None)


def ping(recipients, **kwargs):
    kwargs.setdefault("title", "Ping")
    return notify(event=PING, recipients=recipients, **kwargs)

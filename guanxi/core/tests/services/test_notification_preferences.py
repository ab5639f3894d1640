"""Each user chooses, per event type, in the app and/or by e-mail; only a choice that differs from the
event type's default is stored, and the change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry, Notification, NotificationPreference
from guanxi.core.selectors.notifications import preferences_for
from guanxi.core.services.notifications import preferences_set
from guanxi.core.tests.notifications_support import PING, QUIET, ping, test_events  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_events")]


def _rows(user) -> dict:
    return {
        r.event_type.code: (r.in_app, r.email)
        for r in preferences_for(user=user)
        if r.event_type.code in (PING, QUIET)
    }


def test_defaults_come_from_the_event_type(make_user):
    ann = make_user("ann")
    assert _rows(ann) == {PING: (True, True), QUIET: (True, False)}


def test_a_choice_is_stored_and_going_back_to_the_default_forgets_it(make_user):
    ann = make_user("ann")
    preferences_set(actor=ann, user=ann, choices={PING: {"in_app": False}, QUIET: {"email": True}})
    assert _rows(ann) == {PING: (False, True), QUIET: (True, True)}
    assert NotificationPreference.objects.filter(user=ann).count() == 2
    entry = AuditEntry.objects.get(target_type="core.user", target_id=str(ann.pk))
    assert entry.changes == {
        f"notifications:{PING}": ["inapp+email", "email"],
        f"notifications:{QUIET}": ["inapp", "inapp+email"],
    }
    preferences_set(actor=ann, user=ann, choices={PING: {"in_app": True, "email": True}})
    assert not NotificationPreference.objects.filter(user=ann, event=PING).exists()
    preferences_set(actor=ann, user=ann, choices={QUIET: {"email": True}})  # no change: no audit entry
    assert AuditEntry.objects.filter(target_type="core.user").count() == 2


def test_none_means_not_told_at_all(make_user):
    ann = make_user("ann")
    preferences_set(actor=ann, user=ann, choices={PING: {"in_app": False, "email": False}})
    assert ping([ann]) == [] and not Notification.objects.exists()


def test_unknown_event_types_and_other_users_are_refused(make_user):
    ann, bob = make_user("ann"), make_user("bob")
    with pytest.raises(ValidationError) as err:
        preferences_set(actor=ann, user=ann, choices={"no.such": {"email": False}})
    assert "no.such" in err.value.message_dict["event"][0]
    with pytest.raises(PermissionDeniedError):
        preferences_set(actor=bob, user=ann, choices={PING: {"email": False}})
    assert not NotificationPreference.objects.exists()

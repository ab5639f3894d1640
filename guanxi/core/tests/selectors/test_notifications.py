"""A user reads only their own notifications; the unread count stops counting at the cap."""

from __future__ import annotations

import pytest

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import Notification
from guanxi.core.selectors import notifications as sel
from guanxi.core.services.notifications import notification_mark_read, notifications_mark_all_read
from guanxi.core.tests.notifications_support import ping, test_events  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_events")]


def test_own_notifications_only_newest_first(make_user):
    ann, bob = make_user("ann"), make_user("bob")
    first = ping([ann], title="first")[0]
    ping([bob], title="bob's")
    second = ping([ann], title="second")[0]
    assert [n.title for n in sel.notification_list(actor=ann)] == ["second", "first"]
    assert sel.notification_get(actor=ann, pk=first.pk) == first
    for pk in (ping([bob])[0].pk, "x", None, 10**9):
        with pytest.raises(NotFoundError):
            sel.notification_get(actor=ann, pk=pk)
    notification_mark_read(actor=ann, notification=second)
    assert [n.title for n in sel.notification_list(actor=ann, unread_only=True)] == ["first"]
    with pytest.raises(PermissionDeniedError):
        notification_mark_read(actor=bob, notification=first)


def test_unread_count_is_capped(make_user):
    ann = make_user("ann")
    Notification.objects.bulk_create(
        Notification(recipient=ann, event="test.ping", title=str(i)) for i in range(105)
    )
    Notification.objects.create(recipient=ann, event="test.ping", title="mail only", in_app=False)
    assert sel.unread_count(actor=ann) == sel.UNREAD_CAP + 1
    assert notifications_mark_all_read(actor=ann) == 105
    assert sel.unread_count(actor=ann) == 0
    first = Notification.objects.filter(recipient=ann, in_app=True).first()
    read_at = first.read_at
    assert notification_mark_read(actor=ann, notification=first).read_at == read_at  # read stays read

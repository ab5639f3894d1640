import datetime as dt
import decimal

import pytest

from guanxi.core.models import AuditEntry, Team, User
from guanxi.core.services.audit import audit_record, audit_records_bulk, diff, snapshot

pytestmark = pytest.mark.django_db


def test_snapshot_gives_plain_json_values(make_user):
    user = make_user("li", language="zh-hans")
    user.date_joined = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert snapshot(user, ["username", "is_active", "date_joined", "last_login"]) == {
        "username": "li",
        "is_active": True,
        "date_joined": "2026-01-02T03:04:05+00:00",
        "last_login": None,
    }


def test_diff_lists_only_what_changed():
    before = {"a": 1, "b": ["x"], "c": None}
    after = {"a": 1, "b": ["x", "y"], "c": "new", "d": decimal.Decimal("1.50")}
    assert diff(before, after) == {
        "b": [["x"], ["x", "y"]],
        "c": [None, "new"],
        "d": [None, decimal.Decimal("1.50")],
    }
    assert diff(after, after) == {}


def test_audit_record_with_a_subject(make_user):
    actor = make_user("admin")
    team = Team.objects.create(name="East")
    entry = audit_record(actor=actor, action="update", target=team, subject=actor, changes={"x": [1, 2]})
    entry.refresh_from_db()
    assert (entry.target_type, entry.target_id, entry.target_repr) == ("core.team", str(team.pk), "East")
    assert (entry.subject_type, entry.subject_id) == ("core.user", str(actor.pk))
    assert entry.changes == {"x": [1, 2]} and entry.actor == actor


def test_anonymous_actors_and_bulk_rows(make_user):
    users = [make_user(f"u{i}") for i in range(3)]
    audit_records_bulk(actor=None, action="archive", targets=users, changes={"archived": [False, True]})
    entries = AuditEntry.objects.order_by("id")
    assert [(e.actor, e.target_repr, e.subject_id) for e in entries] == [
        (None, u.username, str(u.pk)) for u in users
    ]
    assert User.objects.count() == 3

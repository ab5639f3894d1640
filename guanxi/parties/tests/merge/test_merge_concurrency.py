"""Two merges of the same two parties in opposite directions at the same moment, and two undos of one merge at
the same moment, on PostgreSQL: one wins, the other gets a clear error, and the data stay whole. Each thread
has its own connection and transaction, as under gunicorn.

To make "at the same moment" certain rather than likely, the first one keeps its transaction open until
PostgreSQL reports the second one waiting for a lock (pg_stat_activity), then commits
(guanxi.core.tests.races)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanxi.core.exceptions import ConflictError
from guanxi.core.models.audit import AuditAction, AuditEntry
from guanxi.core.tests.races import race
from guanxi.parties.models import ContactPoint, Party, PartyMerge
from guanxi.parties.services.merge import party_merge, party_merge_undo
from guanxi.parties.tests.factories import make_org

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks as PostgreSQL takes them"),
]


@pytest.fixture
def pair(admin_user):
    a = make_org(
        admin_user, "Acme Trading Co., Ltd.", emails=["a@acme-trading.cn"], website="https://a.example"
    )
    b = make_org(
        admin_user, "ACME Trading Limited", emails=["b@acme-trading.cn"], phones=["+86 21 5555 0101"]
    )
    return a, b


@pytest.mark.parametrize("with_versions", [True, False], ids=["versions-sent", "no-versions"])
def test_merging_a_into_b_and_b_into_a_at_once_one_wins(admin_user, pair, with_versions):
    a, b = pair

    def merge(kept, merged):
        versions = {"kept_version": kept.version, "merged_version": merged.version} if with_versions else {}
        return party_merge(actor=admin_user, kept=kept, merged=merged, **versions)

    results = race(lambda: merge(a, b), lambda: merge(b, a))

    assert isinstance(results[0], PartyMerge), results
    if with_versions:  # what the page and the API send: the versions the user saw are stale now
        assert isinstance(results[1], ConflictError), results
    else:
        assert isinstance(results[1], ValidationError), results
        assert "“ACME Trading Limited” was merged already." in results[1].messages
    # One merge, in the first one's direction, and everything of B with A.
    assert list(PartyMerge.objects.values_list("kept_id", "merged_id")) == [(a.pk, b.pk)]
    a_now, b_now = Party.objects.get(pk=a.pk), Party.objects.get(pk=b.pk)
    assert (a_now.merged_into_id, a_now.archived_at) == (None, None)
    assert b_now.merged_into_id == a.pk and b_now.archived_at is not None
    assert set(ContactPoint.objects.filter(party=a).values_list("value", flat=True)) == {
        "a@acme-trading.cn",
        "b@acme-trading.cn",
        "021 5555 0101",  # shown as dialled in China
    }
    assert not ContactPoint.objects.filter(party=b).exists()
    assert AuditEntry.objects.filter(action=AuditAction.MERGE).count() == 2  # one merge: kept and merged


def test_two_undos_of_one_merge_at_once_one_wins(admin_user, pair):
    a, b = pair
    record = party_merge(actor=admin_user, kept=a, merged=b)

    results = race(
        lambda: party_merge_undo(actor=admin_user, record=record),
        lambda: party_merge_undo(actor=admin_user, record=record),
    )

    assert isinstance(results[0], PartyMerge) and results[0].undone_at is not None, results
    assert isinstance(results[1], ConflictError), results
    assert "undone already" in str(results[1])
    b_now = Party.objects.get(pk=b.pk)
    assert (b_now.merged_into_id, b_now.archived_at) == (None, None)
    assert set(ContactPoint.objects.filter(party=b).values_list("value", flat=True)) == {
        "b@acme-trading.cn",
        "021 5555 0101",  # shown as dialled in China
    }
    assert list(ContactPoint.objects.filter(party=a).values_list("value", flat=True)) == ["a@acme-trading.cn"]
    assert Party.objects.get(pk=a.pk).website == "https://a.example"
    assert AuditEntry.objects.filter(action=AuditAction.UNMERGE).count() == 2  # one undo: kept and merged

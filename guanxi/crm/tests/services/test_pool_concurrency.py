"""Two reps claim the same pool customer at the same moment; two workers run the nightly recycling at the same
moment. Each thread has its own connection and transaction, as under gunicorn and with several workers.

To make "at the same moment" certain rather than likely, the first one keeps its transaction open until
PostgreSQL reports the second one waiting for a lock (pg_stat_activity), then commits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from guanxi.core.models import AuditEntry
from guanxi.core.tests.races import race
from guanxi.crm.models import PoolClaim, PoolEntry
from guanxi.crm.services import pools as svc
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks as PostgreSQL takes them"),
]


def _pool(world, **rules):
    return svc.pool_save(
        actor=world.manager, pool=None, data={"name_en": "East pool", "teams": [world.east.pk], **rules}
    )


def test_two_reps_claim_the_same_customer_the_first_wins(world, make_user):
    from guanxi.core import roles as R

    _pool(world, cooldown_days=0)
    third = make_user("third", roles=[R.SALES_REP], teams=[world.east])
    entry = svc.customer_release(actor=world.rep, party=world.huawei)
    results = race(
        lambda: svc.pool_claim(actor=world.mate, entry=entry),
        lambda: svc.pool_claim(actor=third, entry=entry),
    )
    assert isinstance(results[0], Party) and results[0].owner == world.mate, results
    assert isinstance(results[1], ValidationError), results
    assert "someone took it first" in " ".join(results[1].messages)
    assert Party.objects.get(pk=world.huawei.pk).owner == world.mate
    assert list(PoolClaim.objects.values_list("owner", flat=True)) == [world.mate.pk]
    assert not PoolEntry.objects.exists()


def test_two_workers_return_a_due_customer_once(world):
    _pool(world, no_activity_days=30)
    Party.objects.filter(pk=world.huawei.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    results = race(svc.pools_recycle, svc.pools_recycle)
    assert sorted(results) == [0, 1], results
    entry = PoolEntry.objects.get()
    assert (entry.party_id, entry.reason, entry.previous_owner) == (world.huawei.pk, "no_activity", world.rep)
    returned = AuditEntry.objects.filter(
        target_type="parties.party", target_id=str(world.huawei.pk), actor=None
    )
    assert returned.count() == 1 and returned.get().changes["owner"] == ["rep", None]


def test_one_rep_claiming_two_customers_at_once_stays_within_the_cap(world):
    # Two entries, two row locks: what makes the second claim wait is the pool's row, locked with the entry.
    _pool(world, max_per_rep=1, cooldown_days=0)
    a, b = (svc.customer_release(actor=world.rep, party=make_org(world.admin, owner=world.rep)) for _ in "ab")
    results = race(
        lambda: svc.pool_claim(actor=world.mate, entry=a),
        lambda: svc.pool_claim(actor=world.mate, entry=b),
    )
    assert Party.objects.filter(owner=world.mate).count() == 1, results
    assert isinstance(results[0], Party) and isinstance(results[1], ValidationError), results
    assert "You hold 1 customers already" in " ".join(results[1].messages)
    assert PoolEntry.objects.get().pk == b.pk

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guanxi.crm.models import PoolEntry
from guanxi.crm.services import pools as svc
from guanxi.parties.models import Party


def test_recycle_warn_claim_cap_and_cooldown(world, client):
    svc.pool_save(
        actor=world.manager,
        pool=None,
        data={
            "name_zh": "华东公海",
            "teams": [world.east.pk],
            "no_activity_days": 30,
            "max_per_rep": 2,
            "cooldown_days": 7,
        },
    )
    Party.objects.filter(pk=world.huawei.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    # Due 10 days ago (created 40 days ago, 30 days without activity): warned within the 3 days before, once.
    assert svc.pools_warn(now=timezone.now() - dt.timedelta(days=20)) == 0
    assert svc.pools_warn(now=timezone.now() - dt.timedelta(days=12)) == 1
    assert svc.pools_warn(now=timezone.now() - dt.timedelta(days=11)) == 0
    assert svc.pools_warn() == 0  # due now: returned, not warned
    assert svc.pools_recycle() == 1 and svc.pools_recycle() == 0
    entry = PoolEntry.objects.get(party=world.huawei)
    assert entry.previous_owner == world.rep and entry.reason == "no_activity"
    huawei = Party.objects.get(pk=world.huawei.pk)
    assert huawei.owner is None and huawei.team is None
    with pytest.raises(ValidationError, match="again"):
        svc.pool_claim(actor=world.rep, entry=entry)
    party = svc.pool_claim(actor=world.mate, entry=entry)
    assert party.owner == world.mate and not PoolEntry.objects.filter(pk=entry.pk).exists()
    client.force_login(world.rep)
    assert client.get(reverse("crm:pools")).status_code == 200
    assert client.get(reverse("crm:check") + "?q=华为技术有限公司").status_code == 200
    assert "held by" in client.get(reverse("crm:check") + "?q=华为技术有限公司").content.decode()

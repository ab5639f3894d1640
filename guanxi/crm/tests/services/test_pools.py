"""Pools (公海): setting one up, a customer released into it, claimed within the cap and the cool-down, assigned
by a manager; the nightly job that returns customers by each rule (and not those the rule spares), once,
telling the former owner, and warns before."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guanxi.activities.services.activities import activity_complete, activity_create
from guanxi.core import roles as R
from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Notification
from guanxi.crm.models import Opportunity, Pool, PoolClaim, PoolEntry
from guanxi.crm.services import pools as svc
from guanxi.crm.services.opportunities import opportunity_lose, opportunity_win
from guanxi.crm.tests.factories import make_opportunity
from guanxi.parties.models import Party
from guanxi.parties.services.parties import party_archive
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _pool(world, **data) -> Pool:
    return svc.pool_save(
        actor=world.manager, pool=None, data={"name_en": "East pool", "teams": [world.east.pk], **data}
    )


def _aged(party, days: float, now=None) -> Party:
    """The customer as if created `days` ago."""
    Party.objects.filter(pk=party.pk).update(created_at=(now or timezone.now()) - days * DAY)
    return Party.objects.get(pk=party.pk)


def _released(party, actor) -> PoolEntry:
    return svc.customer_release(actor=actor, party=party)


def _holder(party):
    p = Party.objects.get(pk=party.pk)
    return p.owner, p.team


def _party_audit(party):
    return AuditEntry.objects.filter(target_type="parties.party", target_id=str(party.pk))


# --- pool_save ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name_en": "", "name_zh": ""}, "name_en"),
        ({"no_activity_days": 0}, "no_activity_days"),
        ({"not_won_days": "abc"}, "not_won_days"),
        ({"max_per_rep": 100_001}, "max_per_rep"),
        ({"cooldown_days": -1}, "cooldown_days"),
        ({"teams": [987_654]}, "teams"),
    ],
)
def test_pool_save_refuses_what_is_wrong_and_saves_nothing(world, data, field):
    with pytest.raises(ValidationError) as exc:
        _pool(world, **data)
    assert field in exc.value.message_dict
    assert not Pool.objects.exists()


def test_pool_save_sets_teams_and_rules_and_is_audited(world):
    pool = _pool(world, name_zh="华东公海", no_activity_days="30", max_per_rep=2, cooldown_days=0)
    assert list(pool.teams.all()) == [world.east]
    assert (pool.no_activity_days, pool.max_per_rep, pool.cooldown_days, pool.warn_days) == (30, 2, 0, 3)
    created = AuditEntry.objects.get(target_type="crm.pool", target_id=str(pool.pk))
    assert created.action == "create" and created.changes["teams"] == [None, ["East"]]
    pool = svc.pool_save(
        actor=world.manager,
        pool=pool,
        version=pool.version,
        data={"teams": [world.east, world.west.pk], "max_per_rep": ""},
    )
    assert pool.version == 2 and pool.max_per_rep is None
    assert set(pool.teams.all()) == {world.east, world.west}
    update = AuditEntry.objects.get(target_type="crm.pool", action="update")
    assert update.changes["teams"] == [["East"], ["East", "West"]] and update.changes["max_per_rep"] == [
        2,
        None,
    ]
    with pytest.raises(ConflictError):
        svc.pool_save(actor=world.manager, pool=pool, version=1, data={"warn_days": 5})


@pytest.mark.parametrize("who", ["rep", "marketing", "executive"])
def test_only_pool_assign_sets_up_pools(world, who):
    with pytest.raises(PermissionDeniedError):
        svc.pool_save(actor=getattr(world, who), pool=None, data={"name_en": "Mine"})
    assert not Pool.objects.exists()
    assert _pool(world).teams.get() == world.east  # a Sales Manager may


# --- customer_release ---------------------------------------------------------------------------------------


def test_the_owner_releases_a_customer_into_the_teams_pool(world):
    pool = _pool(world)
    entry = _released(world.huawei, world.rep)
    assert (entry.pool, entry.reason, entry.previous_owner) == (pool, "released", world.rep)
    assert _holder(world.huawei) == (None, None)
    last = _party_audit(world.huawei).first()
    assert last.actor == world.rep and last.changes["owner"] == ["rep", None]
    assert last.changes["reason"] == [None, "Released by its owner"]


def test_a_manager_puts_a_reps_customer_in_the_pool(world):
    _pool(world)
    assert _released(world.huawei, world.manager).reason == "put"


def test_a_rep_cannot_put_a_teammates_customer_in_the_pool(world):
    _pool(world, cooldown_days=30)
    with pytest.raises(PermissionDeniedError):
        _released(world.huawei, world.mate)  # the header action is not offered to mate (may_release)
    assert _holder(world.huawei)[0] == world.rep


def test_release_refuses_what_nobody_holds_non_customers_and_a_second_time(world):
    _pool(world)
    prospect = make_org(world.admin, "Prospect Ltd", customer=False, owner=world.rep)
    with pytest.raises(ValidationError, match="Only a customer that someone holds"):
        _released(prospect, world.rep)
    _released(world.huawei, world.rep)
    with pytest.raises(NotFoundError):  # no longer the rep's: out of sight
        _released(world.huawei, world.rep)
    with pytest.raises(ValidationError, match="Only a customer that someone holds"):
        _released(world.huawei, world.admin)
    assert PoolEntry.objects.count() == 1 and _holder(prospect)[0] == world.rep


def test_an_archived_customer_is_not_put_in_the_pool(world):
    _pool(world)
    archived = party_archive(actor=world.rep, party=world.huawei)
    with pytest.raises(ValidationError):
        _released(archived, world.rep)
    assert not PoolEntry.objects.exists()


def test_release_without_a_pool_for_the_team_is_refused(world):
    _pool(world)
    with pytest.raises(ValidationError, match="no pool"):
        _released(world.west_co, world.rep_west)
    assert _holder(world.west_co)[0] == world.rep_west


# --- pool_claim ---------------------------------------------------------------------------------------------


def test_a_rep_claims_a_customer_from_the_pool(world):
    _pool(world)
    entry = _released(world.huawei, world.rep)
    party = svc.pool_claim(actor=world.mate, entry=entry)
    assert party.owner == world.mate and _holder(world.huawei) == (world.mate, world.east)
    assert not PoolEntry.objects.filter(pk=entry.pk).exists()
    claim = PoolClaim.objects.get(party=world.huawei)
    assert (claim.owner, claim.assigned) == (world.mate, False)
    assert _party_audit(world.huawei).first().changes["reason"] == [None, "Claimed from the pool"]


def test_at_the_cap_the_next_claim_is_refused_and_nothing_changes(world):
    _pool(world, max_per_rep=1)
    make_org(world.admin, "Mate's own", owner=world.mate)
    entry = _released(world.huawei, world.rep)
    audits = _party_audit(world.huawei).count()
    with pytest.raises(ValidationError, match="You hold 1 customers already, the most this pool allows"):
        svc.pool_claim(actor=world.mate, entry=entry)
    assert PoolEntry.objects.filter(pk=entry.pk).exists() and _holder(world.huawei) == (None, None)
    assert not PoolClaim.objects.exists() and _party_audit(world.huawei).count() == audits


def test_the_previous_owner_waits_for_the_cool_down(world):
    _pool(world, cooldown_days=7)
    entry = _released(world.huawei, world.rep)
    PoolEntry.objects.filter(pk=entry.pk).update(entered_at=timezone.now() - 6 * DAY)
    entered = PoolEntry.objects.get(pk=entry.pk).entered_at
    until = timezone.localtime(entered + 7 * DAY).date().isoformat()
    with pytest.raises(ValidationError, match=f"claim it again from {until}"):
        svc.pool_claim(actor=world.rep, entry=entry)
    assert PoolEntry.objects.filter(pk=entry.pk).exists()
    PoolEntry.objects.filter(pk=entry.pk).update(
        entered_at=timezone.now() - 7 * DAY - dt.timedelta(minutes=1)
    )
    assert svc.pool_claim(actor=world.rep, entry=entry).owner == world.rep


def test_a_rep_cannot_claim_from_another_teams_pool(world):
    _pool(world)
    entry = _released(world.huawei, world.rep)
    with pytest.raises(NotFoundError):
        svc.pool_claim(actor=world.rep_west, entry=entry)
    with pytest.raises(PermissionDeniedError):
        svc.pool_claim(actor=world.marketing, entry=entry)
    assert PoolEntry.objects.filter(pk=entry.pk).exists()


# --- pool_assign --------------------------------------------------------------------------------------------


def test_a_manager_assigns_to_a_rep_of_the_team_whatever_the_cap(world):
    _pool(world, max_per_rep=1)
    make_org(world.admin, "Mate's own", owner=world.mate)
    entry = _released(world.huawei, world.rep)
    party = svc.pool_assign(actor=world.manager, entry=entry, owner=world.mate)
    assert party.owner == world.mate and _holder(world.huawei) == (world.mate, world.east)
    assert PoolClaim.objects.get(party=world.huawei).assigned is True
    assert not PoolEntry.objects.exists()


def test_assigning_outside_the_team_or_without_the_right_is_refused(world):
    _pool(world)
    entry = _released(world.huawei, world.rep)
    for someone in (world.rep_west, world.buyer):
        with pytest.raises(ValidationError, match="Choose someone in your team"):
            svc.pool_assign(actor=world.manager, entry=entry, owner=someone)
    with pytest.raises(PermissionDeniedError):
        svc.pool_assign(actor=world.rep, entry=entry, owner=world.mate)
    assert PoolEntry.objects.filter(pk=entry.pk).exists() and not PoolClaim.objects.exists()


# --- pools_recycle ------------------------------------------------------------------------------------------


def _returned() -> dict:
    return dict(PoolEntry.objects.values_list("party__name", "reason"))


def test_no_activity_rule_spares_a_customer_followed_up_within_the_window(world):
    _pool(world, no_activity_days=30)
    followed = make_org(world.admin, "Followed Ltd", owner=world.rep)
    activity_create(
        actor=world.rep,
        record=followed,
        data={"kind": "call", "subject": "回访", "due_at": timezone.now() - 5 * DAY},
    )
    for p in (world.huawei, followed):
        _aged(p, 40)
    assert svc.pools_recycle() == 1
    assert _returned() == {"华为技术有限公司": "no_activity"}
    assert _holder(followed)[0] == world.rep


def test_an_overdue_call_done_today_is_a_follow_up(world):
    _pool(world, no_activity_days=30)
    call = activity_create(
        actor=world.rep,
        record=world.huawei,
        data={"kind": "call", "subject": "回访", "due_at": timezone.now() - 35 * DAY},
    )
    activity_complete(actor=world.rep, activity=call)
    _aged(world.huawei, 40)
    assert svc.pools_recycle() == 0


def test_no_opportunity_rule_spares_one_created_within_the_window(world):
    _pool(world, no_opportunity_days=30, exempt_open_opportunity=False)
    recent = make_org(world.admin, "Recent Ltd", owner=world.rep)
    open_one = make_org(world.admin, "Open Ltd", owner=world.rep)
    for customer, days in ((world.huawei, 40), (recent, 10), (open_one, 40)):
        o = make_opportunity(world.rep, customer)
        if customer is not open_one:
            opportunity_lose(actor=world.rep, opportunity=o, version=o.version, lost_reason=world.reason)
        Opportunity.objects.filter(pk=o.pk).update(created_at=timezone.now() - days * DAY)
        _aged(customer, 60)
    assert svc.pools_recycle() == 1
    assert _returned() == {"华为技术有限公司": "no_opportunity"}


def test_not_won_rule_spares_a_win_within_the_window(world):
    _pool(world, not_won_days=30, exempt_open_opportunity=False)
    winner = make_org(world.admin, "Winner Ltd", owner=world.rep)
    for customer, days in ((world.huawei, 40), (winner, 10)):
        o = make_opportunity(world.rep, customer, amount="1000")
        opportunity_win(actor=world.rep, opportunity=o, version=o.version)
        Opportunity.objects.filter(pk=o.pk).update(closed_on=timezone.localdate() - days * DAY)
        _aged(customer, 60)
    assert svc.pools_recycle() == 1
    assert _returned() == {"华为技术有限公司": "not_won"}


@pytest.mark.parametrize("exempt", [True, False])
def test_an_open_opportunity_keeps_the_customer_when_the_pool_says_so(world, exempt):
    _pool(world, no_activity_days=30, exempt_open_opportunity=exempt)
    make_opportunity(world.rep, world.huawei)
    _aged(world.huawei, 40)
    assert svc.pools_recycle() == (0 if exempt else 1)
    assert _holder(world.huawei)[0] == (world.rep if exempt else None)


def test_a_customer_claimed_within_the_window_stays(world):
    _pool(world, no_activity_days=30, cooldown_days=0)
    svc.pool_claim(actor=world.mate, entry=_released(world.huawei, world.rep))
    _aged(world.huawei, 40)
    assert svc.pools_recycle() == 0
    PoolClaim.objects.update(at=timezone.now() - 31 * DAY)
    assert svc.pools_recycle() == 1
    assert PoolEntry.objects.get().previous_owner == world.mate


def test_a_teamless_pool_takes_customers_of_teams_without_a_pool(world, make_user):
    east = _pool(world, no_activity_days=30)
    everyone = svc.pool_save(
        actor=world.admin, pool=None, data={"name_en": "Everyone else", "no_activity_days": 30}
    )
    loner = make_user("loner", roles=[R.SALES_REP])
    lonely = make_org(world.admin, "Lonely Ltd", owner=loner)
    for p in (world.huawei, world.west_co, lonely):
        _aged(p, 40)
    assert svc.pools_recycle() == 3
    pools = dict(PoolEntry.objects.values_list("party__name", "pool"))
    assert pools == {"华为技术有限公司": east.pk, "West Co": everyone.pk, "Lonely Ltd": everyone.pk}


def test_recycling_twice_returns_each_once_and_tells_the_former_owner(
    world, django_capture_on_commit_callbacks
):
    _pool(world, no_activity_days=30)
    _aged(world.huawei, 40)
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.pools_recycle() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.pools_recycle() == 0
    assert PoolEntry.objects.get().reason == "no_activity"
    told = Notification.objects.get(event="pool.returned")
    assert told.recipient == world.rep and "华为技术有限公司 went back to the pool" in told.title
    assert _party_audit(world.huawei).filter(actor=None).count() == 1


def test_the_owner_is_warned_once_in_the_warn_window_and_again_after_it(
    world, django_capture_on_commit_callbacks
):
    _pool(world, no_activity_days=30, warn_days=3)
    now = timezone.now()
    _aged(world.huawei, 28.5, now)  # due in 1.5 days
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.pools_warn(now=now - 2 * DAY) == 0  # due in 3.5 days: not yet
        assert svc.pools_warn(now=now) == 1
        assert svc.pools_warn(now=now + DAY) == 0  # warned already
    # The owner followed up 24 days ago: due again in 6 days. Warned again once the warn period has passed.
    activity_create(
        actor=world.rep, record=world.huawei, data={"kind": "call", "subject": "x", "due_at": now - 24 * DAY}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.pools_warn(now=now + 2 * DAY) == 0  # due in 4 days
        assert svc.pools_warn(now=now + 5 * DAY) == 1
    warnings = Notification.objects.filter(event="pool.warning", recipient=world.rep)
    assert warnings.count() == 2 and "goes back to the pool by" in warnings.first().title
    assert svc.pools_recycle(now=now + 5 * DAY) == 0 and svc.pools_recycle(now=now + 7 * DAY) == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days_ago=st.integers(min_value=0, max_value=90), rule=st.integers(min_value=1, max_value=60))
@example(days_ago=30, rule=30)
@example(days_ago=31, rule=30)
def test_a_customer_without_activity_returns_iff_older_than_the_rule(world, days_ago, rule):
    pool = Pool.objects.first() or _pool(world)
    Pool.objects.filter(pk=pool.pk).update(no_activity_days=rule)
    now = timezone.now()
    customer = _aged(make_org(world.admin, owner=world.rep), days_ago, now)
    svc.pools_recycle(now=now)
    assert PoolEntry.objects.filter(party=customer).exists() == (days_ago > rule)
    PoolEntry.objects.all().delete()
    Party.objects.filter(is_customer=True).exclude(pk=customer.pk).update(created_at=now)

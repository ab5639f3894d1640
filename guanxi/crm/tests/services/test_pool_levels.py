"""Customer levels (客户等级) and the pools' rules per level: a key account kept longer or never returned, a
small customer returned sooner, the others by the pool's own rules; the level set by who may change the
customer, audited; the same through the API (with the rest of the pools API: claim, assign, release, 查重)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.tests.api.helpers import ApiClient, ok, problem
from guanxi.crm.models import CustomerAccount, PoolEntry
from guanxi.crm.services import pools as svc
from guanxi.crm.services.accounts import customer_level_set
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _aged(party, days: float) -> None:
    Party.objects.filter(pk=party.pk).update(created_at=timezone.now() - days * DAY)


def _customers(world, *levels):
    out = []
    for i, level in enumerate(levels):
        party = make_org(world.admin, f"客户{i} 有限公司", owner=world.rep)
        if level:
            customer_level_set(actor=world.rep, party=party, level=level)
        _aged(party, 60)
        out.append(party)
    return out


def test_each_level_follows_its_own_rule_and_the_others_the_pools(world):
    key, important, regular, small, none = _customers(world, "a", "b", "c", "d", "")
    svc.pool_save(
        actor=world.manager,
        pool=None,
        data={
            "name_en": "East pool",
            "teams": [world.east.pk],
            "no_activity_days": 45,
            "level_rules": [
                {"level": "a", "never": True},
                {"level": "b", "no_activity_days": 90},
                {"level": "d", "no_activity_days": 20},
                {"level": "c"},  # says nothing: dropped, the pool's rule applies
            ],
        },
    )
    returned = svc.pools_recycle()
    back = set(PoolEntry.objects.values_list("party_id", flat=True))
    # 60 days without a follow-up: over the pool's 45 and d's 20, under b's 90; a never returns.
    assert back == {regular.pk, small.pk, none.pk}  # (华为 of the world is new: not due)
    assert key.pk not in back and important.pk not in back
    assert returned == len(back)


def test_level_rules_are_checked_and_audited(world):
    with pytest.raises(ValidationError) as exc:
        svc.pool_save(
            actor=world.manager,
            pool=None,
            data={
                "name_en": "P",
                "level_rules": [{"level": "a", "never": True}, {"level": "a"}, {"level": "z"}],
            },
        )
    assert "level_rules[1]" in exc.value.message_dict and "level_rules[2]" in exc.value.message_dict
    with pytest.raises(ValidationError):
        svc.pool_save(
            actor=world.manager,
            pool=None,
            data={"name_en": "P", "level_rules": [{"level": "b", "no_activity_days": 0}]},
        )
    pool = svc.pool_save(
        actor=world.manager, pool=None, data={"name_en": "P", "level_rules": [{"level": "a", "never": True}]}
    )
    pool = svc.pool_save(
        actor=world.manager,
        pool=pool,
        version=pool.version,
        data={"level_rules": [{"level": "b", "no_activity_days": 90, "not_won_days": 365}]},
    )
    entry = AuditEntry.objects.filter(target_type="crm.pool", target_id=str(pool.pk)).latest("id")
    rule = {"never": False, "no_activity_days": None, "no_opportunity_days": None, "not_won_days": None}
    assert entry.changes["level_rules"] == [  # codes and numbers: read in the reader's language
        [{**rule, "level": "a", "never": True}],
        [{**rule, "level": "b", "no_activity_days": 90, "not_won_days": 365}],
    ]


def test_the_level_is_set_by_who_may_change_the_customer_and_audited(world):
    customer_level_set(actor=world.rep, party=world.huawei, level="a")
    assert CustomerAccount.objects.get(party=world.huawei).level == "a"
    entry = AuditEntry.objects.filter(target_type="parties.party", target_id=str(world.huawei.pk)).latest(
        "id"
    )
    assert entry.changes == {"customer_level": [None, "a"]}  # the code: shown in the reader's language
    with pytest.raises(ValidationError):
        customer_level_set(actor=world.rep, party=world.huawei, level="x")
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        customer_level_set(actor=world.rep_west, party=world.huawei, level="d")
    customer_level_set(actor=world.rep, party=world.huawei, level="")
    assert CustomerAccount.objects.get(party=world.huawei).level == ""


def test_the_pools_api(world):
    rep, manager, mate = ApiClient(world.rep), ApiClient(world.manager), ApiClient(world.mate)
    pool = ok(
        manager.post(
            "/pools",
            {"name_en": "East pool", "teams": [world.east.pk], "no_activity_days": 30,
             "level_rules": [{"level": "a", "never": True}]},
        ),
        201,
    )  # fmt: skip
    assert pool["level_rules"][0]["never"] is True and pool["teams"] == ["East"]
    problem(rep.post("/pools", {"name_en": "Mine"}), 403)
    problem(manager.put(f"/pools/{pool['id']}", {"name_en": "East", "version": 99}), 409)
    assert (
        ok(
            manager.put(
                f"/pools/{pool['id']}",
                {"name_en": "East", "teams": [world.east.pk], "version": pool["version"]},
            )
        )["name_en"]
        == "East"
    )
    assert [p["id"] for p in ok(rep.get("/pools"))] == [pool["id"]]
    entry = ok(rep.post(f"/customers/{world.huawei.pk}/release"), 201)
    listed = ok(mate.get(f"/pools/{pool['id']}/customers"))
    assert [e["id"] for e in listed["items"]] == [entry["id"]] and listed["items"][0][
        "name"
    ] == "华为技术有限公司"
    assert ok(mate.post(f"/pool-entries/{entry['id']}/claim")) == {
        "customer": world.huawei.pk,
        "owner": "mate",
    }
    problem(rep.post(f"/pool-entries/{entry['id']}/claim"), 404)  # taken first
    again = ok(mate.post(f"/customers/{world.huawei.pk}/release"), 201)
    assert ok(manager.post(f"/pool-entries/{again['id']}/assign", {"owner": world.rep.pk}))["owner"] == "rep"
    problem(rep.post(f"/pool-entries/{again['id']}/assign", {"owner": world.rep.pk}), 403)
    assert ok(rep.put(f"/customers/{world.huawei.pk}/level", {"level": "b"})) == {
        "customer": world.huawei.pk,
        "level": "b",
    }
    problem(rep.put(f"/customers/{world.huawei.pk}/level", {"level": "z"}), 422)
    hits = ok(ApiClient(world.rep_west).get("/check", {"q": "华为技术有限公司"}))
    assert hits and hits[0]["customer"] is None and hits[0]["name"] is None and hits[0]["held_by"]
    assert ok(rep.get("/check", {"q": "华为技术有限公司"}))[0]["customer"] == world.huawei.pk
    problem(rep.get("/check", {"q": "x"}), 422)


def test_the_pool_form_and_the_customer_level_card(world, client):
    from guanxi.core.tests.factories import PASSWORD

    assert client.login(username="boss", password=PASSWORD)
    page = client.get("/sales/settings/pools/new/").content.decode()
    assert 'id="level-rules"' in page and "A · key account" in page
    r = client.post(
        "/sales/settings/pools/new/",
        {"name_en": "East pool", "teams": [world.east.pk], "warn_days": 3, "cooldown_days": 30,
         "level-a_never": "on", "level-d_no_activity_days": "20", "level-b_no_activity_days": "0"},
    )  # fmt: skip
    assert r.status_code == 200 and "3650" in r.content.decode()  # 0 days refused, the input kept
    r = client.post(
        "/sales/settings/pools/new/",
        {"name_en": "East pool", "teams": [world.east.pk], "warn_days": 3, "cooldown_days": 30,
         "level-a_never": "on", "level-d_no_activity_days": "20"},
    )  # fmt: skip
    assert r.status_code == 302
    from guanxi.crm.models import Pool

    rules = {(r.level, r.never, r.no_activity_days) for r in Pool.objects.get().level_rules.all()}
    assert rules == {("a", True, None), ("d", False, 20)}
    edit = client.get(f"/sales/settings/pools/{Pool.objects.get().pk}/").content.decode()
    assert 'name="level-d_no_activity_days" value="20"' in edit  # what was saved, shown again
    assert client.login(username="rep", password=PASSWORD)
    page = client.get(f"/parties/{world.huawei.pk}/").content.decode()
    assert 'id="card-customer-level"' in page and "No level yet." in page
    r = client.post(f"/sales/customers/{world.huawei.pk}/level/", {"level": "a"})
    assert r.status_code == 302 and CustomerAccount.objects.get(party=world.huawei).level == "a"


def test_a_customer_with_a_sales_order_in_progress_can_be_kept(world):
    from guanxi.core.tests.factories import make_company
    from guanxi.crm.services.order_delivery import order_close
    from guanxi.crm.tests.services.test_receivables import make_order

    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    (ordered,) = _customers(world, "")
    order = make_order(world.rep, ordered)
    _aged(ordered, 60)
    pool = svc.pool_save(
        actor=world.manager,
        pool=None,
        data={
            "name_en": "East pool",
            "teams": [world.east.pk],
            "no_activity_days": 45,
            "exempt_open_order": True,
        },
    )
    assert svc.pools_recycle() == 0  # its order is confirmed: kept
    order_close(actor=world.rep, order=order, version=order.version, reason="客户不再需要")
    assert svc.pools_recycle() == 1  # closed: nothing in progress any more
    assert PoolEntry.objects.get().party_id == ordered.pk and pool.exempt_open_order


def test_the_history_reads_the_level_in_the_readers_language(world):
    from django.utils import translation

    from guanxi.core.audit_display import change_lines

    with translation.override("zh-hans"):
        customer_level_set(actor=world.rep, party=world.huawei, level="a")
    entry = AuditEntry.objects.filter(target_type="parties.party", target_id=str(world.huawei.pk)).latest(
        "id"
    )
    with translation.override("en"):
        (line,) = change_lines(entry)
        assert (str(line.label), str(line.new)) == ("Customer level", "A · key account")
    with translation.override("zh-hans"):
        (line,) = change_lines(entry)
        assert (str(line.label), str(line.new)) == ("客户等级", "A · 重点客户")

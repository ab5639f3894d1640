"""Creating, editing and moving opportunities: defaults, what is checked, optimistic locking, who may change
what (the customers area's own / team / all, and 协作人), and what is audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core import roles as R
from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.selectors.users import history_for
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Opportunity
from guanxi.crm.selectors.opportunities import opportunity_get
from guanxi.crm.services import opportunities as svc
from guanxi.crm.services.pipelines import lost_reason_save, pipeline_create, stage_create, stage_update
from guanxi.crm.tests.factories import make_opportunity
from guanxi.parties.services.parties import party_archive
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def _fields_of(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def _entries(o):
    return AuditEntry.objects.filter(target_type="crm.opportunity", target_id=str(o.pk)).order_by("id")


def test_a_new_opportunity_gets_its_defaults_from_the_pipeline_and_the_actor(world):
    before = timezone.now()
    o = make_opportunity(world.rep, world.huawei)
    o.refresh_from_db()
    first_open = world.pipeline.stages.filter(kind="open").order_by("position", "id").first()
    assert o.pipeline == world.pipeline and o.stage == first_open == world.stages["Qualification"]
    assert o.state == "open" and o.closed_on is None and o.lost_reason is None
    assert o.owner == world.rep and o.team == world.east and o.created_by == world.rep
    assert o.currency_id == "CNY"  # no company of ours yet
    assert o.probability == first_open.probability and not o.probability_set
    assert o.version == 1 and o.stage_changed_at >= before
    assert o.amount is None and o.expected_close == dt.date(2026, 12, 31)


def test_the_default_currency_is_the_default_companys(world):
    make_company(world.admin, default_currency="USD")
    assert make_opportunity(world.rep, world.huawei).currency_id == "USD"
    assert make_opportunity(world.rep, world.huawei, currency="eur").currency_id == "EUR"


def test_the_first_open_stage_is_found_by_position_and_kind(world):
    early = stage_create(actor=world.admin, pipeline=world.pipeline, data={"name_en": "Lead", "position": 0})
    assert make_opportunity(world.rep, world.huawei).stage == early
    other = pipeline_create(actor=world.admin, data={"name_en": "Renewals"})
    # A closing stage first in its pipeline is still not where a new opportunity goes.
    stage_update(actor=world.admin, stage=other.stages.get(kind="won"), data={"position": 0})
    o = make_opportunity(world.rep, world.huawei, pipeline=other.pk)
    assert o.pipeline == other and o.stage == other.stages.get(name_en="Qualification")


def test_the_team_is_the_owners_first_team_and_a_probability_given_is_kept(world, make_user):
    both = make_user("both", roles=[R.SALES_REP], teams=[world.west, world.east])
    o = make_opportunity(world.admin, world.huawei, owner=both.pk, probability="45")
    assert o.owner == both and o.team == world.west
    assert o.probability == 45 and o.probability_set
    assert make_opportunity(world.admin, world.huawei, owner=world.rep).team == world.east


def _west_person(w):
    return make_person(w.rep_west, "李雷", organization=w.west_co)


BAD = [
    ("empty name", lambda w: {"name": "   "}, "name"),
    ("long name", lambda w: {"name": "x" * 201}, "name"),
    ("control char in name", lambda w: {"name": "a\x00b"}, "name"),
    ("customer of West", lambda w: {"customer": w.west_co.pk}, "customer"),
    ("unknown customer", lambda w: {"customer": 10**12}, "customer"),
    ("customer not a number", lambda w: {"customer": "huawei"}, "customer"),
    ("negative amount", lambda w: {"amount": "-1"}, "amount"),
    ("three places in CNY", lambda w: {"amount": "1.234"}, "amount"),
    ("places in JPY", lambda w: {"amount": "100.5", "currency": "JPY"}, "amount"),
    ("amount as a float", lambda w: {"amount": 1.5}, "amount"),
    ("amount not a number", lambda w: {"amount": "lots"}, "amount"),
    ("unknown currency", lambda w: {"currency": "XYZ"}, "currency"),
    ("not a currency code", lambda w: {"currency": "12"}, "currency"),
    ("no expected close", lambda w: {"expected_close": None}, "expected_close"),
    ("impossible date", lambda w: {"expected_close": "2026-02-30"}, "expected_close"),
    ("date out of range", lambda w: {"expected_close": "1800-01-01"}, "expected_close"),
    ("probability over 100", lambda w: {"probability": 101}, "probability"),
    ("probability under 0", lambda w: {"probability": -1}, "probability"),
    ("probability not whole", lambda w: {"probability": "50.5"}, "probability"),
    ("long next step", lambda w: {"next_step": "x" * 201}, "next_step"),
    ("tab in next step", lambda w: {"next_step": "call\tback"}, "next_step"),
    ("long competitors", lambda w: {"competitors": "x" * 201}, "competitors"),
    ("long description", lambda w: {"description": "x" * 10001}, "description"),
    ("bell in description", lambda w: {"description": "a\x07b"}, "description"),
    ("unknown member", lambda w: {"members": [10**9]}, "members"),
    ("member not an id", lambda w: {"members": ["mate"]}, "members"),
    ("member without opportunities", lambda w: {"members": [w.service.pk]}, "members"),
    ("contact is an organization", lambda w: {"contacts": [w.huawei.pk]}, "contacts"),
    ("contact not visible", lambda w: {"contacts": [_west_person(w).pk]}, "contacts"),
    ("contact twice", lambda w: {"contacts": [w.zhang.pk, {"contact": w.zhang.pk}]}, "contacts"),
    ("unknown contact role", lambda w: {"contacts": [{"contact": w.zhang.pk, "role": "boss"}]}, "contacts"),
    ("unknown stage", lambda w: {"stage": 10**9}, "stage"),
    ("unknown pipeline", lambda w: {"pipeline": 10**9}, "pipeline"),
    ("lost without reason", lambda w: {"stage": w.stages["Lost"].pk}, "lost_reason"),
    ("won without amount", lambda w: {"stage": w.stages["Won"].pk}, "amount"),
    ("unknown lost reason", lambda w: {"lost_reason": 10**9}, "lost_reason"),
    ("owner is a buyer", lambda w: {"owner": w.buyer.pk}, "owner"),
    ("owner of another team", lambda w: {"owner": w.rep_west.pk}, "owner"),
]


def test_bad_input_is_refused_on_its_field_and_nothing_is_written(world):
    # One world for every case (each create is its own transaction, rolled back when refused): fast.
    for case, make, field in BAD:
        data = {"name": "Deal", "customer": world.huawei.pk, "expected_close": "2026-12-31", **make(world)}
        with pytest.raises(ValidationError) as exc:
            svc.opportunity_create(actor=world.rep, data=data)
        assert field in exc.value.message_dict, (case, exc.value.message_dict)
    assert not Opportunity.objects.exists()
    assert not AuditEntry.objects.filter(target_type="crm.opportunity").exists()


def test_every_problem_is_reported_at_once(world):
    errors = _fields_of(
        lambda: make_opportunity(world.rep, world.huawei, name="", amount="-5", expected_close="soon")
    )
    assert {"name", "amount", "expected_close"} <= set(errors)


def test_an_archived_or_supplier_only_party_is_not_a_customer(world):
    old = make_org(world.admin, "旧客户", owner=world.rep)
    party_archive(actor=world.admin, party=old)
    assert "archived" in _fields_of(lambda: make_opportunity(world.rep, old))["customer"][0]
    supplier = make_org(world.admin, "Parts Ltd", customer=False, supplier=True)
    assert "only a supplier" in _fields_of(lambda: make_opportunity(world.admin, supplier))["customer"][0]
    # A rep does not even see a supplier: the same field, another message.
    assert "only a supplier" not in _fields_of(lambda: make_opportunity(world.rep, supplier))["customer"][0]


def test_a_buyer_cannot_hold_a_customers_opportunity_even_from_an_administrator(world):
    errors = _fields_of(lambda: make_opportunity(world.admin, world.huawei, owner=world.buyer))
    assert "cannot hold" in errors["owner"][0]


@pytest.fixture
def deal(world):
    return make_opportunity(
        world.rep,
        world.huawei,
        amount="120000.50",
        next_step="报价",
        members=[world.mate.pk],
        contacts=[{"contact": world.zhang.pk, "role": "decision_maker"}],
    )


def test_an_update_changes_only_the_fields_given(world, deal):
    o = svc.opportunity_update(actor=world.rep, opportunity=deal, version=1, data={"amount": "5000"})
    o.refresh_from_db()
    assert o.amount == Decimal("5000") and o.version == 2
    assert (o.name, o.next_step, o.expected_close) == ("Core switches", "报价", dt.date(2026, 12, 31))
    assert list(o.members.all()) == [world.mate]
    assert [(c.contact, c.role) for c in o.contact_roles.all()] == [(world.zhang, "decision_maker")]


def test_an_update_with_nothing_new_keeps_the_version_and_writes_no_entry(world, deal):
    entries = _entries(deal).count()
    o = svc.opportunity_update(
        actor=world.rep, opportunity=deal, version=1, data={"name": " Core  switches "}
    )
    o.refresh_from_db()
    assert o.version == 1 and _entries(deal).count() == entries


def test_what_an_update_refuses(world, deal):
    assert "stage" in _fields_of(
        lambda: svc.opportunity_update(
            actor=world.rep, opportunity=deal, version=1, data={"stage": world.stages["Won"].pk}
        )
    )
    assert "amount" in _fields_of(  # 120000.50 has places the yen has not
        lambda: svc.opportunity_update(actor=world.rep, opportunity=deal, version=1, data={"currency": "JPY"})
    )
    won = svc.opportunity_win(actor=world.rep, opportunity=deal, version=1)
    for data, field in (({"amount": ""}, "amount"), ({"probability": 50}, "probability")):
        assert field in _fields_of(
            lambda data=data: svc.opportunity_update(
                actor=world.rep, opportunity=won, version=won.version, data=data
            )
        )
    won.refresh_from_db()
    assert won.amount == Decimal("120000.50") and won.probability == 100


def test_clearing_the_probability_gives_back_the_stages(world):
    o = make_opportunity(world.rep, world.huawei, probability=55)
    o = svc.opportunity_update(actor=world.rep, opportunity=o, version=1, data={"probability": None})
    assert o.probability == world.stages["Qualification"].probability and not o.probability_set


def test_a_stale_version_is_a_conflict_and_a_missing_one_a_validation_error(world, deal):
    svc.opportunity_update(actor=world.mate, opportunity=deal, version=1, data={"name": "Routers"})
    with pytest.raises(ConflictError):
        svc.opportunity_update(actor=world.rep, opportunity=deal, version=1, data={"name": "Mine"})
    with pytest.raises(ConflictError):
        svc.opportunity_move(actor=world.rep, opportunity=deal, stage=world.stages["Proposal"], version=1)
    for version in (None, "", "two"):
        assert "version" in _fields_of(
            lambda v=version: svc.opportunity_update(actor=world.rep, opportunity=deal, version=v, data={})
        )
    deal.refresh_from_db()
    assert deal.name == "Routers" and deal.version == 2 and deal.stage == world.stages["Qualification"]


def _move(w, o, stage, **kw):
    return svc.opportunity_move(actor=w.rep, opportunity=o, stage=w.stages[stage].pk, version=o.version, **kw)


def test_the_probability_follows_the_stage_unless_set_by_hand(world):
    o = make_opportunity(world.rep, world.huawei)
    for name in ("Proposal", "Needs analysis", "Negotiation"):
        o = _move(world, o, name)
        assert o.probability == world.stages[name].probability and o.stage == world.stages[name]
    assert o.version == 4
    kept = _move(world, make_opportunity(world.rep, world.huawei, probability=55), "Negotiation")
    assert kept.probability == 55 and kept.probability_set
    same = _move(world, kept, "Negotiation")  # where it is already: nothing changes
    assert same.version == kept.version == 2 and _entries(kept).count() == 2


def test_winning_needs_an_amount_and_losing_a_reason(world):
    o = make_opportunity(world.rep, world.huawei)
    assert "amount" in _fields_of(lambda: svc.opportunity_win(actor=world.rep, opportunity=o, version=1))
    assert "lost_reason" in _fields_of(
        lambda: svc.opportunity_lose(actor=world.rep, opportunity=o, version=1, lost_reason=None)
    )
    gone = lost_reason_save(actor=world.admin, reason=None, data={"name_en": "Old", "archived": True})
    assert "lost_reason" in _fields_of(
        lambda: svc.opportunity_lose(actor=world.rep, opportunity=o, version=1, lost_reason=gone.pk)
    )
    o.refresh_from_db()
    assert o.state == "open" and o.version == 1
    o = svc.opportunity_lose(
        actor=world.rep, opportunity=o, version=1, lost_reason=world.reason.pk, lost_note=" 价格 "
    )
    assert (o.state, o.stage, o.probability) == ("lost", world.stages["Lost"], 0)
    assert o.lost_reason == world.reason and o.lost_note == "价格" and o.closed_on == timezone.localdate()


def test_a_closed_opportunity_moves_only_after_reopening(world):
    o = make_opportunity(world.rep, world.huawei, amount="10")
    o = svc.opportunity_win(actor=world.rep, opportunity=o, version=1)
    assert (o.state, o.probability, o.closed_on) == ("won", 100, timezone.localdate())
    assert "stage" in _fields_of(lambda: _move(world, o, "Proposal"))
    o = svc.opportunity_reopen(actor=world.rep, opportunity=o, version=o.version)
    assert _move(world, o, "Proposal").stage == world.stages["Proposal"]


def test_a_stage_of_another_pipeline_is_refused(world):
    other = pipeline_create(actor=world.admin, data={"name_en": "Renewals"})
    o = make_opportunity(world.rep, world.huawei)
    for stage in (other.stages.get(name_en="Proposal"), "abc"):
        assert "stage" in _fields_of(
            lambda s=stage: svc.opportunity_move(actor=world.rep, opportunity=o, stage=s, version=1)
        )
    assert Opportunity.objects.get(pk=o.pk).stage == world.stages["Qualification"]


def test_reopening_goes_back_to_the_last_open_stage_and_forgets_why_it_was_lost(world):
    o = make_opportunity(world.rep, world.huawei)
    o = svc.opportunity_lose(
        actor=world.rep, opportunity=o, version=1, lost_reason=world.reason, lost_note="x"
    )
    assert "stage" in _fields_of(  # a closing stage is not where a reopened one goes
        lambda: svc.opportunity_reopen(
            actor=world.rep, opportunity=o, version=2, stage=world.stages["Won"].pk
        )
    )
    o = svc.opportunity_reopen(actor=world.rep, opportunity=o, version=2)
    last_open = world.pipeline.stages.filter(kind="open").order_by("-position").first()
    assert o.stage == last_open == world.stages["Negotiation"] and o.state == "open"
    assert o.lost_reason is None and o.lost_note == "" and o.closed_on is None
    assert o.probability == last_open.probability and o.version == 3
    assert "stage" in _fields_of(lambda: svc.opportunity_reopen(actor=world.rep, opportunity=o, version=3))


def test_reopening_does_not_keep_the_closing_stages_probability(world):
    o = make_opportunity(world.rep, world.huawei, probability=55)
    o = svc.opportunity_lose(actor=world.rep, opportunity=o, version=1, lost_reason=world.reason)
    o = svc.opportunity_reopen(actor=world.rep, opportunity=o, version=o.version)
    assert o.probability in (55, o.stage.probability)


def test_a_teammate_changes_the_teams_opportunity_as_their_own(world, deal):
    # record_rules.reach_q: "own" = owned by the user OR belonging to one of the user's teams.
    assert deal.team == world.east and deal.owner == world.rep
    o = _move(world, deal, "Proposal")
    o = svc.opportunity_update(
        actor=world.mate, opportunity=o, version=o.version, data={"owner": world.mate.pk}
    )
    assert o.owner == world.mate and o.team == world.east


def test_another_teams_rep_does_not_even_see_it(world, deal):
    calls = [
        lambda: svc.opportunity_update(actor=world.rep_west, opportunity=deal, version=1, data={"name": "x"}),
        lambda: svc.opportunity_move(
            actor=world.rep_west, opportunity=deal, stage=world.stages["Won"], version=1
        ),
        lambda: svc.opportunity_reopen(actor=world.rep_west, opportunity=deal, version=1),
    ]
    for call in calls:
        with pytest.raises(NotFoundError):
            call()


@pytest.mark.parametrize("who", ["executive", "marketing", "service", "buyer"])
def test_roles_without_opportunity_change_change_nothing(world, deal, who):
    actor = getattr(world, who)
    with pytest.raises(PermissionDeniedError):
        make_opportunity(actor, world.huawei)
    with pytest.raises(PermissionDeniedError):
        svc.opportunity_update(actor=actor, opportunity=deal, version=1, data={"name": "x"})
    with pytest.raises(PermissionDeniedError):
        svc.opportunity_move(actor=actor, opportunity=deal, stage=world.stages["Proposal"], version=1)
    assert Opportunity.objects.get(pk=deal.pk).version == 1


def test_a_service_agent_cannot_even_view(world, deal):
    with pytest.raises(PermissionDeniedError):
        opportunity_get(actor=world.service, pk=deal.pk)


def test_a_team_member_edits_but_does_not_reassign(world, deal):
    o = svc.opportunity_update(
        actor=world.rep, opportunity=deal, version=1, data={"members": [world.rep_west]}
    )
    assert opportunity_get(actor=world.rep_west, pk=o.pk, mode="edit") == o
    o = svc.opportunity_update(actor=world.rep_west, opportunity=o, version=2, data={"next_step": "演示"})
    assert o.next_step == "演示" and o.version == 3
    for data in ({"owner": world.rep_west.pk}, {"members": []}):
        with pytest.raises(PermissionDeniedError):
            svc.opportunity_update(actor=world.rep_west, opportunity=o, version=3, data=data)
    o.refresh_from_db()
    assert o.owner == world.rep and list(o.members.all()) == [world.rep_west]


def test_a_rep_keeps_opportunities_in_their_team(world, deal):
    errors = _fields_of(
        lambda: svc.opportunity_update(
            actor=world.rep, opportunity=deal, version=1, data={"owner": world.rep_west}
        )
    )
    assert "outside your team" in errors["owner"][0]
    assert "owner" in _fields_of(
        lambda: svc.opportunity_update(
            actor=world.rep, opportunity=deal, version=1, data={"owner": world.buyer}
        )
    )
    assert Opportunity.objects.get(pk=deal.pk).owner == world.rep


def test_create_and_each_move_are_audited_on_the_opportunity_and_its_customer(world, deal):
    o = _move(world, deal, "Proposal")
    o = svc.opportunity_win(actor=world.rep, opportunity=o, version=o.version)
    created, moved, won = _entries(o)
    assert created.action == "create" and created.actor == world.rep
    assert created.changes["name"] == [None, "Core switches"]
    assert created.changes["stage"] == [None, "Qualification"]
    assert created.changes["contacts"] == [None, ["张伟 (Decision maker)"]]
    assert moved.action == "update" and moved.changes["stage"] == ["Qualification", "Proposal"]
    assert moved.changes["probability"] == [10, 60]
    assert won.changes["stage"] == ["Proposal", "Won"] and won.changes["state"] == ["open", "won"]
    on_customer = history_for(subject_type="parties.party", subject_id=world.huawei.pk)
    assert {created.pk, moved.pk, won.pk} <= set(on_customer.values_list("pk", flat=True))
    assert all(e.links.filter(subject_type="parties.party").exists() for e in (created, moved, won))


def test_a_refused_move_writes_no_entry(world, deal):
    with pytest.raises(ValidationError):
        svc.opportunity_win(actor=world.rep, opportunity=make_opportunity(world.rep, world.huawei), version=1)
    with pytest.raises(ConflictError):
        svc.opportunity_move(actor=world.rep, opportunity=deal, stage=world.stages["Proposal"], version=9)
    assert _entries(deal).count() == 1

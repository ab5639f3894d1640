"""The kanban board: a column per open stage with its first cards and its totals (count, amount, weighted in the
home currency), warning badges, and a number of queries that does not grow with the cards."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guanxi.activities.services.activities import activity_complete, activity_create
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.crm.models import Opportunity
from guanxi.crm.selectors.board import board
from guanxi.crm.selectors.opportunities import OpportunityFilters
from guanxi.crm.services.opportunities import opportunity_move, opportunity_win
from guanxi.crm.services.pipelines import pipeline_update, stage_archive, stage_create
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db
OPEN = ["Qualification", "Needs analysis", "Proposal", "Negotiation"]
CENT = Decimal("0.01")


def _board(w, actor=None, per_column=30, **filters):
    return board(
        actor=actor or w.rep,
        pipeline=w.pipeline,
        filters=OpportunityFilters(**filters),
        per_column=per_column,
    )


def _column(b, name):
    return next(c for c in b.columns if c.stage.name_en == name)


def _half_up(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def test_a_column_for_each_open_stage_in_order(world):
    b = _board(world)
    assert [c.stage.name_en for c in b.columns] == OPEN
    assert (b.won, b.lost) == (world.stages["Won"], world.stages["Lost"])
    assert all(
        c.cards == [] and c.total.count == 0 and c.total.amount == 0 and c.more == 0 for c in b.columns
    )
    lead = stage_create(actor=world.manager, pipeline=world.pipeline, data={"name_en": "Lead", "position": 0})
    stage_archive(actor=world.manager, stage=world.stages["Needs analysis"])
    assert [c.stage for c in _board(world).columns] == [lead] + [
        world.stages[n] for n in OPEN if n != "Needs analysis"
    ]


def test_closed_opportunities_and_those_out_of_sight_are_not_on_the_board(world):
    mine = make_opportunity(world.rep, world.huawei, "Mine", amount="10")
    won = opportunity_win(
        actor=world.rep, opportunity=make_opportunity(world.rep, world.huawei, amount="5"), version=1
    )
    make_opportunity(world.rep_west, world.west_co, "West's", amount="99")
    b = _board(world, state="won", stage=world.stages["Won"].pk, sort="name")  # the board sets its own
    assert _column(b, "Qualification").cards == [mine] and b.total.count == 1 and b.total.amount == 10
    assert won.state == "won" and _board(world, owner="me").total.count == 1
    assert _board(world, actor=world.admin).total.count == 2
    assert _board(world, actor=world.mate, owner="me").total.count == 0
    with pytest.raises(PermissionDeniedError):
        _board(world, actor=world.buyer)
    with pytest.raises(ValidationError):
        _board(world, close_month="soon")


AMOUNTS = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2))
CARDS = st.lists(
    st.tuples(st.integers(0, 3), AMOUNTS, st.one_of(st.none(), st.integers(0, 100))), min_size=1, max_size=8
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cards=CARDS)
@example(cards=[(0, Decimal("150"), 33), (2, Decimal("0.05"), 50)])
def test_column_totals_are_the_sums_of_their_cards(world, cards):
    Opportunity.objects.all().delete()  # examples share the test's database
    made = []
    for i, (stage, amount, probability) in enumerate(cards):
        data = {
            "stage": world.stages[OPEN[stage]].pk,
            "expected_close": dt.date(2026, 1, 1) + dt.timedelta(days=i),
        }
        if amount is not None:
            data["amount"] = str(amount)
        if probability is not None:
            data["probability"] = probability
        made.append(make_opportunity(world.rep, world.huawei, f"Deal {i}", **data))
    b = _board(world)
    for column in b.columns:
        mine = [o for o in made if o.stage_id == column.stage.pk]
        assert [o.pk for o in column.cards] == [o.pk for o in mine]
        assert column.total.count == len(mine) and column.total.currency == "CNY"
        assert column.total.amount == _half_up(sum(o.amount or 0 for o in mine))
        assert column.total.weighted == _half_up(
            sum((o.amount or Decimal(0)) * o.probability / 100 for o in mine)
        )
        assert column.total.missing_rates == []
    assert b.total.count == len(made)
    assert b.total.amount == sum(c.total.amount for c in b.columns)
    assert b.total.weighted == sum(c.total.weighted for c in b.columns)


def test_the_weighted_total_of_a_whole_amount(world):
    make_opportunity(world.rep, world.huawei, amount="150", probability=33)
    assert _column(_board(world), "Qualification").total.weighted == Decimal("49.50")


def test_each_column_shows_its_first_cards_and_counts_the_rest(world):
    made = [
        make_opportunity(world.rep, world.huawei, f"Deal {i}", expected_close=dt.date(2026, 6, 10 - i))
        for i in range(5)
    ]
    make_opportunity(world.rep, world.huawei, stage=world.stages["Proposal"].pk)
    b = _board(world, per_column=2)
    first = _column(b, "Qualification")
    assert first.cards == [made[4], made[3]]  # by expected close
    assert (first.total.count, first.more) == (5, 3)
    proposal = _column(b, "Proposal")
    assert (len(proposal.cards), proposal.more) == (1, 0)
    assert b.total.count == 6


def test_no_next_activity_until_an_open_activity_is_planned(world):
    o = make_opportunity(world.rep, world.huawei)
    other = make_opportunity(world.rep, world.huawei, "Other")
    assert all(card.no_next_activity for card in _column(_board(world), "Qualification").cards)
    call = activity_create(
        actor=world.rep,
        record=o,
        data={"kind": "call", "subject": "回访", "due_at": timezone.now() + dt.timedelta(days=1)},
    )
    cards = {c.pk: c for c in _column(_board(world), "Qualification").cards}
    assert cards[o.pk].no_next_activity is False and cards[other.pk].no_next_activity is True
    activity_complete(actor=world.rep, activity=call)
    assert _column(_board(world), "Qualification").cards[0].no_next_activity is True


def test_not_moving_after_the_pipelines_days_in_one_stage(world):
    o = make_opportunity(world.rep, world.huawei)
    days = world.pipeline.stale_after_days
    assert _column(_board(world), "Qualification").cards[0].not_moving is False
    Opportunity.objects.filter(pk=o.pk).update(stage_changed_at=timezone.now() - dt.timedelta(days=days + 1))
    assert _column(_board(world), "Qualification").cards[0].not_moving is True
    pipeline_update(
        actor=world.manager, pipeline=world.pipeline, version=1, data={"stale_after_days": days + 5}
    )
    world.pipeline.refresh_from_db()
    assert _column(_board(world), "Qualification").cards[0].not_moving is False
    o = opportunity_move(actor=world.rep, opportunity=o, stage=world.stages["Proposal"], version=1)
    assert o.stage_changed_at > timezone.now() - dt.timedelta(minutes=1)
    assert _column(_board(world), "Proposal").cards[0].not_moving is False


def test_amounts_without_an_exchange_rate_are_named_not_guessed(world):
    make_opportunity(world.rep, world.huawei, amount="50", probability=50)
    make_opportunity(world.rep, world.huawei, amount="100", currency="USD", probability=20)
    first = _column(_board(world), "Qualification")
    assert first.total.count == 2 and first.total.missing_rates == ["USD"]
    assert (first.total.amount, first.total.weighted) == (Decimal("50.00"), Decimal("25.00"))
    exchange_rate_create(actor=world.admin, date=timezone.localdate(), base="USD", quote="CNY", rate="7.1")
    first = _column(_board(world), "Qualification")
    assert first.total.missing_rates == []
    assert (first.total.amount, first.total.weighted) == (Decimal("760.00"), Decimal("167.00"))


def test_the_board_total_names_each_missing_currency_once(world):
    for stage in ("Qualification", "Proposal"):
        make_opportunity(world.rep, world.huawei, amount="100", currency="USD", stage=world.stages[stage].pk)
    assert _board(world).total.missing_rates == ["USD"]


def _fill(w, per_stage):
    for stage in OPEN:
        for i in range(per_stage):
            make_opportunity(w.rep, w.huawei, f"{stage} {i}", amount=str(100 + i), stage=w.stages[stage].pk)


def _count_queries(w) -> int:
    _board(w)  # per-process caches (grants, teams, currencies) filled first
    with CaptureQueriesContext(connection) as ctx:
        b = _board(w)
        for column in b.columns:  # what a card shows is loaded with it
            for card in column.cards:
                str(card.owner), card.customer.name, card.stage.name, card.currency.code, card.amount
    return len(ctx.captured_queries)


# Measured on SQLite and PostgreSQL: the opportunities the user is a team member of (the reach), the sums by
# stage and currency, the stages, the home currency, one query per column's cards (4 here) and one for the
# open activities of all cards.
BOARD_QUERIES = 9


def test_the_board_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    _fill(world, 1)
    few = _count_queries(world)
    _fill(world, 9)
    with django_assert_max_num_queries(BOARD_QUERIES):
        b = _board(world)
    assert [c.total.count for c in b.columns] == [10] * 4
    assert _count_queries(world) == few <= BOARD_QUERIES

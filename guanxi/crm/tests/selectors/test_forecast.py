"""The forecast selector: per-owner cells by month and by quarter — won in the period it closed, commit, best
case and pipeline in the period they are expected to close (omitted ones left out), the weighted amount
rounded half up — in the home currency, against the targets, as far as the actor's scope reaches, in a
number of queries that does not grow with the opportunities."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.crm.models import Opportunity
from guanxi.crm.selectors.forecast import MEASURES, forecast
from guanxi.crm.services.opportunities import opportunity_lose, opportunity_win
from guanxi.crm.services.targets import sales_targets_save
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")
D = Decimal


def _half_up(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _opp(w, name, amount, close, owner=None, **data):
    """An open opportunity of `owner` (the rep unless given), made by East's rep or by West's."""
    owner = owner or w.rep
    actor, customer = (w.rep_west, w.west_co) if owner == w.rep_west else (w.rep, w.huawei)
    if owner != actor:
        data["owner"] = owner.pk
    return make_opportunity(actor, customer, name, amount=amount, expected_close=close, **data)


def _won(w, name, amount, closed_on, owner=None, **data):
    """Won today, then dated back: the forecast counts a won one in the month it closed."""
    o = _opp(w, name, amount, dt.date(2026, 8, 20), owner, **data)
    actor = w.rep_west if owner == w.rep_west else w.rep
    o = opportunity_win(actor=actor, opportunity=o, version=o.version)
    Opportunity.objects.filter(pk=o.pk).update(closed_on=closed_on)
    return o


def _targets(w, actor=None, **by_owner):
    """`rep={1: "1000", 2: ("100", "USD")}`: 2026's targets by month, through the service."""
    entries = []
    for name, months in by_owner.items():
        for month, value in months.items():
            amount, currency = value if isinstance(value, tuple) else (value, "CNY")
            entries.append(
                {"owner": getattr(w, name).pk, "month": month, "amount": amount, "currency": currency}
            )
    return sales_targets_save(actor=actor or w.manager, year=2026, entries=entries)


def _row(f, user):
    return next(r for r in f.rows if r.owner == user)


def _owners(f) -> list:
    return [r.owner.username for r in f.rows]


def _nested(f) -> None:
    """Commit ⊆ best case ⊆ pipeline in every cell; the totals are the sums of the cells and of the rows."""
    for row in [*f.rows, f.total]:
        for c in [*row.cells, row.total]:
            assert 0 <= c.commit <= c.best_case <= c.pipeline
        for m in MEASURES:
            assert getattr(row.total, m) == sum(getattr(c, m) for c in row.cells)
    for m in MEASURES:
        assert getattr(f.total.total, m) == sum(getattr(r.total, m) for r in f.rows)
        for i, c in enumerate(f.total.cells):
            assert getattr(c, m) == sum(getattr(r.cells[i], m) for r in f.rows)


@pytest.fixture
def sales(world):
    """The rep's and the mate's year: won in February (expected in August), open ones in March and June,
    omitted, lost, and what falls in other years."""
    w = world
    _opp(w, "Commit", "300", dt.date(2026, 3, 5), forecast_category="commit")
    _opp(w, "Best", "200", dt.date(2026, 3, 31), forecast_category="best_case")
    _opp(w, "Plain", "100", dt.date(2026, 3, 1), probability=25)
    _opp(w, "Omitted", "1000", dt.date(2026, 3, 10), forecast_category="omitted")
    _opp(w, "June", "50", dt.date(2026, 6, 30), probability=50, forecast_category="commit")
    _opp(w, "Next year", "777", dt.date(2027, 1, 1), forecast_category="commit")
    _opp(w, "Mate's", "400", dt.date(2026, 3, 15), owner=w.mate, forecast_category="commit")
    _won(w, "Won", "1000", dt.date(2026, 2, 15))
    _won(w, "Won last year", "888", dt.date(2025, 12, 31))
    lost = _opp(w, "Lost", "999", dt.date(2026, 3, 2))
    opportunity_lose(actor=w.rep, opportunity=lost, version=1, lost_reason=w.reason)
    return w


def test_cells_per_owner_by_month(sales):
    f = forecast(actor=sales.manager, year=2026, by="month")
    assert (f.year, f.by, f.currency, f.missing_rates) == (2026, "month", "CNY", [])
    assert [p.key for p in f.periods] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert [p.months for p in f.periods] == [(m,) for m in range(1, 13)]
    assert _owners(f) == ["mate", "rep"]
    rep = _row(f, sales.rep)
    feb, mar, jun, aug = rep.cells[1], rep.cells[2], rep.cells[5], rep.cells[7]
    assert feb.won == D("1000.00") and aug.won == 0  # when it closed, not when it was expected
    assert (mar.commit, mar.best_case, mar.pipeline, mar.count) == (D("300"), D("500"), D("600"), 3)
    assert mar.weighted == D("75.00")  # 300 × 10 % + 200 × 10 % + 100 × 25 %; omitted left out
    assert (jun.commit, jun.best_case, jun.pipeline, jun.weighted) == (D(50), D(50), D(50), D("25.00"))
    assert rep.total.won == D("1000.00") and rep.total.pipeline == D("650.00")  # not 2025's, 2027's, lost
    mate = _row(f, sales.mate).cells[2]
    assert (mate.commit, mate.pipeline, mate.weighted, mate.won) == (D(400), D(400), D("40.00"), 0)
    assert f.total.cells[2].commit == D("700.00") and f.total.total.pipeline == D("1050.00")
    assert all(c.target == 0 and c.attainment is None for c in rep.cells)
    _nested(f)


def test_cells_per_owner_by_quarter(sales):
    f = forecast(actor=sales.manager, year=2026, by="quarter")
    assert [(p.key, p.label, p.months) for p in f.periods] == [
        ("2026-Q1", "Q1", (1, 2, 3)),
        ("2026-Q2", "Q2", (4, 5, 6)),
        ("2026-Q3", "Q3", (7, 8, 9)),
        ("2026-Q4", "Q4", (10, 11, 12)),
    ]
    q1, q2, q3, q4 = _row(f, sales.rep).cells
    assert (q1.won, q1.commit, q1.best_case, q1.pipeline, q1.weighted) == (
        D("1000"),
        D("300"),
        D("500"),
        D("600"),
        D("75"),
    )
    assert (q2.commit, q2.pipeline, q2.count) == (D(50), D(50), 1)
    assert q3.won == q4.won == q3.pipeline == q4.pipeline == 0
    by_month = forecast(actor=sales.manager, year=2026, by="month")
    for m in MEASURES:
        assert getattr(f.total.total, m) == getattr(by_month.total.total, m)
    assert forecast(actor=sales.manager, year=2025).total.total.won == D("888.00")
    assert forecast(actor=sales.manager, year=2027).total.total.commit == D("777.00")
    _nested(f)


AMOUNT = st.one_of(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.integers(min_value=0, max_value=10**6).map(Decimal),
)
CATEGORY = st.sampled_from(["pipeline", "best_case", "commit", "omitted"])
DEALS = st.lists(
    st.tuples(AMOUNT, st.integers(0, 100), st.integers(1, 12), CATEGORY, st.booleans()),
    min_size=1,
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deals=DEALS)
@example(deals=[(D("0.05"), 50, 3, "commit", True), (D("150"), 33, 3, "pipeline", False)])
@example(deals=[(D("0.01"), 50, 1, "best_case", True), (D("0.01"), 50, 1, "best_case", False)])
def test_weighted_is_the_sum_of_amount_times_probability_rounded_half_up(world, deals):
    Opportunity.objects.all().delete()  # examples share the test's database
    for i, (amount, probability, month, category, mine) in enumerate(deals):
        owner = world.rep if mine else world.mate
        close = dt.date(2026, month, 1 + i)
        _opp(
            world, f"Deal {i}", str(amount), close, owner, probability=probability, forecast_category=category
        )
    f = forecast(actor=world.manager, year=2026, by="month")
    for user, mine in ((world.rep, True), (world.mate, False)):
        counted = [d for d in deals if d[4] is mine and d[3] != "omitted"]
        row = next((r for r in f.rows if r.owner == user), None)
        if not counted:
            assert row is None or row.total.pipeline == 0
            continue
        for month in range(1, 13):
            cell, here = row.cells[month - 1], [d for d in counted if d[2] == month]
            assert cell.weighted == _half_up(sum((a * p / 100 for a, p, *_ in here), D(0)))
            assert cell.pipeline == _half_up(sum((d[0] for d in here), D(0)))
            assert cell.commit == _half_up(sum((d[0] for d in here if d[3] == "commit"), D(0)))
            assert cell.best_case == _half_up(sum((d[0] for d in here if d[3] != "pipeline"), D(0)))
            assert cell.count == len(here)
    _nested(f)


def test_a_foreign_currency_at_the_rate_entered_and_one_without_a_rate_left_out(world):
    exchange_rate_create(actor=world.admin, date=timezone.localdate(), base="USD", quote="CNY", rate="7.1234")
    _opp(world, "Dollars", "1000", dt.date(2026, 4, 1), currency="USD", forecast_category="commit")
    _opp(world, "Yuan", "10", dt.date(2026, 4, 2))
    _opp(world, "Euros", "500", dt.date(2026, 4, 3), currency="EUR", forecast_category="commit")
    _won(world, "Won in dollars", "10.01", dt.date(2026, 4, 30), currency="USD")
    _targets(world, rep={4: ("100", "USD"), 5: ("100", "EUR")})
    f = forecast(actor=world.manager, year=2026, by="quarter")
    assert f.missing_rates == ["EUR"]
    q2 = _row(f, world.rep).cells[1]
    assert q2.commit == D("7123.40") and q2.pipeline == D("7133.40")  # the euros left out
    assert q2.weighted == _half_up(D("712.34") + D("1"))
    assert q2.won == _half_up(D("10.01") * D("7.1234")) == D("71.31")
    assert q2.target == D("712.34")  # May's target in euros left out
    assert q2.attainment == 10


def test_targets_summed_per_quarter_with_the_attainment(world):
    _won(world, "Won", "1000", dt.date(2026, 2, 15))
    _won(world, "Won too", "3000", dt.date(2026, 11, 2))
    _targets(world, rep={1: "1000", 2: "1000", 3: "2000", 11: "2000"}, mate={7: "500"})
    q = forecast(actor=world.manager, year=2026, by="quarter")
    rep = _row(q, world.rep)
    assert [c.target for c in rep.cells] == [D(4000), 0, 0, D(2000)]
    assert [c.attainment for c in rep.cells] == [25, None, None, 150]
    assert rep.total.target == D(6000) and rep.total.attainment == 66  # 4000 / 6000, cut down
    mate = _row(q, world.mate)  # a target alone makes a row
    assert mate.cells[2].target == D(500) and mate.cells[2].attainment == 0 and mate.total.won == 0
    m = _row(forecast(actor=world.manager, year=2026, by="month"), world.rep)
    assert (m.cells[1].target, m.cells[1].attainment, m.cells[0].attainment) == (D(1000), 100, 0)
    assert forecast(actor=world.manager, year=2027).rows == []


def test_each_sees_as_far_as_their_scope_reaches(world):
    _opp(world, "Mine", "100", dt.date(2026, 5, 1))
    _opp(world, "Mate's", "200", dt.date(2026, 5, 1), owner=world.mate)
    _opp(world, "West's", "400", dt.date(2026, 5, 1), owner=world.rep_west)
    _targets(world, actor=world.admin, rep={5: "1000"}, rep_west={5: "5000"})
    rep = forecast(actor=world.rep, year=2026)
    assert _owners(rep) == ["mate", "rep"]  # own and the team's opportunities, not West's
    assert rep.total.total.pipeline == D(300) and rep.total.total.target == D(1000)
    west = forecast(actor=world.rep_west, year=2026)
    assert _owners(west) == ["rep_west"] and west.total.total.target == D(5000)
    boss = forecast(actor=world.manager, year=2026)
    assert _owners(boss) == ["mate", "rep"] and boss.total.total.target == D(1000)
    everyone = forecast(actor=world.executive, year=2026)
    assert _owners(everyone) == ["mate", "rep", "rep_west"] and everyone.total.total.target == D(6000)
    assert everyone.total.total.pipeline == D(700)
    for nobody in (world.buyer, world.service):
        with pytest.raises(PermissionDeniedError):
            forecast(actor=nobody, year=2026)


def test_the_owner_and_team_filters(world):
    _opp(world, "Mine", "100", dt.date(2026, 5, 1))
    _opp(world, "Mate's", "200", dt.date(2026, 5, 1), owner=world.mate)
    _opp(world, "West's", "400", dt.date(2026, 5, 1), owner=world.rep_west)
    _targets(world, actor=world.admin, rep={5: "1000"}, mate={5: "10"}, rep_west={5: "5000"})
    me = forecast(actor=world.rep, year=2026, owner="me")
    assert _owners(me) == ["rep"] and me.total.total.pipeline == D(100)
    mate = forecast(actor=world.manager, year=2026, owner=str(world.mate.pk))
    assert _owners(mate) == ["mate"] and (mate.total.total.pipeline, mate.total.total.target) == (200, 10)
    assert forecast(actor=world.manager, year=2026, owner=str(world.rep_west.pk)).rows == []  # out of sight
    west = forecast(actor=world.executive, year=2026, team=world.west.pk)
    assert _owners(west) == ["rep_west"] and west.total.total.target == D(5000)
    east = forecast(actor=world.executive, year=2026, team=world.east.pk)
    assert _owners(east) == ["mate", "rep"] and east.total.total.pipeline == D(300)
    assert east.total.total.target == D(1010)
    for bad in ("someone", "1.5", "me!"):
        with pytest.raises(ValidationError) as exc:
            forecast(actor=world.manager, year=2026, owner=bad)
        assert exc.value.message_dict == {"owner": ["Choose a user."]}


def test_a_bad_period_or_year_is_refused(world):
    for kwargs, field in (
        ({"by": "week"}, "by"),
        ({"by": ""}, "by"),
        ({"year": 1899}, "year"),
        ({"year": 2201}, "year"),
        ({"year": -1}, "year"),
    ):
        with pytest.raises(ValidationError) as exc:
            forecast(actor=world.manager, **{"year": 2026, **kwargs})
        assert list(exc.value.message_dict) == [field]
    assert (
        forecast(actor=world.manager, year=1900).rows == forecast(actor=world.manager, year=2200).rows == []
    )


def test_a_huge_owner_id_is_refused_or_finds_nobody(world):
    _opp(world, "Mine", "100", dt.date(2026, 5, 1))
    try:
        f = forecast(actor=world.manager, year=2026, owner="9" * 20)
    except ValidationError as exc:
        assert "owner" in exc.message_dict
    else:
        assert f.rows == []


QUERIES = 8  # reach (team, followed), open, won, targets (reach, rows), company, users


def _many(w, n: int) -> None:
    owners = [w.rep, w.mate]
    categories = ["pipeline", "best_case", "commit", "omitted"]
    for i in range(n):
        _opp(
            w,
            f"Deal {i}",
            str(100 + i),
            dt.date(2026, 1 + i % 12, 1 + i % 28),
            owners[i % 2],
            forecast_category=categories[i % 4],
        )
    _won(w, f"Won {n}", "500", dt.date(2026, 1 + n % 12, 3))


def test_the_number_of_queries_does_not_grow_with_the_opportunities(world, django_assert_num_queries):
    _targets(world, rep={1: "100"}, mate={2: "100"})
    _many(world, 5)
    forecast(actor=world.manager, year=2026)  # the table of currencies, read once per process
    with django_assert_num_queries(QUERIES):
        few = forecast(actor=world.manager, year=2026)
    _many(world, 45)
    with django_assert_num_queries(QUERIES):
        many = forecast(actor=world.manager, year=2026)
    assert sum(c.count for c in few.total.cells) == 4 and sum(c.count for c in many.total.cells) == 38

"""/api/v1/forecast and /api/v1/sales-targets: the forecast selector and the targets service over HTTP — the
shape and the amounts, by month and quarter, the owner filter, problem+json for bad input, 403 for those who
may not, and targets put, read back and removed as far as the scope reaches."""

import datetime as dt

import pytest

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.crm.models import Opportunity, SalesTarget
from guanxi.crm.services.opportunities import opportunity_win
from guanxi.crm.services.targets import sales_targets_save
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db
MEASURES = ["won", "commit", "best_case", "pipeline", "weighted", "target", "count"]


@pytest.fixture
def sales(world):
    """The rep: won in February, commit in March, a target for February; the mate: best case in May; West."""
    rep = world.rep
    make_opportunity(
        rep,
        world.huawei,
        "Commit",
        amount="300",
        expected_close=dt.date(2026, 3, 5),
        forecast_category="commit",
    )
    make_opportunity(
        rep,
        world.huawei,
        "Mate's",
        amount="200.50",
        expected_close=dt.date(2026, 5, 1),
        forecast_category="best_case",
        owner=world.mate.pk,
        probability=50,
    )
    won = make_opportunity(rep, world.huawei, "Won", amount="1000", expected_close=dt.date(2026, 9, 1))
    opportunity_win(actor=rep, opportunity=won, version=1)
    Opportunity.objects.filter(pk=won.pk).update(closed_on=dt.date(2026, 2, 10))
    make_opportunity(
        world.rep_west, world.west_co, "West's", amount="999", expected_close=dt.date(2026, 3, 1)
    )
    sales_targets_save(
        actor=world.admin,
        year=2026,
        entries=[
            {"owner": rep.pk, "month": 2, "amount": "2000"},
            {"owner": world.mate.pk, "month": 5, "amount": "100"},
            {"owner": world.rep_west.pk, "month": 3, "amount": "5000"},
        ],
    )
    return world


def _cell(period, **values):
    return {"period": period, **{m: 0 if m == "count" else "0.00" for m in MEASURES}, **values}


def _forecast(api_as, user, **params):
    return ok(api_as(user, "read").get("/forecast", {"year": 2026, **params}))


def test_the_forecast_by_month(sales, api_as):
    f = _forecast(api_as, sales.manager)
    assert set(f) == {"year", "by", "currency", "missing_rates", "rows", "total"}
    assert (f["year"], f["by"], f["currency"], f["missing_rates"]) == (2026, "month", "CNY", [])
    assert [r["owner"] for r in f["rows"]] == [
        {"id": sales.mate.pk, "username": "mate", "name": "mate"},
        {"id": sales.rep.pk, "username": "rep", "name": "rep"},
    ]
    mate, rep = f["rows"]
    assert [c["period"] for c in rep["cells"]] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert rep["cells"][1] == _cell("2026-02", won="1000.00", target="2000.00")
    assert rep["cells"][2] == _cell(
        "2026-03", commit="300.00", best_case="300.00", pipeline="300.00", weighted="30.00", count=1
    )
    assert rep["cells"][8] == _cell("2026-09")  # won where it closed, not where it was expected
    assert mate["cells"][4] == _cell(
        "2026-05", best_case="200.50", pipeline="200.50", weighted="100.25", target="100.00", count=1
    )
    assert rep["total"] == _cell(
        "total",
        won="1000.00",
        commit="300.00",
        best_case="300.00",
        pipeline="300.00",
        weighted="30.00",
        target="2000.00",
        count=1,
    )
    total = f["total"]
    assert total["owner"] is None and total["total"]["period"] == "total"
    assert total["total"]["pipeline"] == "500.50" and total["total"]["target"] == "2100.00"
    assert total["cells"][4]["best_case"] == "200.50" and total["cells"][2]["commit"] == "300.00"


def test_by_quarter_for_me_and_everyone(sales, api_as):
    f = _forecast(api_as, sales.executive, by="quarter")
    assert f["by"] == "quarter" and [r["owner"]["username"] for r in f["rows"]] == ["mate", "rep", "rep_west"]
    assert [c["period"] for c in f["total"]["cells"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    q1 = f["total"]["cells"][0]
    assert (q1["won"], q1["commit"], q1["pipeline"], q1["target"], q1["count"]) == (
        "1000.00",
        "300.00",
        "1299.00",
        "7000.00",
        2,
    )
    mine = _forecast(api_as, sales.rep, by="quarter", owner="me")
    assert [r["owner"]["username"] for r in mine["rows"]] == ["rep"]
    assert mine["total"]["total"]["pipeline"] == "300.00" and mine["total"]["total"]["target"] == "2000.00"
    east = _forecast(api_as, sales.executive, team=sales.east.pk)
    assert [r["owner"]["username"] for r in east["rows"]] == ["mate", "rep"]
    one = _forecast(api_as, sales.manager, owner=str(sales.mate.pk))
    assert [r["owner"]["username"] for r in one["rows"]] == ["mate"]
    assert _forecast(api_as, sales.manager, year=2030)["rows"] == []


def test_bad_input_is_a_422_and_a_buyer_a_403(sales, api_as):
    api = api_as(sales.manager, "read")
    for params, field in (
        ({"year": 1899}, "year"),
        ({"year": 2201}, "year"),
        ({"year": "soon"}, "year"),
        ({"by": "week"}, "by"),
        ({"owner": "someone"}, "owner"),
        ({"owner": "1" * 21}, "owner"),
    ):
        assert field in fields(problem(api.get("/forecast", {"year": 2026, **params}), 422)), params
    assert "year" in fields(problem(api.get("/forecast"), 422))
    problem(api_as(sales.buyer, "read").get("/forecast", {"year": 2026}), 403)
    problem(api_as(sales.buyer, "read").get("/sales-targets", {"year": 2026}), 403)


def test_a_huge_owner_id_is_not_a_server_error(sales, api_as):
    resp = api_as(sales.manager, "read").get("/forecast", {"year": 2026, "owner": "9" * 20})
    assert resp.status_code in (200, 422)


def _targets(resp) -> list[tuple]:
    return [(t["owner_id"], t["month"], t["amount"], t["currency"]) for t in ok(resp)]


def test_a_manager_puts_targets_and_reads_them_back(sales, api_as):
    api, rep, mate = api_as(sales.manager), sales.rep.pk, sales.mate.pk
    body = {
        "year": 2026,
        "targets": [
            {"owner_id": rep, "month": 2, "amount": "2500.50"},
            {"owner_id": rep, "month": 12, "amount": 8000},
            {"owner_id": mate, "month": 5, "amount": None},  # removes it
            {"owner_id": mate, "month": 6, "amount": "10", "currency": "USD"},
        ],
    }
    put = _targets(api.put("/sales-targets", body))
    assert put == [
        (rep, "2026-02-01", "2500.5000", "CNY"),
        (rep, "2026-12-01", "8000.0000", "CNY"),
        (mate, "2026-06-01", "10.0000", "USD"),
    ]  # East's, West's not in reach
    assert _targets(api.get("/sales-targets", {"year": 2026})) == put
    assert _targets(api.get("/sales-targets", {"year": 2027})) == []
    assert SalesTarget.objects.filter(owner=sales.rep_west).count() == 1
    f = _forecast(api_as, sales.manager)
    assert f["rows"][1]["cells"][1]["target"] == "2500.50" and f["rows"][0]["cells"][4]["target"] == "0.00"
    removed = {"year": 2026, "targets": [{"owner_id": rep, "month": 12, "amount": None}]}
    assert (rep, "2026-12-01", "8000.0000", "CNY") not in _targets(api.put("/sales-targets", removed))


def test_bad_targets_are_a_422_and_save_nothing(sales, api_as):
    api, before = api_as(sales.manager), SalesTarget.objects.count()
    for target, field in (
        ({"owner_id": sales.rep.pk, "month": 13, "amount": "1"}, "targets"),
        ({"owner_id": sales.rep.pk, "month": 1, "amount": "-1"}, "targets"),
        ({"owner_id": sales.rep.pk, "month": 1, "amount": "1.234"}, "targets"),
        ({"owner_id": sales.rep.pk, "month": 1, "amount": "1", "currency": "XYZ"}, "targets"),
        ({"owner_id": sales.rep_west.pk, "month": 1, "amount": "1"}, "targets"),
    ):
        body = {"year": 2026, "targets": [{"owner_id": sales.mate.pk, "month": 1, "amount": "7"}, target]}
        resp = api.put("/sales-targets", body)
        assert any(f.startswith(field) for f in fields(problem(resp, 422))), target
    assert SalesTarget.objects.count() == before
    assert "year" in fields(problem(api.put("/sales-targets", {"year": 1800, "targets": []}), 422))


def test_every_bad_target_is_named_in_the_answer(sales, api_as):
    body = {
        "year": 2026,
        "targets": [
            {"owner_id": sales.rep.pk, "month": 1, "amount": "1.234"},
            {"owner_id": sales.rep_west.pk, "month": 1, "amount": "1"},
        ],
    }
    errors = problem(api_as(sales.manager).put("/sales-targets", body), 422)["errors"]
    assert len(errors) == 2, errors


def test_a_rep_may_not_put_and_reads_only_targets_in_reach(sales, api_as):
    body = {"year": 2026, "targets": [{"owner_id": sales.rep.pk, "month": 1, "amount": "99999"}]}
    problem(api_as(sales.rep).put("/sales-targets", body), 403)
    assert not SalesTarget.objects.filter(owner=sales.rep, month=dt.date(2026, 1, 1)).exists()
    mine = _targets(api_as(sales.rep, "read").get("/sales-targets", {"year": 2026}))
    assert mine == [(sales.rep.pk, "2026-02-01", "2000.0000", "CNY")]  # not West's
    west = _targets(api_as(sales.rep_west, "read").get("/sales-targets", {"year": 2026}))
    assert west == [(sales.rep_west.pk, "2026-03-01", "5000.0000", "CNY")]
    everyone = _targets(api_as(sales.executive, "read").get("/sales-targets", {"year": 2026}))
    assert len(everyone) == 3
    team = {t[0] for t in _targets(api_as(sales.manager, "read").get("/sales-targets", {"year": 2026}))}
    assert team == {sales.rep.pk, sales.mate.pk}
    problem(api_as(sales.manager, "read").put("/sales-targets", body), 403)  # a read token

"""The Forecast page (rows per rep, totals, the server-drawn chart, figures that link to the opportunities
behind them, the empty state, bad input shown, not a 500) and the Targets page (a manager saves a grid; a bad
value is named and what was typed kept; a rep is refused); queries that do not grow with the opportunities."""

import datetime as dt
import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.core.money import forget_currencies
from guanxi.crm.models import Opportunity, SalesTarget
from guanxi.crm.selectors.opportunities import month_range
from guanxi.crm.services.opportunities import opportunity_lose, opportunity_win
from guanxi.crm.services.targets import sales_targets_save
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db
FORECAST, TARGETS = reverse("crm:forecast"), reverse("crm:targets")
LINK = re.compile(r'<a href="(/sales/opportunities/\?[^"]+)">([^<]*)</a>')


@pytest.fixture(autouse=True)
def _fresh_currency_table():  # amounts are formatted from a table of currencies kept in the process
    forget_currencies()
    yield
    forget_currencies()


def _opp(w, name, amount, close, owner=None, won_on=None, **data):
    """Open, or won and dated back to `won_on` (a won one counts in the month it closed)."""
    actor, customer = (w.rep_west, w.west_co) if owner == w.rep_west else (w.rep, w.huawei)
    if owner not in (None, actor):
        data["owner"] = owner.pk
    o = make_opportunity(actor, customer, name, amount=amount, expected_close=close, **data)
    if won_on:
        o = opportunity_win(actor=actor, opportunity=o, version=o.version)
        Opportunity.objects.filter(pk=o.pk).update(closed_on=won_on)
    return o


@pytest.fixture
def sales(world):
    w, d = world, dt.date
    _opp(w, "Won Feb", "1000", d(2026, 8, 20), won_on=d(2026, 2, 15))
    _opp(w, "Won May", "500", d(2026, 5, 1), won_on=d(2026, 5, 3))
    _opp(w, "Commit Mar", "300", d(2026, 3, 5), forecast_category="commit")
    _opp(w, "Best Mar", "200", d(2026, 3, 31), forecast_category="best_case")
    _opp(w, "Plain Apr", "100", d(2026, 4, 1))
    _opp(w, "Commit Jun", "50", d(2026, 6, 30), forecast_category="commit")
    lost = _opp(w, "Lost Mar", "999", d(2026, 3, 2))
    opportunity_lose(actor=w.rep, opportunity=lost, version=1, lost_reason=w.reason)
    _opp(w, "Mate commit", "400", d(2026, 3, 15), owner=w.mate, forecast_category="commit")
    _opp(w, "Mate won", "700", d(2026, 1, 1), owner=w.mate, won_on=d(2026, 3, 31))
    _opp(w, "West's", "999", d(2026, 3, 1), owner=w.rep_west, forecast_category="commit")
    _opp(w, "West won", "999", d(2026, 3, 1), owner=w.rep_west, won_on=d(2026, 3, 1))
    sales_targets_save(
        actor=w.admin,
        year=2026,
        entries=[
            *(
                {"owner": w.rep.pk, "month": m, "amount": a}
                for m, a in ((1, "1000"), (2, "1000"), (3, "2000"))
            ),
            {"owner": w.mate.pk, "month": 7, "amount": "500"},
        ],
    )
    return w


def _get(client, url, params="") -> str:
    resp = client.get(url + params)
    assert resp.status_code == 200, resp.status_code
    return resp.content.decode()


def _yuan(amount) -> str:
    return f"¥{Decimal(amount):,.2f}"


def _behind(params: dict) -> set[str]:
    """The names of the opportunities behind the figure of a link: worked out from the rules, not the page."""
    qs = Opportunity.objects.exclude(owner__username="rep_west")
    if "owner" in params:
        qs = qs.filter(owner_id=params["owner"])
    if params.get("state") == "won":
        qs = qs.filter(state="won", closed_on__range=month_range(params["closed_in"]))
        return set(qs.values_list("name", flat=True))
    qs = qs.filter(state="open", expected_close__range=month_range(params["close_month"]))
    wanted = {"commit": ["commit"], "best_case": ["commit", "best_case"]}.get(
        params.get("category", ""), ["commit", "best_case", "pipeline"]
    )
    return set(qs.filter(forecast_category__in=wanted).values_list("name", flat=True))


def _listed(client, href: str) -> set[str]:
    page = _get(client, href)
    assert 'role="alert"' not in page, href
    return set(re.findall(r'<td><a href="/sales/opportunities/\d+/">([^<]+)</a>', page))


def _links(page: str) -> list[tuple[str, dict, str]]:
    table = page[page.index('id="forecast-table"') :]
    return [
        (
            html.unescape(href),
            {k: v[0] for k, v in parse_qs(urlsplit(html.unescape(href)).query).items()},
            text,
        )
        for href, text in LINK.findall(table)
    ]


def test_the_forecast_of_a_managers_team_by_quarter(client, sales):
    client.force_login(sales.manager)
    page = _get(client, FORECAST, "?year=2026")  # by quarter unless asked
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    owners = re.findall(r'<th scope="rowgroup" rowspan="5">([^<]+)</th>', body)
    assert owners == ["mate", "rep"] and "rep_west" not in page and "West" not in body
    rep = body[body.index(">rep</th>") :]
    assert f'>{_yuan(1000)}</a><br><small class="muted">25% of {_yuan(4000)}</small>' in rep
    assert f'{_yuan(1500)}<br><small class="muted">37% of {_yuan(4000)}</small>' in rep  # the year
    foot = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert ">Total</th>" in foot and f">{_yuan(1700)}</a>" in foot  # won in Q1: the rep's and the mate's
    assert re.findall(r'<th class="num">([^<]+)</th>', page) == ["Q1", "Q2", "Q3", "Q4", "Year"]
    chart = page[page.index('<figure class="card chart"') : page.index("</figure>")]
    bars = re.findall(
        r'<rect class="bar-(\w+)" x="\d+" y="(-?\d+)" width="11" height="(\d+)"><title>([^<]+)', chart
    )
    assert [b[0] for b in bars] == ["won", "commit", "best_case"] * 4  # one bar per measure per period
    assert [b[3] for b in bars[:3]] == [_yuan(1700), _yuan(700), _yuan(900)]
    assert all(int(y) + int(h) == 160 for _k, y, h, _t in bars) and int(bars[0][2]) > int(bars[1][2])
    lines = re.findall(r'<line class="target"[^>]*><title>Target ([^<]+)</title>', chart)
    assert lines == [_yuan(4000), _yuan(500)]  # Q1 and Q3
    assert re.findall(r"<text [^>]+>(Q\d)</text>", chart) == ["Q1", "Q2", "Q3", "Q4"]


def test_the_forecast_by_month(client, sales):
    client.force_login(sales.manager)
    page = _get(client, FORECAST, "?year=2026&by=month")
    assert re.findall(r'<th class="num">([^<]+)</th>', page)[:2] == ["2026-01", "2026-02"]
    chart = page[page.index('<figure class="card chart"') : page.index("</figure>")]
    assert len(re.findall(r'<rect class="bar-', chart)) == 36
    assert re.findall(r'<line class="target"[^>]*><title>Target ([^<]+)</title>', chart) == [
        _yuan(1000),
        _yuan(1000),
        _yuan(2000),
        _yuan(500),
    ]
    rep = page[page.index(">rep</th>") :]
    assert f'>{_yuan(1000)}</a><br><small class="muted">100% of {_yuan(1000)}</small>' in rep  # February
    assert f'>{_yuan(0)}</a><br><small class="muted">0% of {_yuan(2000)}</small>' in rep  # March


@pytest.mark.parametrize("by", ["quarter", "month"])
def test_each_figure_links_to_the_opportunities_behind_it(client, sales, by):
    client.force_login(sales.manager)
    links = _links(_get(client, FORECAST, f"?year=2026&by={by}"))
    assert len(links) == (4 if by == "quarter" else 12) * 4 * 3  # 4 linked measures, 2 reps and the total
    followed, empty = 0, 0
    for href, params, text in links:
        expected = _behind(params)
        total = sum(
            Opportunity.objects.filter(name__in=expected).values_list("amount", flat=True), Decimal(0)
        )
        assert html.unescape(text) == _yuan(total), href
        if expected or empty < 4:  # every figure with something behind it, and a few zeros
            assert _listed(client, href) == expected, href
            followed, empty = followed + 1, empty + (not expected)
    assert followed >= (20 if by == "month" else 16)


def test_the_pipeline_link_leaves_omitted_ones_out(client, sales):
    _opp(sales, "Omitted Mar", "5000", dt.date(2026, 3, 10), forecast_category="omitted")
    client.force_login(sales.manager)
    links = _links(_get(client, FORECAST, "?year=2026&by=quarter"))
    href, params, text = next(
        (h, p, t)
        for h, p, t in links
        if p
        == {
            "category": "forecast",
            "close_month": "2026-Q1",
            "owner": str(sales.rep.pk),
        }  # the rep's pipeline
    )
    assert html.unescape(text) == _yuan(500)  # 300 + 200: the omitted 5000 left out
    assert "Omitted Mar" not in _listed(client, href)


def test_the_total_of_a_team_links_to_that_teams_opportunities(client, sales):
    client.force_login(sales.executive)
    links = _links(_get(client, FORECAST, f"?year=2026&by=quarter&team={sales.east.pk}"))
    href, _params, text = next(
        (h, p, t) for h, p, t in links if p.get("closed_in") == "2026-Q1" and "owner" not in p
    )
    assert html.unescape(text) == _yuan(1700)  # East's: West's 999 left out
    assert "West won" not in _listed(client, href)


def test_an_empty_year_and_bad_input(client, sales):
    client.force_login(sales.manager)
    empty = _get(client, FORECAST, "?year=2024")
    assert "Nothing to forecast for this year yet." in empty and "<tfoot>" not in empty
    assert 'id="forecast-chart"' in empty and '<line class="target"' not in empty
    for params, message in (
        ("?year=1800", "Enter a year between 1900 and 2200."),
        ("?year=2026&by=week", "Choose month or quarter."),
        ("?year=2026&owner=somebody", "Choose a user."),
    ):
        page = _get(client, FORECAST, params)
        assert f'<div class="errors" role="alert">{message}</div>' in page
        assert 'id="forecast-table"' not in page and 'id="forecast-chart"' not in page
    assert 'id="forecast-table"' in _get(client, FORECAST, "?year=soon")  # this year
    client.force_login(sales.buyer)
    assert client.get(FORECAST).status_code == 403


def test_a_huge_team_id_is_not_a_server_error(client, sales):
    client.force_login(sales.manager)
    assert "Nothing to forecast" in _get(client, FORECAST, "?year=2026&team=" + "9" * 20)


def test_a_manager_saves_the_targets_grid(client, world):
    client.force_login(world.manager)
    page = _get(client, TARGETS, "?year=2026")
    names = re.findall(r'name="t-(\d+)-(\d+)"', page)
    assert {int(u) for u, _m in names} == {world.rep.pk, world.mate.pk, world.manager.pk}
    assert len(names) == 36 and f"t-{world.rep_west.pk}-" not in page
    grid = {"year": "2026", f"t-{world.rep.pk}-1": "1000", f"t-{world.mate.pk}-7": " 500.5 "}
    resp = client.post(TARGETS, grid)
    assert resp.status_code == 302 and resp["Location"] == f"{TARGETS}?year=2026"
    assert {(t.owner_id, t.month.month, t.amount) for t in SalesTarget.objects.all()} == {
        (world.rep.pk, 1, Decimal(1000)),
        (world.mate.pk, 7, Decimal("500.5")),
    }
    page = _get(client, TARGETS, "?year=2026")
    assert "2 targets changed." in page
    shown = dict(re.findall(r'name="(t-\d+-\d+)" value="([^"]*)"', page))
    assert Decimal(shown[f"t-{world.rep.pk}-1"]) == 1000 and shown[f"t-{world.rep.pk}-2"] == ""
    again = client.post(TARGETS, {"year": "2026", **shown}, follow=True)  # the page as shown, sent back
    assert "0 targets changed." in again.content.decode() and SalesTarget.objects.count() == 2
    client.post(TARGETS, {"year": "2026", f"t-{world.mate.pk}-7": "500.5"})  # the rep's January emptied
    assert list(SalesTarget.objects.values_list("owner_id", flat=True)) == [world.mate.pk]
    assert _get(client, FORECAST, "?year=2026").count(f"of {_yuan('500.50')}") == 2  # Q3 and the year


def test_a_bad_target_is_named_and_what_was_typed_kept(client, world):
    sales_targets_save(
        actor=world.manager, year=2026, entries=[{"owner": world.rep.pk, "month": 1, "amount": "7"}]
    )
    client.force_login(world.manager)
    grid = {
        "year": "2026",
        f"t-{world.rep.pk}-2": "lots",
        f"t-{world.mate.pk}-3": "300",
        f"t-{world.rep.pk}-4": "-5",
    }
    page = client.post(TARGETS, grid)
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "rep 2026-02: Enter a number, e.g. 1234.50." in text
        and "rep 2026-04: The amount cannot be negative." in text
    )
    shown = dict(re.findall(r'name="(t-\d+-\d+)" value="([^"]*)"', text))
    assert (shown[f"t-{world.rep.pk}-2"], shown[f"t-{world.mate.pk}-3"], shown[f"t-{world.rep.pk}-4"]) == (
        "lots",
        "300",
        "-5",
    )
    assert shown[f"t-{world.rep.pk}-1"] == ""  # emptied in the grid, as sent
    assert [(t.owner_id, t.month.month, t.amount) for t in SalesTarget.objects.all()] == [
        (world.rep.pk, 1, 7)
    ]


def test_a_rep_may_not_open_the_targets(client, world):
    client.force_login(world.rep)
    assert client.get(TARGETS).status_code == 403
    assert client.post(TARGETS, {"year": "2026", f"t-{world.rep.pk}-1": "1"}).status_code == 403
    assert SalesTarget.objects.count() == 0
    assert 'href="/sales/forecast/targets/' not in _get(client, FORECAST)


def test_a_bad_year_on_the_targets_page_is_not_a_server_error(client, world):
    client.force_login(world.manager)
    for year in ("99999", "0"):
        assert client.get(f"{TARGETS}?year={year}").status_code in (200, 302, 404)


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _get(client, FORECAST, "?year=2026&by=month")
    return len(ctx)


def test_the_page_costs_the_same_with_few_or_many_opportunities(client, sales):
    client.force_login(sales.manager)
    _get(client, FORECAST, "?year=2026&by=month")  # what is read once per process
    few = _count_queries(client)
    for i in range(30):
        owner = sales.mate if i % 2 else sales.rep
        category = ["pipeline", "best_case", "commit"][i % 3]
        _opp(
            sales,
            f"More {i}",
            str(10 + i),
            dt.date(2026, 1 + i % 12, 1),
            owner=owner,
            forecast_category=category,
        )
    _opp(sales, "Won later", "10", dt.date(2026, 12, 1), owner=sales.mate, won_on=dt.date(2026, 10, 1))
    assert _count_queries(client) == few


def test_saving_the_grid_as_shown_keeps_a_target_in_another_currency(client, world):
    sales_targets_save(
        actor=world.manager,
        year=2026,
        entries=[{"owner": world.rep.pk, "month": 3, "amount": "1000", "currency": "USD"}],
    )
    client.force_login(world.manager)
    shown = dict(re.findall(r'name="(t-\d+-\d+)" value="([^"]*)"', _get(client, TARGETS, "?year=2026")))
    assert Decimal(shown[f"t-{world.rep.pk}-3"]) == 1000
    page = client.post(TARGETS, {"year": "2026", **shown}, follow=True).content.decode()
    target = SalesTarget.objects.get()
    assert (target.amount, target.currency_id) == (Decimal(1000), "USD")
    assert "0 targets changed." in page

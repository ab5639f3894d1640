import datetime as dt
from decimal import Decimal

from django.urls import reverse

from guanxi.crm.selectors.forecast import forecast
from guanxi.crm.services.opportunities import opportunity_win
from guanxi.crm.services.targets import sales_targets_save
from guanxi.crm.tests.factories import make_opportunity


def test_forecast_of_a_rep(world, client):
    a = make_opportunity(world.rep, world.huawei, amount="1000", expected_close=dt.date(2026, 2, 10))
    make_opportunity(
        world.rep, world.huawei, amount="300", expected_close=dt.date(2026, 2, 20), forecast_category="commit"
    )
    make_opportunity(
        world.rep,
        world.huawei,
        amount="200",
        expected_close=dt.date(2026, 5, 1),
        forecast_category="best_case",
    )
    a = opportunity_win(actor=world.rep, opportunity=a, version=a.version)
    sales_targets_save(
        actor=world.manager, year=2026, entries=[{"owner": world.rep.pk, "month": 2, "amount": "2000"}]
    )
    f = forecast(actor=world.manager, year=2026, by="quarter")
    (row,) = f.rows
    q1, q2 = row.cells[0], row.cells[1]
    quarter = (a.closed_on.month - 1) // 3
    assert row.total.won == Decimal("1000.00") and row.cells[quarter].won == Decimal("1000.00")
    assert (
        q1.commit == Decimal("300.00")
        and q1.best_case == Decimal("300.00")
        and q1.pipeline == Decimal("300.00")
    )
    assert q1.weighted == Decimal("30.00") and q1.target == Decimal("2000.00")
    assert q2.best_case == Decimal("200.00") and q2.commit == 0
    client.force_login(world.manager)
    assert client.get(reverse("crm:forecast") + "?year=2026").status_code == 200
    assert client.get(reverse("crm:forecast") + "?year=2026&by=month").status_code == 200
    assert client.get(reverse("crm:targets") + "?year=2026").status_code == 200
    r = client.get(reverse("crm:opportunities") + "?category=commit&close_month=2026-Q1")
    assert "2026" in r.content.decode() and r.status_code == 200

"""A Sales Manager's forecast, in a real browser: a target for a rep for this month entered on the Targets
page and saved; the rep wins an opportunity; the Forecast by month shows the won amount and the attainment
in the rep's row, and the won figure leads to the opportunity list showing that opportunity. In English at
1280 px and in 简体中文 at 390 px (nothing wider than the screen, no CSP violation). Screenshots:
/tmp/shots/crm-forecast-*."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.crm.models import SalesTarget
from guanxi.crm.services.opportunities import opportunity_win
from guanxi.crm.tests.factories import make_opportunity
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@CASES
def test_a_manager_sets_a_target_and_follows_the_won_figure(
    page, live_server, make_user, admin_user, lang, viewport
):
    today = timezone.localdate()
    east = Team.objects.create(name="East")
    rep = make_user("rep", roles=[R.SALES_REP], teams=[east])
    manager = make_user("boss", roles=[R.SALES_MANAGER], manager_of=[east])
    customer = make_org(admin_user, "华为技术有限公司", owner=rep)
    deal = make_opportunity(rep, customer, name="核心交换机", amount="2500", expected_close=today)
    make_opportunity(rep, customer, name="路由器", amount="900", expected_close=today)  # open: not won
    j = Journey(page, live_server, lang, viewport, prefix="crm-forecast")
    T = j.T
    j.as_user(manager)
    url = live_server.url

    # 1. From the Forecast, the Targets page: a target for the rep this month, saved.
    page.goto(f"{url}/sales/forecast/")
    follow(page, page.locator(".pagehead .actions").get_by_role("link", name=T("Targets")))
    cell = page.locator(f'input[name="t-{rep.pk}-{today.month}"]')
    expect(cell).to_have_value("")
    cell.fill("10000")
    j.check("targets")
    follow(page, page.get_by_role("button", name=T("Save")))
    expect(page.locator(".msg.success")).to_have_text(T("%(n)d targets changed.") % {"n": 1})
    target = SalesTarget.objects.get()
    assert (target.owner, target.month, target.amount) == (rep, today.replace(day=1), 10000)

    # 2. The rep wins the opportunity.
    opportunity_win(actor=rep, opportunity=deal, version=deal.version)

    # 3. The Forecast by month: the won amount and 25 % of the target in the rep's row, this month.
    page.goto(f"{url}/sales/forecast/")
    page.select_option("#forecast-filters select[name=by]", "month")
    follow(page, page.locator("#forecast-filters").get_by_role("button", name=T("Show")))
    assert "by=month" in page.url
    row = page.locator("#forecast-table tbody tr.fc-won")
    expect(row).to_have_count(1)
    expect(row.locator("th").first).to_have_text("rep")
    month = row.locator("td").nth(today.month - 1)
    expect(month).to_contain_text("¥2,500.00")
    expect(month).to_contain_text("25%")
    expect(month).to_contain_text("¥10,000.00")
    expect(page.locator("#forecast-chart line.target")).to_have_count(1)
    j.check()

    # 4. The won figure leads to the opportunity list with that opportunity alone.
    follow(page, month.get_by_role("link", name="¥2,500.00"))
    assert f"closed_in={today:%Y-%m}" in page.url and "state=won" in page.url
    names = page.locator("table.opportunities tbody td:first-child a")
    expect(names).to_have_count(1)
    expect(names.first).to_have_text("核心交换机")
    j.check("drill")
    j.finish()

"""A Sales Representative's day on the pipeline, in a real browser: a new opportunity from the customer's page,
found on the board, moved on (dragged at desktop width; with the card's select on a phone, where drag and
drop does not exist), refused when winning without an amount, then won; another one dropped on "lost" asks
why and is lost with a reason; the customer's page shows the open pipeline. In English at 1280 px and in
简体中文 at 390 px (nothing wider than the screen, no CSP violation). Screenshots: /tmp/shots/crm-*."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.crm.models import LostReason, Opportunity
from guanxi.crm.tests.factories import make_opportunity
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _move_card(page, card_id: int, stage, *, drag: bool, label: str = "") -> None:
    """Drag the card to a column, or choose the stage in its select; wait for the board the server sends back."""
    card = page.locator(f"#card-{card_id}")
    with page.expect_response(lambda r: "/move/" in r.url):
        if drag:
            card.drag_to(page.locator(f'.kcol[data-stage="{stage.pk}"]'))
        else:
            card.locator("select[name=stage]").select_option(value=str(stage.pk))
    expect(page.locator(".kcard.moving")).to_have_count(0)


@CASES
def test_a_rep_moves_an_opportunity_to_won_and_loses_another(
    page, live_server, make_user, admin_user, lang, viewport
):
    east = Team.objects.create(name="East")
    rep = make_user("rep", roles=[R.SALES_REP], teams=[east])
    customer = make_org(admin_user, "华为技术有限公司", owner=rep)
    other = make_opportunity(rep, customer, name="Old deal", amount="5000")
    j = Journey(page, live_server, lang, viewport, prefix="crm")
    T = j.T
    drag = not j.phone  # a phone has no drag and drop: the card's select instead
    j.as_user(rep)
    url = live_server.url
    stage = {s.name_en: s for s in other.pipeline.stages.all()}
    with translation.override(lang):
        won_label = stage["Won"].name

    # 1. From the customer's page: New opportunity, without an amount.
    page.goto(f"{url}{customer.get_absolute_url()}")
    follow(page, page.get_by_role("link", name=T("New opportunity")))
    page.fill("#id_name", "核心交换机")
    page.fill("#id_expected_close", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    j.check("form")
    follow(page, page.get_by_role("button", name=T("Save")))
    o = Opportunity.objects.get(name="核心交换机")
    assert o.customer == customer and o.owner == rep and o.team == east

    # 2. On the board, in the first stage; moved on to Proposal.
    page.goto(f"{url}/sales/pipeline/")
    expect(page.locator(".kcol").first.locator(f"#card-{o.pk}")).to_be_visible()
    _move_card(page, o.pk, stage["Proposal"], drag=drag)
    expect(page.locator(f'.kcol[data-stage="{stage["Proposal"].pk}"] #card-{o.pk}')).to_be_visible()
    o.refresh_from_db()
    assert o.stage.name_en == "Proposal" and o.probability == 60
    j.check("board")

    # 3. Won without an amount: refused with a message, the card stays where it was.
    if drag:
        with page.expect_response(lambda r: "/move/" in r.url):
            page.locator(f"#card-{o.pk}").drag_to(page.locator(".kdrop.won"))
    else:
        _move_card(page, o.pk, stage["Won"], drag=False)
    expect(page.locator("#board-error")).to_contain_text(
        T("Enter the amount before winning the opportunity.")
    )
    o.refresh_from_db()
    assert o.state == "open"
    j.shot("board-refused")

    # 4. The amount in, then won from its page.
    page.goto(f"{url}{o.get_absolute_url()}")
    follow(page, page.get_by_role("link", name=T("Edit")))
    page.fill("#id_amount", "128000")
    follow(page, page.get_by_role("button", name=T("Save")))
    j.shot("saved")
    follow(page, page.locator("#opp-win"))
    expect(page.locator("#opp-stage")).to_have_text(won_label)
    o.refresh_from_db()
    assert o.state == "won" and o.amount == Decimal("128000")

    # 5. The old deal dropped on "lost" asks why; lost with a reason.
    page.goto(f"{url}/sales/pipeline/")
    if drag:
        with page.expect_navigation():
            page.locator(f"#card-{other.pk}").drag_to(page.locator(".kdrop.lost"))
    else:
        with page.expect_navigation():
            page.locator(f"#card-{other.pk} select[name=stage]").select_option(value=str(stage["Lost"].pk))
    reason = LostReason.objects.order_by("position").first()
    with translation.override(lang):
        page.select_option("#id_lost_reason", label=reason.name)
    j.fits()
    follow(page, page.get_by_role("button", name=T("Mark as lost")))
    other.refresh_from_db()
    assert other.state == "lost" and other.lost_reason == reason

    # 6. The customer's page: won this year, nothing open.
    page.goto(f"{url}{customer.get_absolute_url()}")
    expect(page.locator("#card-pipeline")).to_contain_text("128,000.00")
    j.check("party")
    j.finish()

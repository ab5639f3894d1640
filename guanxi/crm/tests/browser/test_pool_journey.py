"""A rep claims from the pool (公海), in a real browser: the pool lets a rep hold one customer and the rep holds
none; the rep claims one, lands on its page, goes back to the pool and tries a second: the cap refuses it with
a message and the second stays in the pool. In English at 1280 px and in 简体中文 at 390 px (nothing wider than
the screen, no CSP violation). Screenshots: /tmp/shots/crm-pool-*."""

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.crm.models import PoolEntry
from guanxi.crm.services import pools as svc
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@CASES
def test_a_rep_claims_one_customer_and_the_cap_refuses_a_second(
    page, live_server, make_user, admin_user, lang, viewport
):
    east = Team.objects.create(name="East")
    manager = make_user("boss", roles=[R.SALES_MANAGER], manager_of=[east])
    former = make_user("former", roles=[R.SALES_REP], teams=[east])
    rep = make_user("rep", roles=[R.SALES_REP], teams=[east])
    svc.pool_save(
        actor=manager,
        pool=None,
        data={"name_en": "East pool", "name_zh": "华东公海", "teams": [east.pk], "max_per_rep": 1},
    )
    first, second = (
        make_org(admin_user, name, owner=former)
        for name in ("华为技术有限公司（深圳）", "深圳市腾讯计算机系统有限公司")
    )
    entries = {p.pk: svc.customer_release(actor=former, party=p) for p in (first, second)}

    j = Journey(page, live_server, lang, viewport, prefix="crm-pool")
    T = j.T
    j.as_user(rep)
    url = live_server.url

    # 1. The pool: both customers, the rules (holds 0 of 1).
    page.goto(f"{url}/sales/pools/")
    expect(page.locator("#pool-rules")).to_contain_text(
        T("You hold %(held)s customers; a rep may hold %(n)s.") % {"held": 0, "n": 1}
    )
    for p in (first, second):
        expect(page.locator(f"#entry-{entries[p.pk].pk}")).to_contain_text(p.name)
    j.check()

    # 2. Claimed: the rep lands on the customer's page, now theirs.
    follow(page, page.locator(f"#entry-{entries[first.pk].pk}").get_by_role("button", name=T("Claim")))
    assert page.url == f"{url}{first.get_absolute_url()}"
    expect(page.locator(".msg.success")).to_contain_text(T("%(name)s is yours now.") % {"name": first.name})
    assert Party.objects.get(pk=first.pk).owner == rep
    j.check("claimed")

    # 3. Back to the pool: the second is refused by the cap, with a message, and stays in the pool.
    page.goto(f"{url}/sales/pools/")
    expect(page.locator(f"#entry-{entries[first.pk].pk}")).to_have_count(0)
    follow(page, page.locator(f"#entry-{entries[second.pk].pk}").get_by_role("button", name=T("Claim")))
    refused = T("You hold %(n)d customers already, the most this pool allows. Release one first.") % {"n": 1}
    expect(page.locator(".msg.error")).to_contain_text(refused)
    expect(page.locator(f"#entry-{entries[second.pk].pk}")).to_be_visible()
    assert Party.objects.get(pk=second.pk).owner is None
    assert PoolEntry.objects.filter(party=second).exists()
    j.check("refused")
    j.finish()

"""One company, one party, in a real browser. A Buyer opens SRM → Registered companies as suppliers, asks with
a code that is not valid (refused on its field, what was typed kept), then with the customer's unified social
credit code typed in full-width digits and a reason: the request waits. The customer's owner, a Sales Rep, is
told, opens the request from the notification and consents: the company is a candidate supplier, still his.
In English at 1280 px and in 简体中文 at 390 px (nothing wider than the screen, no CSP violation, none of the
feature's English left on a Chinese page). Screenshots: /tmp/shots/role-request-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Notification, Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import SupplierRoleRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "华为技术有限公司"
USCC = "914403001922038216"
FULL_WIDTH = "９１４４０３００１９２２０３８２１６"
REASON = "华为 5G 模组的供货商"
SHOWN = [
    "Registered companies as suppliers",
    "Unified social credit code",
    "Why we buy from them",
    "Ask for the supplier role",
    "Waiting for my consent",
    "Asked by me",
    "Nothing waits for your consent.",
    "Waiting for consent",
    "Add the supplier role to",
    "Consent",
    "Decline",
    "Accepted",
    "Asked by",
    "Decided by",
]


@CASES
def test_a_buyer_asks_for_the_supplier_role_and_the_customers_owner_consents(
    page, live_server, make_user, admin_user, lang, viewport
):
    url = live_server.url
    east, west = Team.objects.create(name="East"), Team.objects.create(name="West")
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language=lang)
    buyer = make_user("emily", roles=[R.BUYER], teams=[west], language=lang)
    customer = make_org(admin_user, COMPANY, owner=rep, identifiers=[{"scheme": "cn_uscc", "value": USCC}])
    j = Journey(
        page, live_server, lang, viewport, prefix="role-request", shown=SHOWN, ignore=[COMPANY, REASON]
    )
    T = j.T

    # 1. The Buyer: the page from the menu; a bad code refused on its field, then the real one.
    j.as_user(buyer)
    j.open_menu_link(T("Registered companies as suppliers"))
    form = page.locator("#role-request-form")
    expect(page.locator("#role-requests-waiting")).to_have_text(T("Nothing waits for your consent."))
    form.locator("#rr-uscc").fill("123")
    form.locator("#rr-reason").fill(REASON)
    follow(page, page.locator("#role-request-ask"))
    expect(page.locator("#role-request-errors")).to_be_visible()
    expect(form.locator("#rr-reason")).to_have_value(REASON)  # what was typed is kept
    j.check("refused")
    form.locator("#rr-uscc").fill(FULL_WIDTH)
    follow(page, page.locator("#role-request-ask"))
    req = SupplierRoleRequest.objects.get()
    assert page.url == f"{url}{req.get_absolute_url()}"
    expect(page.locator("#role-request-state")).to_have_text(T("Waiting for consent"))
    expect(page.locator("#role-request-decide")).to_have_count(0)  # not the asker's to decide
    j.check("asked")

    # 2. The owner: told, opens it, consents.
    assert Notification.objects.filter(recipient=rep, event="supplier.role_request").exists()
    j.as_user(rep)
    page.goto(f"{url}/suppliers/role-requests/")
    waiting = page.locator("#role-requests-waiting")
    expect(waiting).to_contain_text(COMPANY)
    j.check("waiting")
    follow(page, waiting.get_by_role("link", name=COMPANY))
    j.check("decide")
    follow(page, page.locator("#role-request-accept"))
    expect(page.locator("#role-request-state")).to_have_text(T("Accepted"))
    party = Party.objects.get(pk=customer.pk)
    assert (party.is_supplier, party.supplier_status, party.owner) == (True, "candidate", rep)
    j.check("accepted")
    j.finish()

"""From the web to the pipeline, in a real browser: a visitor fills in a company's public lead form (no
sign-in), the form's owner finds the lead in Leads, qualifies it, converts it — the duplicate check offers
the customer that exists already — and lands on the new opportunity. In English at 1280 px and in 简体中文 at
390 px (nothing wider than the screen, no CSP violation). Screenshots: /tmp/shots/crm-lead-*."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import CASES, Journey, follow, set_language
from guanxi.crm.models import Lead, WebForm
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@CASES
def test_a_web_enquiry_becomes_an_opportunity(page, live_server, make_user, admin_user, lang, viewport):
    east = Team.objects.create(name="East")
    rep = make_user("rep", roles=[R.SALES_REP], teams=[east])
    known = make_org(admin_user, "深圳新客户科技有限公司", owner=rep)
    form = WebForm.objects.create(name="官网咨询 Website enquiry", owner=rep, team=east)
    j = Journey(page, live_server, lang, viewport, prefix="crm-lead")
    T = j.T
    set_language(page, live_server, lang)
    url = live_server.url

    # 1. A visitor, not signed in, fills in the public form; the honeypot stays empty.
    page.goto(f"{url}/f/{form.key}/")
    box = page.locator(".hp").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0  # off-screen for people, still there for bots
    page.fill("#id_company_name", "深圳新客户科技有限公司")
    page.fill("#id_person_name", "李雷")
    page.fill("#id_phone", "138 0013 8000")
    page.fill("#id_interest", "需要 48 口交换机报价")
    j.check("form")
    follow(page, page.get_by_role("button", name=T("Send")))
    expect(page.locator("#thanks")).to_be_visible()
    lead = Lead.objects.get()
    assert lead.owner == rep and lead.source == "web_form" and lead.phone_e164 == "+8613800138000"

    # 2. The rep finds it under Leads and qualifies it.
    j.as_user(rep)
    page.goto(f"{url}/sales/leads/")
    follow(page, page.get_by_role("link", name=str(lead)))
    follow(page, page.locator("#lead-qualify"))
    expect(page.locator("#lead-status")).to_have_text(T("Qualified"))
    j.fits()

    # 3. Convert: the customer that exists already is offered; the rep takes it.
    follow(page, page.locator("#lead-convert"))
    expect(page.locator("#lead-duplicates")).to_contain_text(known.name)
    expect(page.locator(f"input[name=organization][value='{known.pk}']")).to_be_checked()  # the default
    page.fill("#id_amount", "48000")
    page.fill("#id_expected_close", (dt.date.today() + dt.timedelta(days=20)).isoformat())
    j.check("convert")
    follow(page, page.get_by_role("button", name=T("Convert", "lead")))
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.organization == known and lead.contact.name == "李雷"
    assert page.url.endswith(lead.opportunity.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(lead.opportunity.name)
    j.shot("opportunity")
    j.finish()

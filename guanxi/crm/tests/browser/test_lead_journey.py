"""From the web to the pipeline, in a real browser: a visitor fills in a company's public lead form (no
sign-in), the form's owner finds the lead in Leads, qualifies it, converts it — the duplicate check offers
the customer that exists already — and lands on the new opportunity. In English at 1280 px and in 简体中文 at
390 px (nothing wider than the screen, no CSP violation). Screenshots: /tmp/shots/crm-lead-*."""

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import follow, login_as, shot
from guanxi.crm.models import Lead, WebForm
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def tr(lang: str, text: str) -> str:
    with translation.override(lang):
        return gettext(text)


def ptr(lang: str, context: str, text: str) -> str:
    with translation.override(lang):
        return pgettext(context, text)


def _fits(page, viewport) -> None:
    if viewport["width"] <= PHONE["width"]:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{page.url} is {width}px wide"


@pytest.mark.parametrize(
    ("lang", "viewport"), [("en", DESKTOP), ("zh-hans", PHONE)], ids=["en-desktop", "zh-phone"]
)
def test_a_web_enquiry_becomes_an_opportunity(page, live_server, make_user, admin_user, lang, viewport):
    T = lambda text: tr(lang, text)  # noqa: E731
    PT = lambda context, text: ptr(lang, context, text)  # noqa: E731
    tag = f"{lang}-{viewport['width']}"
    east = Team.objects.create(name="East")
    rep = make_user("rep", roles=[R.SALES_REP], teams=[east])
    known = make_org(admin_user, "深圳新客户科技有限公司", owner=rep)
    form = WebForm.objects.create(name="官网咨询 Website enquiry", owner=rep, team=east)
    page.set_viewport_size(viewport)
    page.set_default_timeout(15_000)
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text[:100]) if "Content Security Policy" in m.text else None)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    url = live_server.url

    # 1. A visitor, not signed in, fills in the public form; the honeypot stays empty.
    page.goto(f"{url}/f/{form.key}/")
    box = page.locator(".hp").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0  # off-screen for people, still there for bots
    page.fill("#id_company_name", "深圳新客户科技有限公司")
    page.fill("#id_person_name", "李雷")
    page.fill("#id_phone", "138 0013 8000")
    page.fill("#id_interest", "需要 48 口交换机报价")
    _fits(page, viewport)
    shot(page, f"crm-lead-form-{tag}")
    follow(page, page.get_by_role("button", name=T("Send")))
    expect(page.locator("#thanks")).to_be_visible()
    lead = Lead.objects.get()
    assert lead.owner == rep and lead.source == "web_form" and lead.phone_e164 == "+8613800138000"

    # 2. The rep finds it under Leads and qualifies it.
    login_as(page, live_server, rep)
    page.goto(f"{url}/sales/leads/")
    follow(page, page.get_by_role("link", name=str(lead)))
    follow(page, page.locator("#lead-qualify"))
    expect(page.locator("#lead-status")).to_have_text(T("Qualified"))
    _fits(page, viewport)

    # 3. Convert: the customer that exists already is offered; the rep takes it.
    follow(page, page.locator("#lead-convert"))
    expect(page.locator("#lead-duplicates")).to_contain_text(known.name)
    expect(page.locator(f"input[name=organization][value='{known.pk}']")).to_be_checked()  # the default
    page.fill("#id_amount", "48000")
    page.fill("#id_expected_close", (dt.date.today() + dt.timedelta(days=20)).isoformat())
    _fits(page, viewport)
    shot(page, f"crm-lead-convert-{tag}")
    follow(page, page.get_by_role("button", name=PT("lead", "Convert")))
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.organization == known and lead.contact.name == "李雷"
    assert page.url.endswith(lead.opportunity.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(lead.opportunity.name)
    shot(page, f"crm-lead-opportunity-{tag}")
    assert not csp, csp

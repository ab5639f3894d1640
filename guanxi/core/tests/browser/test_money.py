"""Settings → Exchange rates in a real browser, in English at desktop width and in Chinese on a phone: an
administrator enters a rate (an error first, then the fix), sees it in the list, and converts an amount at
a later date, which uses that rate and says so. The English run then sees the same settings pages fit a
phone too (English is the wider of the two languages)."""

import pytest
from playwright.sync_api import expect

from guanxi.core.services.money import money_presets_ensure
from guanxi.core.tests.browser.support import (
    CASES,
    LANGUAGES,
    PHONE,
    Journey,
    as_user,
    fits,
    follow,
    shot,
    tr,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETTINGS = ("/settings/currencies/", "/settings/tax-rates/", "/settings/exchange-rates/import/")


@CASES
def test_enter_a_rate_and_convert(page, live_server, admin_user, lang, viewport):
    money_presets_ensure()  # a transactional test starts from an emptied database
    j = Journey(page, live_server, lang, viewport, prefix="money", timeout=10_000)
    j.as_user(admin_user)
    name = f"money-{lang}-{'phone' if j.phone else 'desktop'}"

    page.goto(f"{live_server.url}/settings/tokens/")
    if j.phone:
        page.locator("[data-menu-toggle]").click()
    follow(page, page.locator("#sidenav").get_by_role("link", name=tr(lang, "Exchange rates")))
    expect(page.locator("h1")).to_have_text(tr(lang, "Exchange rates"))
    expect(page.locator("#rate-results")).to_contain_text(tr(lang, "No exchange rates yet."))

    follow(page, page.get_by_role("link", name=tr(lang, "New rate")))
    page.fill("#id_date", "2026-11-25")
    page.select_option("#id_base", "USD")
    page.select_option("#id_quote", "CNY")
    page.fill("#id_rate", "7,1234")  # a typo: refused, and kept for correcting
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    expect(page.locator(".field.has-error")).to_contain_text(
        tr(lang, "Write the rate with a decimal point and no commas, e.g. 7.1234.")
    )
    expect(page.locator("#id_rate")).to_have_value("7,1234")
    page.fill("#id_rate", "abc")
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    expect(page.locator(".field.has-error")).to_contain_text(
        tr(lang, "Enter the rate as a number, e.g. 7.1234.")
    )
    expect(page.locator("#id_base")).to_have_value("USD")
    shot(page, f"{name}-error")
    j.fits()
    page.fill("#id_rate", "7.1234")
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    expect(page.locator(".msg.success")).to_contain_text("1 USD = 7.1234 CNY")
    expect(page.locator("#rate-results")).to_contain_text("1 USD = 7.1234 CNY")

    page.fill("#convert_amount", "100")
    page.select_option("#convert_from_currency", "USD")
    page.select_option("#convert_to_currency", "CNY")
    page.fill("#convert_date", "2026-11-26")
    page.get_by_role("button", name=tr(lang, "Convert"), exact=True).click()
    result = page.locator("#convert-result")
    expect(result).to_contain_text("¥712.34")
    expect(result).to_contain_text("柒佰壹拾贰元叁角肆分")
    day = "2026-11-26" if lang == "en" else "2026年11月26日"
    earlier = "2026-11-25" if lang == "en" else "2026年11月25日"
    expect(result).to_contain_text(
        tr(lang, "There is no rate for %(day)s: the latest earlier one (%(date)s) was used.")
        % {"day": day, "date": earlier}
    )
    shot(page, name)
    j.fits()
    for path in SETTINGS:
        page.goto(f"{live_server.url}{path}")
        shot(page, f"{name}-{path.strip('/').replace('/', '-')}")
        j.fits()
    if not j.phone:  # the English pages on a phone: the form, the list with its rate, the others
        page.set_viewport_size(PHONE)
        for path in ("/settings/exchange-rates/new/", "/settings/exchange-rates/", *SETTINGS):
            page.goto(f"{live_server.url}{path}")
            fits(page, PHONE)
    j.finish()


@LANGUAGES
def test_import_with_a_preview(page, live_server, admin_user, lang):
    money_presets_ensure()
    page.set_default_timeout(10_000)
    as_user(page, live_server, admin_user, lang)
    page.goto(f"{live_server.url}/settings/exchange-rates/import/")
    page.fill("#id_text", "日期,基准货币,报价货币,汇率\n2026-11-25,USD,CNY,7.1234\n2026-11-25,XYZ,CNY,1\n")
    follow(page, page.get_by_role("button", name=tr(lang, "Preview")))
    expect(page.locator(".card").first).to_contain_text(
        tr(
            lang,
            "Nothing was imported: correct the lines with errors (below, or in your file) and preview again.",
        )
    )
    expect(page.get_by_role("button", name=tr(lang, "Import these rates"))).to_have_count(0)
    shot(page, f"money-import-{lang}-errors")
    page.fill("#id_text", "日期,基准货币,报价货币,汇率\n2026-11-25,USD,CNY,7.1234\n2026-11-25,EUR,CNY,7.7\n")
    follow(page, page.get_by_role("button", name=tr(lang, "Preview")))
    shot(page, f"money-import-{lang}-preview")
    follow(page, page.get_by_role("button", name=tr(lang, "Import these rates")))
    expect(page.locator("h1")).to_have_text(tr(lang, "Exchange rates"))
    expect(page.locator("#rate-results")).to_contain_text("1 EUR = 7.7 CNY")
    expect(page.locator("#rate-results")).to_contain_text(tr(lang, "Imported"))

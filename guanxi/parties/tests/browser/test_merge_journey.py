"""A Sales Manager merges two duplicate customers and undoes it, in a real browser: Duplicates from the menu,
the pair with its reasons, Compare and merge, keep one, the success message and the banner on the kept one,
the merged one says where it went, undo from its banner, and it is back. In English and 简体中文 at 1280 px,
and in 简体中文 at 390 px (a phone: nothing wider than the screen). Screenshots: /tmp/merge_shots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import follow, login_as
from guanxi.parties.models import Party, PartyMerge
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/merge_shots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PHONE_NUMBER = "+86 755 2878 0808"
# What the journey shows of the feature: in Chinese, none of it may be left in English.
SHOWN = [
    "Duplicates",
    "Looks like",
    "Compare and merge",
    "Not duplicates",
    "Recent merges",
    "Merge two records",
    "Keep",
    "Undo the merge",
    "Open it",
    "Merge…",
    "Look again now",
]


class Untranslated(AssertionError):
    """English text of the feature on a page shown in Chinese."""


def tr(lang: str, text: str) -> str:
    with translation.override(lang):
        return gettext(text)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, caret="initial")


def _fits(page, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide on a {viewport['width']}px screen"


CASES = pytest.mark.parametrize(
    ("lang", "viewport"),
    [
        pytest.param("en", DESKTOP, id="en-desktop"),
        pytest.param("zh-hans", DESKTOP, id="zh-desktop"),
        pytest.param("zh-hans", PHONE, id="zh-phone"),
    ],
)


@CASES
def test_a_sales_manager_merges_two_duplicates_and_undoes_it(
    page, live_server, make_user, admin_user, lang, viewport
):
    T = lambda text: tr(lang, text)  # noqa: E731
    tag = f"{lang}-{viewport['width']}"
    url = live_server.url
    east = Team.objects.create(name="East")
    manager = make_user("boss", roles=[R.SALES_MANAGER], manager_of=[east], language=lang)
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east])
    first = make_org(
        admin_user, "华为技术有限公司", owner=rep, phones=[PHONE_NUMBER], emails=["info@huawei.example.cn"]
    )
    second = make_org(
        admin_user,
        "华为技术股份有限公司",
        owner=rep,
        phones=[PHONE_NUMBER],
        emails=["sales@huawei.example.cn"],
        website="https://huawei.example.cn",
    )
    english_seen: set[str] = set()

    def check(name: str) -> None:
        """Fits the screen, keep a screenshot, and note the feature's English text on a Chinese page."""
        _fits(page, viewport)
        shot(page, f"merge-{name}-{tag}")
        if lang != "en":
            text = page.locator("body").inner_text()
            english_seen.update(s for s in SHOWN if s in text)

    page.set_viewport_size(viewport)
    page.set_default_timeout(15_000)
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text[:100]) if "Content Security Policy" in m.text else None)
    login_as(page, live_server, manager)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": url}])

    # 1. Duplicates, from the menu: the pair and why.
    page.goto(f"{url}/")
    if viewport is PHONE:
        page.locator("[data-menu-toggle]").click()
    follow(page, page.locator("#sidenav").get_by_role("link", name=T("Duplicates")))
    assert page.url == f"{url}/parties/duplicates/"
    expect(page.locator("p.scan")).to_contain_text(
        T("No scan has run yet: the scan runs every night, or now when you ask for it.")
    )
    page.get_by_role("button", name=T("Look again now")).click()  # tests run tasks at once
    expect(page.locator(".messages")).to_contain_text(
        T("Looking for duplicates in the background: reload this page in a minute to see what was found.")
    )
    row = page.locator("table.duplicates tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("华为技术有限公司")
    expect(row).to_contain_text("华为技术股份有限公司")
    expect(row).to_contain_text(T("similar name"))
    expect(row).to_contain_text(T("same phone"))
    check("duplicates")

    # 2. Compare them side by side; keep the second one; say yes to the question.
    follow(page, row.get_by_role("link", name=T("Compare and merge")))
    compare = page.locator("table.compare")
    expect(compare).to_contain_text("https://huawei.example.cn")
    expect(compare).to_contain_text("sales@huawei.example.cn")
    check("compare")
    page.locator(f"input[name=keep][value='{second.pk}']").check()
    page.once("dialog", lambda d: d.accept())
    follow(page, page.locator("form.merge").get_by_role("button", name=T("Merge"), exact=True))

    # 3. On the kept one: the success message and the banner with its undo.
    assert page.url.startswith(f"{url}{second.get_absolute_url()}")
    expect(page.locator(".msg.success")).to_contain_text(
        T("“%(merged)s” was merged into “%(kept)s”. You can undo this within %(days)d days.")
        % {"merged": first.name, "kept": second.name, "days": 30}
    )
    banner = page.locator(".msg.merged")
    expect(banner).to_contain_text(first.name)
    expect(banner.get_by_role("button", name=T("Undo"))).to_be_visible()
    record = PartyMerge.objects.get()
    assert (record.kept_id, record.merged_id) == (second.pk, first.pk)
    assert Party.objects.get(pk=second.pk).contact_points.filter(value="info@huawei.example.cn").exists()
    check("kept")

    # 4. The merged one says where it went, and offers the undo.
    page.goto(f"{url}{first.get_absolute_url()}")
    banner = page.locator(".msg.merged")
    expect(banner).to_contain_text(T("This record was merged into “%(name)s”.") % {"name": second.name})
    expect(banner.get_by_role("link", name=T("Open it"))).to_have_attribute("href", second.get_absolute_url())
    expect(page.get_by_role("link", name=T("Merge…"))).to_have_count(0)
    check("merged")

    # 5. Undo from the banner: it is back, as it was.
    page.once("dialog", lambda d: d.accept())
    follow(page, banner.get_by_role("button", name=T("Undo the merge")))
    assert page.url == f"{url}{first.get_absolute_url()}"
    expect(page.locator(".msg.success")).to_contain_text(
        T("The merge was undone: “%(name)s” is back.") % {"name": first.name}
    )
    expect(page.locator(".msg.merged")).to_have_count(0)
    expect(page.get_by_role("link", name=T("Merge…"))).to_be_visible()
    restored = Party.objects.get(pk=first.pk)
    assert restored.merged_into_id is None and restored.archived_at is None
    assert set(restored.contact_points.values_list("value", flat=True)) == {
        "0755 2878 0808",
        "info@huawei.example.cn",
    }
    assert set(Party.objects.get(pk=second.pk).contact_points.values_list("value", flat=True)) == {
        "0755 2878 0808",
        "sales@huawei.example.cn",
    }
    check("undone")

    # 6. The pair is suggested again, and no merge is left to undo.
    page.goto(f"{url}/parties/duplicates/")
    expect(page.locator("table.duplicates tbody tr")).to_have_count(1)
    expect(page.locator("table.merges")).to_contain_text(T("No merges in the last 30 days."))
    check("duplicates-again")
    assert not csp, csp
    if english_seen:
        raise Untranslated(f"English on the Chinese pages: {sorted(english_seen)}")

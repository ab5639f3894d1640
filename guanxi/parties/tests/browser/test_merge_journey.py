"""A Sales Manager merges two duplicate customers and undoes it, in a real browser: Duplicates from the menu,
the pair with its reasons, Compare and merge, keep one, the success message and the banner on the kept one,
the merged one says where it went, undo from its banner, and it is back. In English at 1280 px and in
简体中文 at 390 px (a phone: nothing wider than the screen). Screenshots: /tmp/shots/merge-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.parties.models import Party, PartyMerge
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


@CASES
def test_a_sales_manager_merges_two_duplicates_and_undoes_it(
    page, live_server, make_user, admin_user, lang, viewport
):
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
    j = Journey(page, live_server, lang, viewport, prefix="merge", shown=SHOWN, scope="body")
    T, check = j.T, j.check
    j.as_user(manager)

    # 1. Duplicates, from the menu: the pair and why.
    j.open_menu_link(T("Duplicates"))
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
    j.finish()

"""Print a party's profile sheet from its page: preview, switch language, download the PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core.tests.browser.support import CASES, as_user, follow, shot
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@CASES
def test_print_a_profile_sheet(page, live_server, admin_user, lang, viewport, tmp_path):
    org = make_org(admin_user, "华为技术有限公司", phones=["0755 2878 0808"])
    make_person(admin_user, "张伟", organization=org, job_title="采购经理")
    page.set_viewport_size(viewport)
    page.set_default_timeout(10_000)
    as_user(page, live_server, admin_user, lang)
    page.goto(f"{live_server.url}/parties/{org.pk}/")
    follow(page, page.get_by_role("link", name="打印" if lang != "en" else "Print"))
    expect(page.locator("h1")).to_have_text("往来单位档案" if lang != "en" else "Profile sheet")
    expect(page.locator("table.lines")).to_contain_text("张伟")
    shot(page, f"print-preview-{lang}-{viewport['width']}")
    other = "English" if lang != "en" else "简体中文"
    follow(page, page.get_by_role("link", name=other))
    expect(page.locator("h1")).to_have_text("Profile sheet" if lang != "en" else "往来单位档案")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF" if lang != "en" else "下载 PDF").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF") and path.name == "华为技术有限公司-profile.pdf"

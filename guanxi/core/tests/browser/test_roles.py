"""Settings → Roles in a real browser: read the matrix, make a custom role from a shipped one, give it to
a user, and see the menu that role opens — in English and Chinese, at desktop width and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core.models import Role
from guanxi.core.tests.browser.support import CASES, as_user, follow, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "roles": "Roles",
        "new": "Create role",
        "save": "Save role",
        "orgs": "Organizations",
        "export": "Export parties",
    },
    "zh-hans": {
        "roles": "角色",
        "new": "创建角色",
        "save": "保存角色",
        "orgs": "企业",
        "export": "导出往来单位",
    },
}


@CASES
def test_an_administrator_makes_a_read_only_role(page, live_server, admin_user, make_user, lang, viewport):
    t = TEXT[lang]
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.set_default_timeout(10_000)
    as_user(page, live_server, admin_user, lang)
    page.goto(f"{live_server.url}/settings/roles/")
    expect(page.locator("h1")).to_have_text(t["roles"])
    expect(page.locator("table.matrix")).to_contain_text(t["export"])
    shot(page, f"roles-matrix-{lang}-{width}")

    page.fill("#id_name", "Auditor")
    page.fill("#id_name_zh", "审计员")
    page.select_option("#id_based_on", label="高管" if lang != "en" else "Executive")
    follow(page, page.get_by_role("button", name=t["new"]))
    role = Role.objects.get(code="auditor")
    expect(page).to_have_url(f"{live_server.url}/settings/roles/{role.pk}/")
    page.get_by_label(t["export"]).uncheck()
    page.select_option("select[name='view:suppliers']", "0")
    shot(page, f"role-form-{lang}-{width}")
    follow(page, page.get_by_role("button", name=t["save"]))
    expect(page.locator("table.matrix")).to_contain_text("审计员" if lang != "en" else "Auditor")
    role.refresh_from_db()
    assert "party.export" not in role.actions and "suppliers" not in role.view_scopes

    auditor = make_user("auditor1", roles=[role.code])
    as_user(page, live_server, auditor, lang)
    page.goto(f"{live_server.url}/")
    nav = page.locator("#sidenav")
    if width < 700:
        page.locator("[data-menu-toggle]").click()
    expect(nav.get_by_role("link", name=t["orgs"])).to_be_visible()
    expect(nav.get_by_role("link", name=t["roles"])).to_have_count(0)
    shot(page, f"role-auditor-home-{lang}-{width}")

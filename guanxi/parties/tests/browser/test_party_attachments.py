"""Attachments on a party in a real browser: open the tab, upload a PDF and an image (with progress, through
htmx), be told why a disguised program is refused, preview the PDF in a new tab and the image inline,
delete with a confirmation — in English at desktop width and in Chinese on a phone (390 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core.models import Attachment
from guanxi.core.roles import SALES_REP
from guanxi.core.tests.attachments_support import SAMPLES, pdf_bytes, png_bytes
from guanxi.core.tests.browser.support import CASES, Journey, shot
from guanxi.parties.tests.factories import make_org

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("attachments_dir"),
]


def file(name: str, content: bytes, mime: str = "application/octet-stream") -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


@CASES
def test_upload_preview_and_delete_attachments_on_a_party(
    page, live_server, make_user, team, settings, lang, viewport
):
    rep = make_user("wang", roles=[SALES_REP], teams=[team])
    party = make_org(rep, "深圳华强电子有限公司")
    j = Journey(page, live_server, lang, viewport, prefix="attachments", timeout=10_000)
    t = j.T
    j.as_user(rep)

    page.goto(f"{live_server.url}/parties/{party.pk}/")
    page.get_by_role("tab", name=t("Attachments")).click()
    panel = page.locator("#attachments-panel")
    expect(panel).to_contain_text(t("No files attached yet."))
    assert "tab=attachments" in page.url

    # A PDF with a description, then an image: each upload swaps the panel in place.
    panel.locator("input[name=file]").set_input_files(
        file("报价单 2026.pdf", pdf_bytes("Offer 2026"), "application/pdf")
    )
    panel.locator("input[name=description]").fill("Signed offer")
    panel.get_by_role("button", name=t("Upload")).click()
    expect(panel.locator(".msg.success")).to_contain_text(t("“%(name)s” attached.", name="报价单 2026.pdf"))
    panel.locator("input[name=file]").set_input_files(file("logo.png", png_bytes(120, 80), "image/png"))
    panel.get_by_role("button", name=t("Upload")).click()
    expect(panel.locator("tbody tr")).to_have_count(2)
    thumb = panel.locator("img.thumb")
    expect(thumb).to_be_visible()
    expect(thumb).to_have_js_property("naturalWidth", 120)  # the image loaded, under the CSP

    # A file over the size limit is refused as soon as it is chosen, before anything is sent.
    settings.GUANXI_ATTACHMENT_MAX_BYTES = 5000
    page.reload()
    panel.locator("input[name=file]").set_input_files(file("big.txt", b"x" * 6000, "text/plain"))
    expect(panel.locator("[data-upload-error]")).to_contain_text("4.9")  # 5000 bytes, as 4.9 KB
    panel.get_by_role("button", name=t("Upload")).click()
    expect(panel.locator("tbody tr")).to_have_count(2)
    assert Attachment.objects.count() == 2
    settings.GUANXI_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
    page.reload()

    # A program named like a PDF is refused, with the reason; the description typed is kept.
    panel.locator("input[name=file]").set_input_files(file("invoice.pdf", SAMPLES["exe"], "application/pdf"))
    panel.locator("input[name=description]").fill("from an e-mail")
    panel.get_by_role("button", name=t("Upload")).click()
    error = panel.locator(".has-error .error")
    expect(error).to_contain_text("invoice.pdf")
    expect(panel.locator("input[name=description]")).to_have_value("from an e-mail")
    assert Attachment.objects.count() == 2
    j.check("tab")

    # Preview: the PDF opens in a new tab, shown by the browser (inline), never downloaded.
    pdf_row = panel.locator("tbody tr", has_text="报价单 2026.pdf")
    expect(pdf_row).to_contain_text("Signed offer")
    with page.context.expect_page() as new_tab:
        pdf_row.get_by_role("link", name=t("Preview")).click()
    preview = new_tab.value
    preview.wait_for_load_state()
    assert "/preview/" in preview.url
    response = preview.request.get(preview.url)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    preview.wait_for_timeout(1500)  # the viewer draws the page after the load event
    shot(preview, f"attachments-pdf-preview-{lang}")
    preview.close()

    # Delete the image, after saying yes.
    page.once("dialog", lambda d: d.accept())
    panel.locator("tbody tr", has_text="logo.png").get_by_role("link", name=t("Delete")).click()
    expect(panel.locator(".msg.success")).to_contain_text(t("“%(name)s” deleted.", name="logo.png"))
    expect(panel.locator("tbody tr")).to_have_count(1)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["报价单 2026.pdf"]

    # The full list of the record's files, and the question a Delete link asks without JavaScript.
    page.goto(f"{live_server.url}/attachments/parties.party/{party.pk}/")
    expect(page.locator("h1")).to_contain_text("深圳华强电子有限公司")
    j.shot("list")
    page.goto(live_server.url + page.locator("tbody tr a.danger").first.get_attribute("href"))
    expect(page.locator("h1")).to_contain_text("报价单 2026.pdf")
    j.shot("delete")
    page.goto(f"{live_server.url}/parties/{party.pk}/?tab=attachments")

    # The history tab tells both.
    page.get_by_role("tab", name=t("History")).click()
    expect(page.locator("#tabpanel")).to_contain_text(t("Attachment added"))
    expect(page.locator("#tabpanel")).to_contain_text(t("Attachment deleted"))
    j.shot("history")
    j.finish()

"""An administrator adds our company (with a logo) and changes how it numbers a document type, watching
the preview of the next number, in English and in Chinese; then the same pages fit a phone (390 px)."""

import io

import pytest
from django.db import transaction
from playwright.sync_api import expect

from guanxi.core.models import Company, NumberSequence
from guanxi.core.services.numbering import number_next
from guanxi.core.tests.browser.support import LANGUAGES, PHONE, as_user, fits, follow, shot, tr
from guanxi.core.tests.numbering.doc_types import WIDGET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (160, 60), (192, 32, 38)).save(buf, format="PNG")
    return buf.getvalue()


def _uscc() -> str:
    from stdnum.cn import uscc

    return "91350203MA8GXDEM0" + uscc.calc_check_digit("91350203MA8GXDEM0")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@LANGUAGES
def test_admin_adds_a_company_and_changes_a_pattern(page, live_server, make_user, lang):
    admin = make_user("boss", superuser=True, language=lang)
    page.set_default_timeout(10_000)
    as_user(page, live_server, admin, lang)

    page.goto(f"{live_server.url}/settings/companies/")
    expect(page.locator("h1")).to_have_text(tr(lang, "Our companies"))
    expect(page.locator(".card.empty")).to_contain_text(tr(lang, "No company yet."))
    follow(page, page.get_by_role("link", name=tr(lang, "Add the company that issues your documents")))

    # A wrong code first: the error shows by the field and nothing typed is lost.
    page.fill("#id_name_zh", "关系示范科技有限公司")
    page.fill("#id_name_en", "Guanxi Demo Technology Co., Ltd.")
    page.fill("#id_uscc", _uscc()[:-1] + ("1" if _uscc()[-1] != "1" else "2"))
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    expect(page.locator(".has-error .error")).to_contain_text(
        tr(lang, "check digit") if lang == "en" else "校验"
    )
    expect(page.locator("#id_name_zh")).to_have_value("关系示范科技有限公司")
    page.fill("#id_uscc", _uscc())
    page.set_input_files("#id_logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png()}])
    shot(page, f"company-form-{lang}")
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    expect(page.locator(".msg.success")).to_be_visible()
    row = page.locator("table.companies tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(
        "关系示范科技有限公司" if lang != "en" else "Guanxi Demo Technology Co., Ltd."
    )
    expect(row.locator("img.logo-thumb")).to_be_visible()
    expect(row).to_contain_text(tr(lang, "Default"))
    shot(page, f"companies-{lang}")
    company = Company.objects.get()
    assert company.is_default and company.logo.name

    with transaction.atomic():
        number_next(doc_type=WIDGET, company=company)  # a document was issued meanwhile

    page.goto(f"{live_server.url}/settings/numbering/")
    expect(page.locator("h1")).to_have_text(tr(lang, "Document numbering"))
    table = page.locator(f'table.numbering[data-doc-type="{WIDGET}"]')
    expect(table).to_contain_text("WG-{YYYY}-{seq:05}")
    expect(table).to_contain_text("-00001")
    shot(page, f"numbering-{lang}")
    follow(page, table.get_by_role("link", name=tr(lang, "Edit")))

    preview = page.locator("#number-preview")
    expect(preview.locator(".next-number")).to_contain_text("-00002")
    page.fill("#id_pattern", "QT{YYYY}{MM}-{seq:04}")
    expect(preview.locator(".next-number")).to_have_text(_next("QT{YYYY}{MM}-{seq:04}", 2))
    page.select_option("#id_reset", "never")
    page.fill("#id_pattern", "QT-{seq")  # a part not closed: told at once, under the field
    expect(preview.locator(".error")).to_be_visible()
    page.fill("#id_pattern", "QT{YYYY}{MM}-{seq:04}")
    page.select_option("#id_reset", "monthly")
    expect(preview.locator(".next-number")).to_have_text(_next("QT{YYYY}{MM}-{seq:04}", 2))
    shot(page, f"numbering-form-{lang}")
    follow(page, page.get_by_role("button", name=tr(lang, "Save")))
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator(f'table.numbering[data-doc-type="{WIDGET}"]')).to_contain_text(
        "QT{YYYY}{MM}-{seq:04}"
    )
    sequence = NumberSequence.objects.get()
    assert (sequence.pattern, sequence.reset, sequence.version) == ("QT{YYYY}{MM}-{seq:04}", "monthly", 1)

    # The same pages on a phone: nothing wider than the screen.
    page.set_viewport_size(PHONE)
    for path in (
        "/settings/companies/",
        f"/settings/companies/{company.pk}/",
        "/settings/numbering/",
        f"/settings/numbering/{WIDGET}/{company.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        fits(page, PHONE)
        shot(page, f"phone-{lang}-{path.strip('/').replace('/', '-')}")


def _next(pattern: str, seq: int) -> str:
    from django.utils import timezone

    from guanxi.core.numbering import pattern_compile

    return pattern_compile(pattern).format(timezone.localdate(), seq)

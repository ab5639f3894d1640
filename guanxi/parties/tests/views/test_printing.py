"""Printable documents: print preview and PDF of a registered printable (the party profile sheet), in the
recipient's language, read back with pdftotext; only for users who may see the record."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from guanxi.core.roles import BUYER, SALES_REP
from guanxi.core.tests.factories import make_user
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _urls(party, key="profile"):
    args = ["parties.party", party.pk, key]
    return reverse("core:print_preview", args=args), reverse("core:print_pdf", args=args)


@pytest.fixture
def huawei(admin_user):
    org = make_org(admin_user, "华为技术有限公司", phones=["0755 2878 0808"])
    make_person(admin_user, "张伟", organization=org, job_title="采购经理")
    return org


def test_the_pdf_of_a_chinese_party_is_in_chinese_with_page_numbers(admin_client, huawei, tmp_path):
    huawei.preferred_language = "zh-hans"
    huawei.save(update_fields=["preferred_language"])
    preview, pdf = _urls(huawei)
    response = admin_client.get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E5%8D%8E%E4%B8%BA" in response["Content-Disposition"]
    text = _text(response.content, tmp_path)
    assert "华为技术有限公司" in text and "张伟" in text and "采购经理" in text
    assert "往来单位档案" in text and "第 1 页，共 1 页" in text


def test_the_recipients_language_can_be_overridden(admin_client, huawei, tmp_path):
    _preview, pdf = _urls(huawei)
    text = _text(admin_client.get(pdf + "?lang=en").content, tmp_path)
    assert "Profile sheet" in text and "Page 1 of 1" in text and "华为技术有限公司" in text


def test_the_preview_is_html_with_a_download_link_and_no_inline_style(admin_client, huawei):
    preview, _pdf = _urls(huawei)
    response = admin_client.get(preview)
    html = response.content.decode()
    assert response.status_code == 200 and "华为技术有限公司" in html
    assert 'href="pdf/?lang=' in html and "<style" not in html  # the CSP allows no inline style


def test_the_party_page_offers_print(admin_client, huawei):
    html = admin_client.get(reverse("parties:detail", args=[huawei.pk])).content.decode()
    assert _urls(huawei)[0] in html


def test_a_long_contact_list_runs_over_pages(admin_client, admin_user, tmp_path):
    org = make_org(admin_user, "Big Staff Ltd")
    for n in range(60):
        make_person(admin_user, f"Person {n:02d}", organization=org, job_title="Engineer")
    text = _text(admin_client.get(_urls(org)[1] + "?lang=en").content, tmp_path)
    assert "Person 00" in text and "Person 59" in text and "Page 2 of" in text


def test_who_may_not_see_the_party_gets_404(client, huawei):
    client.force_login(make_user("buyer1", roles=[BUYER]))  # sees suppliers only
    preview, pdf = _urls(huawei)
    assert client.get(preview).status_code == 404 and client.get(pdf).status_code == 404


@pytest.mark.parametrize(
    "args",
    [["parties.party", 999999, "profile"], ["parties.party", 1, "nope"], ["nope.model", 1, "profile"]],
)
def test_unknown_things_are_404(admin_client, args):
    assert admin_client.get(reverse("core:print_preview", args=args)).status_code == 404


def test_the_owner_prints_their_own_customer(client, admin_user):
    rep = make_user("rep1", roles=[SALES_REP])
    org = make_org(admin_user, "Rep's Customer", owner=rep)
    client.force_login(rep)
    assert client.get(_urls(org)[1]).status_code == 200


def test_the_footer_is_css_with_counters_and_escaped_names():
    from types import SimpleNamespace

    from guanxi.core import registry
    from guanxi.core.services.printing import PrintJob, _footer_css

    names = {"en": 'Acme "A" <b>\\', "zh-hans": "甲公司"}
    company = SimpleNamespace(name_in=lambda language: names[language])
    form = registry.Printable("x.y", "k", "K", "t.html", company=lambda o: company)
    css = _footer_css(PrintJob(form, object(), "en"))
    assert 'content: "Page " counter(page) " of " counter(pages);' in css
    assert '"Acme \\000022A\\000022 \\00003cb\\00003e\\00005c"' in css
    assert '"甲公司"' in _footer_css(PrintJob(form, object(), "zh-hans"))


def test_the_letterhead_is_the_default_company_in_the_documents_language(
    admin_client, admin_user, huawei, tmp_path
):
    from guanxi.core.tests.factories import make_company

    make_company(admin_user, name_zh="关系示范科技有限公司", name_en="Guanxi Demo Technology Co., Ltd.")
    text = _text(admin_client.get(_urls(huawei)[1] + "?lang=zh-hans").content, tmp_path)
    assert text.count("关系示范科技有限公司") >= 2  # the letterhead and the footer
    assert "Guanxi Demo Technology Co., Ltd." in text  # the other name, under it
    text = _text(admin_client.get(_urls(huawei)[1] + "?lang=en").content, tmp_path)
    assert text.count("Guanxi Demo Technology Co., Ltd.") >= 2

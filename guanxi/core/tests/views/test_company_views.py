"""Settings → Our companies and Document numbering, through the web: forms, errors inline, permissions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from guanxi.core.models import Company, NumberSequence
from guanxi.core.roles import SALES_REP
from guanxi.core.services.numbering import number_next
from guanxi.core.tests.factories import make_company
from guanxi.core.tests.numbering.doc_types import WIDGET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (80, 30), (200, 20, 20)).save(buf, format="PNG")
    return buf.getvalue()


def _wrong_check() -> str:
    from stdnum.cn import uscc

    body = "91110108MA01GXD00"
    right = uscc.calc_check_digit(body)
    return body + ("1" if right != "1" else "2")


FORM = {
    "name_zh": "关系示范科技有限公司",
    "name_en": "Guanxi Demo Technology Co., Ltd.",
    "default_currency": "CNY",
    "fiscal_year_start_month": "1",
}


def test_admin_adds_a_company_with_a_logo(admin_user):
    client = _client(admin_user)
    assert client.get(reverse("core:companies")).status_code == 200
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    resp = client.post(reverse("core:company_create"), {**FORM, "logo": logo})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    company = Company.objects.get()
    assert company.is_default and company.logo.name
    page = client.get(reverse("core:companies")).content.decode()
    assert "关系示范科技有限公司" not in page or "Guanxi Demo Technology" in page
    logo_resp = client.get(reverse("core:company_logo", args=[company.pk]))
    assert logo_resp.status_code == 200 and logo_resp["Content-Type"] == "image/png"


def test_errors_show_inline_and_keep_the_input(admin_user):
    client = _client(admin_user)
    resp = client.post(reverse("core:company_create"), {**FORM, "uscc": _wrong_check(), "phone": "call me"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "check digit is wrong" in html and "Enter a phone number" in html
    assert 'value="关系示范科技有限公司"' in html and f'value="{_wrong_check()}"' in html
    assert not Company.objects.exists()


def test_a_bad_logo_asks_for_the_file_again(admin_user):
    client = _client(admin_user)
    bad = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    html = client.post(reverse("core:company_create"), {**FORM, "logo": bad}).content.decode()
    assert "not an image that can be read" in html


def test_edit_with_a_stale_version_keeps_the_input(admin_user):
    company = make_company(admin_user, name_zh="甲")
    client = _client(admin_user)
    url = reverse("core:company_edit", args=[company.pk])
    data = {**FORM, "is_default": "on", "is_active": "on", "version": "1"}
    assert client.post(url, data).status_code == 302
    resp = client.post(url, {**data, "name_en": "Mine"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "changed this record" in html and 'value="Mine"' in html
    assert client.post(url, {**data, "name_en": "Mine", "version": "2"}).status_code == 302


def test_a_representative_sees_but_cannot_change(admin_user, make_user):
    company = make_company(admin_user, name_zh="甲", name_en="Jia")
    client = _client(make_user(roles=[SALES_REP]))
    assert "Jia" in client.get(reverse("core:companies")).content.decode()
    detail = client.get(reverse("core:company_edit", args=[company.pk]))
    assert detail.status_code == 200 and '<form method="post"' not in detail.content.decode()
    assert client.post(reverse("core:company_edit", args=[company.pk]), FORM).status_code == 200  # read-only
    assert Company.objects.get().name_en == "Jia"
    assert client.get(reverse("core:company_create")).status_code == 404
    assert client.get(reverse("core:numbering")).status_code == 403


def test_no_company_is_an_empty_state(admin_user):
    html = _client(admin_user).get(reverse("core:companies")).content.decode()
    assert "No company yet." in html
    html = _client(admin_user).get(reverse("core:numbering")).content.decode()
    assert "Add one of our companies first" in html


def test_numbering_list_edit_and_preview(admin_user):
    company = make_company(admin_user, name_en="Jia")
    with transaction.atomic():
        number_next(doc_type=WIDGET, company=company)
    client = _client(admin_user)
    html = client.get(reverse("core:numbering")).content.decode()
    assert "WG-{YYYY}-{seq:05}" in html and "-00001" in html and "-00002" in html
    url = reverse("core:numbering_edit", args=[WIDGET, company.pk])
    assert client.get(url).status_code == 200
    preview = client.get(
        url + "preview/", {"pattern": "Q{YYYY}-{seq:03}", "reset": "yearly"}
    ).content.decode()
    assert "-002</code>" in preview
    preview = client.get(url + "preview/", {"pattern": "Q{seq", "reset": "yearly"}).content.decode()
    assert 'class="error"' in preview
    resp = client.post(url, {"pattern": "Q-{seq}", "reset": "yearly", "version": "0"})
    assert resp.status_code == 200 and "needs {YYYY}" in resp.content.decode()
    assert 'value="Q-{seq}"' in resp.content.decode()
    assert (
        client.post(url, {"pattern": "Q{YYYY}-{seq:03}", "reset": "yearly", "version": "0"}).status_code
        == 302
    )
    assert NumberSequence.objects.get().pattern == "Q{YYYY}-{seq:03}"
    assert "Q{YYYY}-{seq:03}" in client.get(url).content.decode()  # the history shows the change


def test_numbering_page_costs_the_same_for_3_and_30_companies(admin_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(admin_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("core:numbering")).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        c = make_company(admin_user, name_en=f"Co {i}")
        with transaction.atomic():
            number_next(doc_type=WIDGET, company=c)
    client.get(reverse("core:numbering"))
    few = count()
    for i in range(3, 30):
        c = make_company(admin_user, name_en=f"Co {i}")
        with transaction.atomic():
            number_next(doc_type=WIDGET, company=c)
    many = count()
    assert few == many <= 10, (few, many)
    few_companies = count()
    assert few_companies == many


def test_companies_page_costs_the_same_for_3_and_30(admin_user, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(make_user(roles=[SALES_REP]))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("core:companies")).content.decode()
        return len(ctx.captured_queries), html.count("<tr")

    for i in range(3):
        make_company(admin_user, name_en=f"Co {i}")
    client.get(reverse("core:companies"))
    few, rows = count()
    assert rows == 4  # the head and 3 companies
    for i in range(3, 30):
        make_company(admin_user, name_en=f"Co {i}")
    many, rows = count()
    assert rows == 31
    assert few == many <= 8, (few, many)


def test_the_default_currency_is_picked_from_the_currencies_in_use_and_a_turned_off_one_is_kept(admin_user):
    from guanxi.core.models import Currency

    client = _client(admin_user)
    page = client.get(reverse("core:company_create")).content.decode()
    assert '<select name="default_currency"' in page and '<option value="USD">' in page
    company = make_company(admin_user, default_currency="USD")
    Currency.objects.filter(code="USD").update(active=False)
    url = reverse("core:company_edit", args=[company.pk])
    page = client.get(url).content.decode()
    assert '<option value="USD" selected>' in page  # shown although turned off: nothing is lost
    data = {**FORM, "name_zh": company.name_zh, "default_currency": "USD", "version": company.version}
    data.update(is_default="on", is_active="on")
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    company.refresh_from_db()
    assert company.default_currency == "USD"
    resp = client.post(url, {**data, "default_currency": "XXX", "version": company.version})
    assert resp.status_code == 200 and Company.objects.get(pk=company.pk).default_currency == "USD"

"""Our companies: create, change, default mark, archive, logo, validation, permissions, audit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Company
from guanxi.core.models.companies import logo_storage
from guanxi.core.roles import SALES_REP
from guanxi.core.selectors.companies import (
    company_default,
    company_get,
    company_list,
    letterhead_of,
)
from guanxi.core.services.companies import company_create, company_update
from guanxi.core.tests.companies.conftest import image_bytes

pytestmark = pytest.mark.django_db

USCC = "91350200MA2XYZ1234"  # not valid: the check digit


def _valid_uscc() -> str:
    from stdnum.cn import uscc

    body = "91110108MA01GXD00"
    return body + uscc.calc_check_digit(body)


DEMO = {
    "name_zh": "关系示范科技有限公司",
    "name_en": "Guanxi Demo Technology Co., Ltd.",
    "short_name": "关系示范",
    "address_zh": "厦门市思明区软件园二期望海路 10 号",
    "address_en": "10 Wanghai Road, Software Park II, Siming, Xiamen",
    "phone": "0592-5556666 转 8001",
    "email": "Finance@Guanxi-Demo.COM",
    "bank_name": "招商银行厦门分行",
    "bank_account": "5929 0123 4567 890",
    "default_currency": "cny",
    "fiscal_year_start_month": 4,
}


def test_create_cleans_and_audits(admin_user):
    company = company_create(actor=admin_user, data={**DEMO, "uscc": _valid_uscc()})
    assert company.is_default and company.is_active and company.version == 1
    assert company.email == "Finance@guanxi-demo.com"
    assert company.default_currency == "CNY"
    entry = AuditEntry.objects.get(target_type="core.company")
    assert entry.action == "create" and entry.changes["name_zh"] == [None, "关系示范科技有限公司"]


def test_the_second_company_is_not_the_default_unless_asked(admin_user):
    first = company_create(actor=admin_user, data={"name_zh": "甲公司"})
    second = company_create(actor=admin_user, data={"name_en": "B Ltd."})
    assert not second.is_default
    third = company_create(actor=admin_user, data={"name_en": "C Ltd.", "is_default": True})
    first.refresh_from_db()
    assert third.is_default and not first.is_default
    assert company_default() == third


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name_zh": "", "name_en": ""}, "name_zh"),
        ({"name_zh": "甲", "uscc": USCC}, "uscc"),
        ({"name_zh": "甲", "uscc": "123"}, "uscc"),
        ({"name_zh": "甲", "phone": "call me"}, "phone"),
        ({"name_zh": "甲", "email": "not-an-email"}, "email"),
        ({"name_zh": "甲", "bank_account": "6222;DROP"}, "bank_account"),
        ({"name_zh": "甲", "default_currency": "RMB1"}, "default_currency"),
        ({"name_zh": "甲", "default_currency": ""}, "default_currency"),
        ({"name_zh": "甲", "fiscal_year_start_month": 13}, "fiscal_year_start_month"),
        ({"name_zh": "甲", "is_active": "yes"}, "is_active"),
        ({"name_zh": "甲\x00"}, "name_zh"),
        ({"name_zh": "甲", "short_name": "x" * 61}, "short_name"),
        ({"name_zh": "甲", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_the_field(admin_user, data, field):
    with pytest.raises(ValidationError) as exc:
        company_create(actor=admin_user, data=data)
    assert field in exc.value.message_dict
    assert not Company.objects.exists()


def test_uscc_is_unique_among_our_companies(admin_user):
    company_create(actor=admin_user, data={"name_zh": "甲", "uscc": _valid_uscc()})
    with pytest.raises(ValidationError) as exc:
        company_create(actor=admin_user, data={"name_zh": "乙", "uscc": _valid_uscc().lower()})
    assert "uscc" in exc.value.message_dict


def test_update_with_version(admin_user):
    company = company_create(actor=admin_user, data={"name_zh": "甲"})
    saved = company_update(actor=admin_user, company=company, version=1, data={"name_en": "Jia Ltd."})
    assert saved.version == 2 and saved.name_en == "Jia Ltd."
    with pytest.raises(ConflictError):
        company_update(actor=admin_user, company=company, version=1, data={"name_en": "Other"})
    with pytest.raises(ValidationError):
        company_update(actor=admin_user, company=company, version=None, data={"name_en": "Other"})
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes == {"name_en": ["", "Jia Ltd."]}


def test_the_default_cannot_be_archived_or_unmarked(admin_user):
    first = company_create(actor=admin_user, data={"name_zh": "甲"})
    with pytest.raises(ValidationError) as exc:
        company_update(actor=admin_user, company=first, version=1, data={"is_active": False})
    assert "is_active" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        company_update(actor=admin_user, company=first, version=1, data={"is_default": False})
    assert "is_default" in exc.value.message_dict
    second = company_create(actor=admin_user, data={"name_zh": "乙"})
    company_update(actor=admin_user, company=second, version=1, data={"is_default": True})
    first.refresh_from_db()
    company_update(actor=admin_user, company=first, version=first.version, data={"is_active": False})
    first.refresh_from_db()
    assert not first.is_active and not first.is_default
    with pytest.raises(ValidationError) as exc:  # an archived company cannot become the default
        company_update(actor=admin_user, company=first, version=first.version, data={"is_default": True})
    assert "is_default" in exc.value.message_dict


def test_only_administrators_change_everyone_with_a_role_reads(admin_user, make_user):
    company = company_create(actor=admin_user, data={"name_zh": "甲"})
    rep = make_user(roles=[SALES_REP])
    nobody = make_user()
    with pytest.raises(PermissionDeniedError):
        company_create(actor=rep, data={"name_zh": "乙"})
    with pytest.raises(PermissionDeniedError):
        company_update(actor=rep, company=company, version=1, data={"name_zh": "乙"})
    assert list(company_list(actor=rep)) == [company]
    assert company_get(company.pk, actor=rep) == company
    with pytest.raises(PermissionDeniedError):
        company_list(actor=nobody)


def test_logo_upload_replace_and_remove(admin_user, django_capture_on_commit_callbacks):
    png = SimpleUploadedFile("logo.png", image_bytes("PNG"), content_type="image/png")
    company = company_create(actor=admin_user, data={"name_zh": "甲"}, logo=None)
    with django_capture_on_commit_callbacks(execute=True):
        company = company_update(actor=admin_user, company=company, version=1, data={}, logo=png)
    first = company.logo.name
    assert first.startswith("companies/logos/") and first.endswith(".png")
    assert logo_storage().exists(first)
    jpeg = SimpleUploadedFile("logo.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        company = company_update(actor=admin_user, company=company, version=2, data={}, logo=jpeg)
    assert company.logo.name.endswith(".jpg")
    assert not logo_storage().exists(first)  # the old file goes once the change is committed
    assert letterhead_of(company).logo.startswith("data:image/jpeg;base64,")
    with django_capture_on_commit_callbacks(execute=True):
        company = company_update(actor=admin_user, company=company, version=3, data={}, remove_logo=True)
    assert company.logo.name == ""
    assert letterhead_of(company).logo == ""


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.png", "empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", "not an image"),
        (b"%PDF-1.4 fake", "logo.png", "not an image"),
        ("GIF", "logo.gif", "PNG, JPEG or WebP"),
        ("BIG", "logo.png", "4000 pixels"),
        ("TRUNCATED", "logo.png", "not an image"),
        (b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), "huge.png", "2 MB"),
    ],
)
def test_a_logo_that_is_not_a_usable_image_is_refused(admin_user, content, name, message):
    if content == "GIF":
        content = image_bytes("GIF")
    elif content == "BIG":
        content = image_bytes("PNG", size=(4001, 10))
    elif content == "TRUNCATED":
        content = image_bytes("PNG", size=(400, 400))[:200]
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as exc:
        company_create(actor=admin_user, data={"name_zh": "甲"}, logo=upload)
    assert message in exc.value.message_dict["logo"][0]
    assert not Company.objects.exists()


def test_a_failed_save_leaves_no_logo_file(admin_user, tmp_path):
    company_create(actor=admin_user, data={"name_zh": "甲", "uscc": _valid_uscc()})
    png = SimpleUploadedFile("logo.png", image_bytes("PNG"))
    with pytest.raises(ValidationError), transaction.atomic():
        company_create(actor=admin_user, data={"name_zh": "乙", "uscc": _valid_uscc()}, logo=png)
    folder = tmp_path / "media" / "companies" / "logos"
    assert not folder.exists() or not any(folder.iterdir())


def test_letterhead_in_each_language(admin_user):
    company = company_create(actor=admin_user, data={**DEMO, "uscc": _valid_uscc()})
    zh = letterhead_of(company, language="zh-hans")
    en = letterhead_of(company, language="en")
    assert (zh.name, zh.other_name) == ("关系示范科技有限公司", "Guanxi Demo Technology Co., Ltd.")
    assert (en.name, en.other_name) == ("Guanxi Demo Technology Co., Ltd.", "关系示范科技有限公司")
    assert zh.address.startswith("厦门市") and en.address.startswith("10 Wanghai")
    assert zh.uscc == _valid_uscc() and zh.logo == ""
    only_en = company_create(actor=admin_user, data={"name_en": "HK Ltd."})
    assert letterhead_of(only_en, language="zh-hans").name == "HK Ltd."


def test_the_letterhead_template_renders_in_the_recipients_language(admin_user):
    from django.template.loader import render_to_string

    company = company_create(actor=admin_user, data={**DEMO, "uscc": _valid_uscc()})
    html = render_to_string(
        "core/letterhead.html", {"letterhead": letterhead_of(company, language="zh-hans")}
    )
    assert "关系示范科技有限公司" in html and "统一社会信用代码" in html and "招商银行厦门分行" in html
    html = render_to_string("core/letterhead.html", {"letterhead": letterhead_of(company, language="en")})
    assert html.index("Guanxi Demo Technology") < html.index("关系示范科技有限公司")
    assert "Unified social credit code" in html

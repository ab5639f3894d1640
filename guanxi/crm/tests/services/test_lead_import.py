"""Importing leads from CSV/XLSX (guanxi.crm.services.lead_import): Chinese and English headers, the
service's rules per row, all or nothing, skipping what is there, the page and the API."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.tables import read_table
from guanxi.crm.choices import LeadSource
from guanxi.crm.models import Lead
from guanxi.crm.services.lead_import import lead_import

pytestmark = pytest.mark.django_db


def _csv(text: str, encoding="utf-8") -> list[list]:
    return read_table(text.encode(encoding), "leads.csv")


def test_chinese_headers_from_a_gb18030_file(world):
    rows = _csv(
        "公司名称,姓名,手机,邮箱,备注,来源\n深圳云帆科技有限公司,王芳,13800138000,wf@yunfan.example.cn,要报价,展会\n",
        "gb18030",
    )
    result = lead_import(actor=world.rep, rows=rows)
    assert (result.created, result.skipped, result.errors, result.kept) == (1, 0, [], True)
    lead = Lead.objects.get()
    assert (lead.company_name, lead.person_name, lead.phone_e164, lead.email) == (
        "深圳云帆科技有限公司",
        "王芳",
        "+8613800138000",
        "wf@yunfan.example.cn",
    )
    assert (lead.source, lead.interest, lead.owner) == (LeadSource.TRADE_FAIR, "要报价", world.rep)
    assert AuditEntry.objects.filter(target_type="crm.lead", target_id=str(lead.pk), action="create").exists()


def test_english_headers_from_xlsx_and_the_default_source(world):
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["Company", "Person", "Phone", "Owner"])
    sheet.append(["Acme GmbH", "Anna Schmidt", "+49 30 1234567", "mate"])
    out = io.BytesIO()
    book.save(out)
    result = lead_import(actor=world.rep, rows=read_table(out.getvalue(), "leads.xlsx"))
    assert result.created == 1 and result.kept
    lead = Lead.objects.get()
    assert (lead.source, lead.owner) == (LeadSource.IMPORT, world.mate)


def test_every_problem_is_listed_and_nothing_is_kept(world):
    rows = _csv(
        "Company,Person,Phone,Email,Source,Owner\n"
        "Good Co,Li,13800138001,li@good.example.cn,,\n"
        ",,13800138002,,,\n"  # neither company nor person
        "Bad Mail Co,,,not-an-email,,\n"
        "Src Co,,,,carrier pigeon,\n"
        "Owner Co,,,,,nobody_like_this\n"
        "Twin Co,,138 0013 8001,,,\n"  # the same phone as line 2
    )
    result = lead_import(actor=world.rep, rows=rows)
    assert not result.kept and Lead.objects.count() == 0
    problems = {(e.line, e.column) for e in result.errors}
    assert problems == {(3, "Person"), (4, "Email"), (5, "Source"), (6, "Owner"), (7, "Phone")}
    twin = next(e for e in result.errors if e.line == 7)
    assert "line 2" in twin.message


def test_only_check_keeps_nothing(world):
    result = lead_import(actor=world.rep, rows=_csv("Company\nCheck Co\n"), dry_run=True)
    assert (result.created, result.kept, Lead.objects.count()) == (1, False, 0)


def test_importing_the_same_file_twice_adds_nothing(world):
    rows = _csv("公司,手机\n甲公司,13800138003\n乙公司,13800138004\n")
    assert lead_import(actor=world.rep, rows=rows).created == 2
    again = lead_import(actor=world.rep, rows=rows)
    assert (again.created, again.skipped, again.errors) == (0, 2, [])
    assert Lead.objects.count() == 2


def test_bad_files_are_refused_with_a_message(world):
    for rows in ([], [["Phone"], ["13800138005"]], [["Company"]]):
        with pytest.raises(ValidationError) as exc:
            lead_import(actor=world.rep, rows=rows)
        assert exc.value.message_dict["file"]


def test_only_those_who_may_change_leads_import(world):
    with pytest.raises(PermissionDeniedError):
        lead_import(actor=world.executive, rows=_csv("Company\nX Co\n"))


def test_a_rep_cannot_hand_imported_leads_to_another_team(world):
    result = lead_import(actor=world.rep, rows=_csv("Company,Owner\nWest Lead Co,rep_west\n"))
    assert [e.column for e in result.errors] == ["Owner"] and Lead.objects.count() == 0


def test_the_page_imports_an_upload_and_offers_the_template(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.rep)
    assert client.get("/sales/leads/import/").status_code == 200
    template = client.get("/sales/leads/import/template.xlsx")
    assert template.status_code == 200 and read_table(template.content, "t.xlsx")[0][:2] == [
        "Company",
        "Person",
    ]
    upload = SimpleUploadedFile("leads.csv", "公司名称,姓名\n页面导入公司,赵六\n".encode())
    page = client.post("/sales/leads/import/", {"file": upload})
    assert page.status_code == 200 and "Imported." in page.content.decode()
    assert Lead.objects.filter(company_name="页面导入公司", owner=world.rep).exists()
    client.force_login(world.executive)
    assert client.get("/sales/leads/import/").status_code == 403


def test_the_api_checks_then_imports(world, api_as):
    api = api_as(world.rep)
    checked = api.post("/leads/import", {"csv": "Company,Phone\nAPI Co,13800138006\n"})
    assert checked.status_code == 200 and checked.json() == {
        "applied": False,
        "created": 1,
        "skipped": 0,
        "errors": [],
    }
    assert Lead.objects.count() == 0
    applied = api.post("/leads/import", {"csv": "Company,Phone\nAPI Co,13800138006\n", "apply": True})
    assert applied.json()["applied"] is True and Lead.objects.count() == 1
    bad = api.post("/leads/import", {"csv": "Company,Email\nX,bad\n", "apply": True}).json()
    assert bad["applied"] is False and bad["errors"][0]["line"] == 2

"""The party list's CSV/XLSX export: a background job (core) over what the user may see."""

import pytest
from django.urls import reverse
from django.utils import translation

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.exports import export_storage
from guanxi.core.models import ExportJob
from guanxi.core.roles import MARKETING, SALES_MANAGER, SALES_REP
from guanxi.core.services.exports import export_request, export_run
from guanxi.core.tests.exports_support import export_dir, read_csv, read_xlsx  # noqa: F401  (fixtures)
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_dir")]

CSV = reverse("parties:export", args=["csv"])
XLSX = reverse("parties:export", args=["xlsx"])
HEADERS = ["ID", "Kind", "Name", "Short name", "Legal name", "Customer status", "Supplier status", "Owner"]
HEADERS_ZH = ["编号", "类型", "名称", "简称", "法定名称", "客户状态", "供应商状态", "负责人"]


@pytest.fixture
def risky(admin_user, make_user):
    boss = make_user("boss", roles=[SALES_REP])  # an owner must be able to hold a customer
    boss.first_name = "=1+2"
    boss.save()
    tag = tag_create(actor=admin_user, name='=HYPERLINK("http://evil.example")')
    org = make_org(
        admin_user,
        '=HYPERLINK("http://evil.example","click")',
        short_name="+86 short",
        legal_name="@SUM(A1)",
        owner=boss,
        phones=["+852 2123 4567", "+1 415 555 0100"],  # international: shown with +
        emails=["info@risky.example.cn"],
        address={"country": "CN", "province": "-1+1", "city": "=cmd|' /C calc'!A0", "street": "x"},
    )
    parties_bulk_tag(actor=admin_user, ids=[org.pk], tag=tag)
    make_org(
        admin_user,
        "北京安全有限公司",
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": "914403001922038216"}],
        industry="manufacturing",
    )
    return org


def export(client, url, capture, **query):
    """Start an export the way the list's button does; returns the finished job."""
    with capture(execute=True):
        response = client.post(f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}")
    job = ExportJob.objects.latest("id")
    assert response.status_code == 302 and response.url == reverse("core:export_detail", args=[job.pk])
    return job


def download(client, job) -> bytes:
    response = client.get(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_button_opens_a_page_that_says_what_will_be_exported(admin_client, risky):
    page = admin_client.get(CSV, {"role": "customer"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Export: Customers (CSV)" in body
    assert "2 records will be written to the file." in body
    assert 'action="/parties/export.csv?role=customer"' in body
    assert not ExportJob.objects.exists()  # looking starts nothing


def test_csv_export(admin_client, risky, django_capture_on_commit_callbacks):
    job = export(admin_client, CSV, django_capture_on_commit_callbacks, kind="organization")
    assert (job.status, job.what, job.format, job.row_count) == ("done", "parties", "csv", 2)
    assert job.parameters["kind"] == "organization"
    rows = read_csv(download(admin_client, job))
    assert rows[0][:8] == HEADERS
    # Name order spells Chinese names in pinyin: 北京 (beijing) before =HYPERLINK (hyperlink).
    plain_row, risky_row = rows[1], rows[2]
    assert risky_row[2:5] == ['\'=HYPERLINK("http://evil.example","click")', "'+86 short", "'@SUM(A1)"]
    assert risky_row[7] == "'=1+2"  # the owner's name
    assert "+852 2123 4567, +1 415-555-0100" in risky_row  # phones are data, not formulas: no quote
    assert "info@risky.example.cn" in risky_row
    assert risky_row[13:15] == ["'-1+1", "'=cmd|' /C calc'!A0"]
    assert risky_row[8] == '\'=HYPERLINK("http://evil.example")'  # the tag
    assert plain_row[2] == "北京安全有限公司"
    assert plain_row[5:10] == ["Prospect", "", "admin", "", "914403001922038216"]
    assert (plain_row[15], plain_row[16]) == ("Manufacturing", "")


def test_csv_export_follows_the_filters(admin_client, risky, django_capture_on_commit_callbacks):
    job = export(admin_client, CSV, django_capture_on_commit_callbacks, q="北京")
    assert [r[2] for r in read_csv(download(admin_client, job))[1:]] == ["北京安全有限公司"]


def test_xlsx_export_keeps_text_as_text(admin_client, risky, django_capture_on_commit_callbacks):
    job = export(admin_client, XLSX, django_capture_on_commit_callbacks, role="customer")
    title, rows = read_xlsx(download(admin_client, job))
    assert title == "Customers"
    assert [c.value for c in rows[0][:8]] == HEADERS
    names = sorted(r[2].value for r in rows[1:])
    assert names == ['=HYPERLINK("http://evil.example","click")', "北京安全有限公司"]
    values = {c.value for r in rows[1:] for c in r}
    assert {"+86 short", "@SUM(A1)", "-1+1", "+852 2123 4567, +1 415-555-0100"} <= values  # as typed, no '
    for row in rows[1:]:
        assert row[0].data_type == "n"
        for cell in row[1:]:
            assert cell.value is None or cell.data_type == "s", cell.value  # never a formula
            assert not str(cell.value or "").startswith("'"), cell.value


def test_xlsx_export_in_chinese(admin_client, admin_user, risky, django_capture_on_commit_callbacks):
    admin_client.cookies["django_language"] = "zh-hans"
    job = export(admin_client, XLSX, django_capture_on_commit_callbacks, role="customer")
    assert job.language == "zh-hans"
    title, rows = read_xlsx(download(admin_client, job))
    assert title == "客户"
    assert [c.value for c in rows[0][:8]] == HEADERS_ZH
    plain = next(r for r in rows if r[2].value == "北京安全有限公司")
    assert [plain[1].value, plain[5].value] == ["企业", "潜在客户"]  # labels in the user's language too


@pytest.mark.parametrize(
    ("query", "sheet", "sheet_zh"),
    [
        ({"role": "customer"}, "Customers", "客户"),
        ({"role": "supplier", "kind": "organization"}, "Suppliers", "供应商"),
        ({"kind": "organization"}, "Organizations", "企业"),
        ({"kind": "person"}, "Contacts", "联系人"),
        ({}, "Parties", "往来单位"),
    ],
)
def test_the_sheet_is_named_after_what_was_exported(admin_user, query, sheet, sheet_zh):
    for language, expected in [("en", sheet), ("zh-hans", sheet_zh)]:
        job = export_request(actor=admin_user, what="parties", fmt="xlsx", params=query, language=language)
        job = export_run(job_id=job.pk)
        with export_storage().open(job.file_name, "rb") as f:
            assert read_xlsx(f.read())[0] == expected
        with translation.override(language):
            assert job.title == expected


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "xls", "csv.exe"])
def test_an_unknown_format_is_not_found(admin_client, fmt):
    url = reverse("parties:export", args=[fmt])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url).status_code == 404
    assert not ExportJob.objects.exists()


def test_a_bad_filter_goes_back_with_a_message(admin_client, risky):
    for send in (admin_client.get, admin_client.post):
        response = send(f"{CSV}?role=boss", follow=True)
        assert response.redirect_chain[-1][0] == reverse("parties:list")
        assert "Unknown role." in [str(m) for m in response.context["messages"]]
    assert not ExportJob.objects.exists()


def test_export_needs_the_export_permission(client, make_user, team, admin_user):
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    client.force_login(rep)
    assert client.get(CSV).status_code == 403
    assert client.post(CSV).status_code == 403
    with pytest.raises(PermissionDeniedError):
        export_request(actor=rep, what="parties", fmt="csv", params={})
    assert not ExportJob.objects.exists()
    list_page = client.get(reverse("parties:list")).content.decode()
    assert CSV not in list_page


def test_the_rows_are_only_what_the_user_may_see(make_user, admin_user, team, other_team):
    manager = make_user("mgr", roles=[SALES_MANAGER], teams=[team])
    colleague = make_user("col", roles=[SALES_REP], teams=[team])
    stranger = make_user("str", roles=[SALES_REP], teams=[other_team])
    make_org(admin_user, "Team Customer", owner=colleague)
    make_org(admin_user, "Other Team Customer", owner=stranger)
    make_org(admin_user, "Only A Supplier", customer=False, supplier=True)
    marketer = make_user("mkt", roles=[MARKETING])

    def names(user):
        job = export_run(job_id=export_request(actor=user, what="parties", fmt="csv", params={}).pk)
        with export_storage().open(job.file_name, "rb") as f:
            return sorted(r[2] for r in read_csv(f.read())[1:])

    assert names(manager) == ["Team Customer"]
    assert names(marketer) == ["Other Team Customer", "Team Customer"]
    assert names(admin_user) == ["Only A Supplier", "Other Team Customer", "Team Customer"]


def test_archived_parties_only_when_the_list_shows_them(admin_user):
    from guanxi.parties.services.parties import party_archive

    party_archive(actor=admin_user, party=make_org(admin_user, "Old Co"))
    make_org(admin_user, "New Co")

    def rows(**params):
        job = export_run(job_id=export_request(actor=admin_user, what="parties", fmt="csv", params=params).pk)
        with export_storage().open(job.file_name, "rb") as f:
            return [(r[2], r[16]) for r in read_csv(f.read())[1:]]

    assert rows() == [("New Co", "")]
    assert rows(state="all") == [("New Co", ""), ("Old Co", "yes")]

"""Importing products from an uploaded CSV or XLSX file (all or nothing; "only check" keeps nothing), the
import template, and the export page that starts a background job."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from guanxi.catalog.models import Product
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.models import ExportJob
from guanxi.core.money import forget_currencies

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Name (English)", "Name (Chinese)", "Category", "Unit", "Can be bought", "Price CNY"]
ROWS = [
    ["GX-1001", "Screw M4", "不锈钢螺丝", "Fasteners", "pcs", "yes", "0.35"],
    ["GX-1002", "Nut M4", "螺母", "Fasteners", "box12", "no", "1.2"],
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _setup(staff):
    forget_currencies()
    make_category(staff.manager, "Fasteners", "紧固件")
    yield
    forget_currencies()


def _csv(rows, encoding="utf-8-sig") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("products.csv", out.getvalue().encode(encoding), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("products.xlsx", out.getvalue(), content_type=XLSX)


def _upload(client, upload, check_only=False):
    data = {"file": upload, **({"check_only": "on"} if check_only else {})}
    resp = client.post("/catalogue/import/", data)
    assert resp.status_code == 200
    return resp.content.decode()


def test_the_import_page(client, staff):
    client.force_login(staff.buyer)
    page = client.get("/catalogue/import/").content.decode()
    assert 'id="import-form"' in page and 'type="file"' in page and 'name="check_only"' in page
    assert "/catalogue/import/template.xlsx" in page
    client.force_login(staff.rep)
    assert client.get("/catalogue/import/").status_code == 403
    assert client.post("/catalogue/import/", {"file": _csv([HEADER, *ROWS])}).status_code == 403
    assert not Product.objects.exists()


def test_import_a_csv(client, staff):
    client.force_login(staff.manager)
    page = _upload(client, _csv([HEADER, *ROWS]))
    assert 'id="import-result"' in page and "Imported." in page and "New: 2" in page
    screw = Product.objects.get(code="GX-1001")
    assert screw.name_zh == "不锈钢螺丝" and screw.can_buy and screw.category.name_en == "Fasteners"
    assert [(p.currency_id, str(p.amount.normalize())) for p in screw.prices.all()] == [("CNY", "0.35")]


def test_import_a_csv_written_by_excel_in_china(client, staff):
    """GB18030, as Excel in China saves a CSV (the column names may also be keys: code, name_zh …)."""
    client.force_login(staff.manager)
    _upload(client, _csv([["code", "name_zh", "unit"], ["GX-10", "弹簧垫圈", "pcs"]], encoding="gb18030"))
    assert Product.objects.get(code="GX-10").name_zh == "弹簧垫圈"


def test_import_an_xlsx_made_with_openpyxl(client, staff):
    client.force_login(staff.manager)
    rows = [
        HEADER,
        ["GX-1001", "Screw M4", "不锈钢螺丝", "Fasteners", "pcs", "yes", 0.35],
        ["GX-1003", "Bolt", "", "", "pcs", "no", 12],
    ]
    page = _upload(client, _xlsx(rows))
    assert "Imported." in page
    assert {p.code for p in Product.objects.all()} == {"GX-1001", "GX-1003"}
    bolt = Product.objects.get(code="GX-1003")
    assert [(p.currency_id, p.amount) for p in bolt.prices.all()] == [("CNY", 12)]


def test_only_check_saves_nothing(client, staff):
    client.force_login(staff.manager)
    for upload in (_csv([HEADER, *ROWS]), _xlsx([HEADER, *ROWS])):
        page = _upload(client, upload, check_only=True)
        assert "Nothing was saved yet" in page and "New: 2" in page
    assert not Product.objects.exists()


def test_a_bad_row_imports_nothing_and_lists_the_problems(client, staff):
    make_product(staff.manager, "GX-1002", name_en="Nut (old name)")
    client.force_login(staff.manager)
    bad = [
        *ROWS,
        ["GX-1003", "Washer", "", "Fasteners", "furlong", "no", "1"],
        ["GX-1004", "Bolt", "", "Nowhere"],
    ]
    page = _upload(client, _xlsx([HEADER, *bad]))
    assert "Nothing was imported: 2 problems to fix." in page
    table = page[page.index('id="import-result"') :]
    assert "<td>4</td><td>Unit</td>" in table and "<td>5</td><td>Category</td>" in table
    assert "<td>2</td>" not in table and "<td>3</td>" not in table
    assert list(Product.objects.values_list("code", "name_en")) == [("GX-1002", "Nut (old name)")]


def test_every_problem_of_a_row_is_listed(client, staff):
    """One upload tells everything to fix (services/imports.py promises "every problem is listed"), not one
    problem per attempt."""
    client.force_login(staff.manager)
    bad = ["GX-1003", "Washer", "", "Nowhere", "furlong", "maybe", "-1"]
    page = _upload(client, _xlsx([HEADER, bad]))
    table = page[page.index('id="import-result"') :]
    for column in ("Category", "Unit", "Can be bought", "Price"):
        assert f"<td>2</td><td>{column}" in table, column
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("products.pdf", b"%PDF-1.4"),
        ("products.csv", b""),
        ("products.xlsx", b"PK\x03\x04 this is no workbook"),
        ("products.csv", b"Colour,Size\nred,L\n"),
    ],
)
def test_files_that_cannot_be_read_are_said_so(client, staff, name, content):
    client.force_login(staff.manager)
    page = _upload(client, SimpleUploadedFile(name, content))
    assert "has-error" in page and 'id="import-result"' not in page
    assert not Product.objects.exists()


def test_the_import_template(client, staff):
    client.force_login(staff.manager)
    resp = client.get("/catalogue/import/template.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX
    assert "products-template.xlsx" in resp["Content-Disposition"]
    header = [c.value for c in next(load_workbook(io.BytesIO(resp.content)).active.iter_rows(max_row=1))]
    assert header[:3] == ["Code", "Kind", "Name (English)"] and "Price CNY" in header
    client.force_login(staff.rep)
    assert client.get("/catalogue/import/template.xlsx").status_code == 403


def test_the_template_is_read_back_by_the_import(client, staff):
    client.force_login(staff.manager)
    book = load_workbook(io.BytesIO(client.get("/catalogue/import/template.xlsx").content))
    header = [c.value for c in next(book.active.iter_rows(max_row=1))]
    row = {h: "" for h in header} | {
        "Code": "T-1",
        "Name (Chinese)": "模板产品",
        "Unit": "pcs",
        "Can be sold": "yes",
        "Price CNY": "9.9",
    }
    page = _upload(client, _xlsx([header, [row[h] for h in header]]))
    assert "Imported." in page, page[page.find('id="import-result"') :][:2000]
    assert Product.objects.get(code="T-1").name_zh == "模板产品"


def test_the_export_page_starts_a_job(client, staff):
    make_product(
        staff.manager, "GX-1001", name_zh="不锈钢螺丝", prices=[{"currency": "CNY", "amount": "0.35"}]
    )
    make_product(staff.manager, "S-1", name_zh="安装服务", kind="service")
    client.force_login(staff.manager)
    page = client.get("/catalogue/export/csv/", {"kind": "service"}).content.decode()
    assert "<form" in page and "1" in page
    resp = client.post("/catalogue/export/csv/?kind=service")
    job = ExportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/exports/{job.pk}/"
    assert job.what == "catalog" and job.format == "csv" and job.parameters["kind"] == "service"
    assert job.user == staff.manager
    job.refresh_from_db()
    if job.status == "done":  # the tests' task backend runs the job at once
        download = client.get(f"/exports/{job.pk}/download/")
        text = b"".join(download.streaming_content).decode("utf-8-sig")
        assert "S-1" in text and "安装服务" in text and "GX-1001" not in text


def test_who_may_export(client, staff):
    client.force_login(staff.rep)
    assert client.get("/catalogue/export/csv/").status_code == 403
    assert client.post("/catalogue/export/xlsx/").status_code == 403
    client.force_login(staff.buyer)
    assert client.get("/catalogue/export/xlsx/").status_code == 200
    assert client.get("/catalogue/export/pdf/").status_code == 404
    assert not ExportJob.objects.exists()

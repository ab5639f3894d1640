import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from guanxi.catalog.models import Product
from guanxi.catalog.services import imports
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.tables import read_table
from guanxi.core.tests.factories import make_company

pytestmark = pytest.mark.django_db


def _csv(text: str, encoding="utf-8") -> list[list]:
    return read_table(text.encode(encoding), "products.csv")


def test_rows_add_products_and_update_those_whose_code_exists(staff):
    screws = make_category(staff.admin, "Fasteners", "紧固件")
    make_category(staff.admin, "Screws", "螺丝", parent=screws.pk)
    make_company(staff.admin)
    old = make_product(staff.manager, "GX-1", "旧螺丝", "Old screw", description="keep me")
    rows = _csv(
        "Code,Name (Chinese),Price CNY,Category,Unit,Tax rate,Can be bought\n"
        "gx-1,新螺丝,0.05,紧固件 / 螺丝,pcs,vat13,yes\n"
        ",垫圈,0.01,Fasteners,box12,,no\n"
    )
    result = imports.product_import(actor=staff.buyer, rows=rows)
    assert (result.created, result.updated, result.errors, result.kept) == (1, 1, [], True)
    old.refresh_from_db()
    assert (old.name_zh, old.name_en, old.description, old.can_buy) == (
        "新螺丝",
        "Old screw",
        "keep me",
        True,
    )
    assert old.category.name_en == "Screws" and old.tax_rate.code == "vat13"
    assert [(p.currency_id, p.amount) for p in old.prices.all()] == [("CNY", Decimal("0.05"))]
    washer = Product.objects.get(name_zh="垫圈")
    assert (washer.code, washer.unit.code, washer.category.name_en) == ("P00001", "box12", "Fasteners")
    assert AuditEntry.objects.filter(subject_type="catalog.product", actor=staff.buyer).count() == 2


def test_chinese_headers_and_a_gb18030_file_from_excel_are_read(staff):
    rows = _csv("编码,名称（中文）,售价 CNY,可销售\nA-1,螺母,1.20,是\n", encoding="gb18030")
    result = imports.product_import(actor=staff.manager, rows=rows)
    assert result.created == 1 and Product.objects.get(code="A-1").name_zh == "螺母"


def test_an_xlsx_file_is_read(staff):
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["Code", "Name (English)", "Price USD"])
    sheet.append(["X-1", "Widget", 2.5])
    out = io.BytesIO()
    book.save(out)
    rows = read_table(out.getvalue(), "products.xlsx")
    result = imports.product_import(actor=staff.manager, rows=rows)
    assert result.created == 1
    assert Product.objects.get(code="X-1").prices.get().amount == Decimal("2.5")


def test_one_bad_row_imports_nothing_and_every_problem_is_listed_by_line(staff):
    make_product(staff.manager, "GX-1", name_en="Screw")
    rows = _csv(
        "Code,Name (English),Price CNY,Unit,Category\n"
        "GX-1,Screw again,1,pcs,\n"
        "NEW-1,Fine,2,pcs,\n"
        "NEW-2,,-3,kg,\n"
        "NEW-3,Odd unit,1,parsec,Nowhere\n"
        "new-1,Twice,1,pcs,\n"
    )
    result = imports.product_import(actor=staff.manager, rows=rows)
    assert not result.kept
    problems = {(e.line, e.column) for e in result.errors}
    assert (4, "Price") in problems  # negative price (the first problem of that row's prices)
    assert (5, "Category") in problems
    assert (6, "Code") in problems  # NEW-1 is also on line 3
    assert Product.objects.count() == 1 and Product.objects.get().name_en == "Screw"


def test_only_checking_saves_nothing_but_counts(staff):
    make_product(staff.manager, "GX-1", name_en="Screw")
    rows = _csv("Code,Name (English)\nGX-1,Screw\nGX-2,Bolt\n")
    result = imports.product_import(actor=staff.manager, rows=rows, dry_run=True)
    assert (result.created, result.updated, result.unchanged, result.kept) == (1, 0, 1, False)
    assert Product.objects.count() == 1


def test_an_empty_price_cell_removes_that_price_and_the_archived_column_archives(staff):
    make_product(
        staff.manager,
        "GX-1",
        name_en="Screw",
        prices=[{"currency": "CNY", "amount": "1"}, {"currency": "USD", "amount": "2"}],
    )
    result = imports.product_import(actor=staff.manager, rows=_csv("Code,Price USD,Archived\nGX-1,,yes\n"))
    p = Product.objects.get(code="GX-1")
    assert result.updated == 1
    assert [x.currency_id for x in p.prices.all()] == ["CNY"] and p.archived_at is not None


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "a.csv"),
        (b"%PDF-1.4 binary", "a.pdf"),
        (b"PK\x03\x04garbage", "a.xlsx"),
        (b"\xff\xfe\x00\x00", "a.csv"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(content, name):
    with pytest.raises(ValidationError) as exc:
        read_table(content, name)
    assert exc.value.message_dict["file"]


def test_headers_the_catalogue_does_not_know_and_empty_files_are_refused(staff):
    with pytest.raises(ValidationError):
        imports.product_import(actor=staff.manager, rows=_csv("foo,bar\n1,2\n"))
    with pytest.raises(ValidationError):
        imports.product_import(actor=staff.manager, rows=_csv("Code,Name (English)\n"))


def test_readers_may_not_import(staff):
    with pytest.raises(PermissionDeniedError):
        imports.product_import(actor=staff.rep, rows=_csv("Code\nX\n"))


def test_an_export_imports_again_unchanged(staff, settings, tmp_path):
    from guanxi.catalog import export

    make_product(staff.manager, "GX-1", "螺丝", "Screw", prices=[{"currency": "CNY", "amount": "0.035"}])
    make_product(staff.manager, "SV-1", name_en="Install", kind="service", can_sell=False, can_buy=True)
    out = export.rows(actor=staff.manager, params={})
    rows = [list(out.headers), *[[("" if c is None else str(c)) for c in r] for r in out.rows]]
    result = imports.product_import(actor=staff.manager, rows=rows)
    assert (result.unchanged, result.updated, result.created, result.errors) == (2, 0, 0, [])


def test_an_empty_kind_cell_keeps_the_kind_of_an_existing_product(staff):
    make_product(staff.manager, "SV-1", name_en="Install", kind="service")
    result = imports.product_import(
        actor=staff.manager, rows=_csv("Code,Kind,Name (English)\nSV-1,,Install\n")
    )
    assert result.unchanged == 1 and Product.objects.get(code="SV-1").kind == "service"

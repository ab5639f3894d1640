"""CSV formula guard, XLSX cell types and sheet names (guanxi.core.export_formats)."""

import io
from decimal import Decimal

import pytest

from guanxi.core.export_formats import csv_text, sheet_title, write_csv, write_xlsx
from guanxi.core.exports import ExportRows
from guanxi.core.tests.exports_support import read_csv, read_xlsx

GUARDED = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "@x",
    "@SUM(A1)",
    "-1+1",  # arithmetic, but a formula all the same
    "-A1",
    "+86 short",
    "+SUM(1)",
    "\tx",
    "\rx",
    "\n=1",
    "＝1+1",  # full-width: Excel in Chinese converts it
    "＠x",
    "-",
    "+852 2123 4567, =1+1",
    "+1 555 x123",  # x123 is a cell
]
KEPT = [
    "plain text",
    "北京安全有限公司",
    "+86 755 8888 8888",
    "+86 592 555 6666 ext. 8001",
    "0592-5556666 转 8001",
    "+1 (415) 555-0100",
    "-5",
    "-1,234.50",
    "+852 2123 4567, +1 415-555-0100",
    "+86 755 8888 8888；+86 10 1234 5678",
    "+5",
    "a=1",
    "info@example.cn",
    "",
]


@pytest.mark.parametrize("text", GUARDED)
def test_csv_cells_that_would_be_formulas_get_a_quote(text):
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", KEPT)
def test_csv_text_numbers_and_phones_stay_as_they_are(text):
    assert csv_text(text) == text


def _write(writer, rows, **kw):
    out = io.BytesIO()
    seen = []
    n = writer(
        out,
        ExportRows(headers=["ID", "=Header"], rows=iter(rows), total=len(rows)),
        title=kw.get("title", "Sheet"),
        progress=seen.append,
        every=2,
    )
    return n, seen, out.getvalue()


def test_csv_file(db):
    rows = [[1, "=1+1"], [2, "+86 755 8888 8888"], [3, None], [4, Decimal("-5.50")], [5, "@x"]]
    n, seen, data = _write(write_csv, rows)
    assert (n, seen) == (5, [2, 4])
    assert read_csv(data) == [
        ["ID", "'=Header"],
        ["1", "'=1+1"],
        ["2", "+86 755 8888 8888"],
        ["3", ""],
        ["4", "-5.50"],
        ["5", "'@x"],
    ]


def test_xlsx_text_is_a_string_cell_without_the_quote(db):
    texts = ["=1+1", "+86 755 8888 8888", "-5", "@x", "plain text", "#N/A", "-1+1", "北京\x07安全"]
    n, seen, data = _write(write_xlsx, [[i, t] for i, t in enumerate(texts)], title="Customers")
    assert (n, seen) == (len(texts), [2, 4, 6, 8])
    title, rows = read_xlsx(data)
    assert title == "Customers"
    assert [c.value for c in rows[0]] == ["ID", "=Header"]
    assert all(c.data_type == "s" and c.font.b for c in rows[0])
    for i, (row, text) in enumerate(zip(rows[1:], texts, strict=True)):
        assert (row[0].value, row[0].data_type) == (i, "n")  # numbers stay numbers
        assert row[1].data_type == "s", text
        assert row[1].value == text.replace("\x07", "")  # exactly as stored, no ', no formula


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Customers", "Customers"),
        ("客户", "客户"),
        ("Suppliers: East/West [2026]?*", "Suppliers  East West  2026"),
        ("'Quoted'", "Quoted"),
        ("A very long name for a list of organizations", "A very long name for a list of"),
        ("History", "Export"),
        ("///", "Export"),
        ("往来单位" * 10, "往来单位" * 7 + "往来单"),
    ],
)
def test_sheet_titles_follow_excels_rules(text, title):
    assert sheet_title(text) == title
    assert len(sheet_title(text)) <= 31

"""Importing rates from CSV/XLSX: every line checked and previewed; all rows written or none."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry, ExchangeRate
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.core.services.rate_import import MAX_ROWS, exchange_rates_import
from guanxi.core.tests.money.conftest import DAY

pytestmark = pytest.mark.django_db

GOOD = "date,base,quote,rate\n2026-11-25,USD,CNY,7.1234\n2026-11-25,EUR,CNY,7.7\n2026-11-24,USD,CNY,7.12\n"


def run(actor, text: str | bytes, *, apply=True, name="rates.csv"):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return exchange_rates_import(actor=actor, content=content, filename=name, apply=apply)


def test_preview_writes_nothing_and_import_writes_everything(admin_user):
    preview = run(admin_user, GOOD, apply=False)
    assert (
        preview.ok
        and not preview.applied
        and preview.counts == {"new": 3, "changed": 0, "unchanged": 0, "error": 0}
    )
    assert not ExchangeRate.objects.exists()
    result = run(admin_user, GOOD)
    assert result.applied and ExchangeRate.objects.count() == 3
    assert set(ExchangeRate.objects.values_list("source", flat=True)) == {"import"}
    entries = AuditEntry.objects.filter(target_type="core.exchangerate", action="create")
    assert entries.count() == 3 and all(e.actor == admin_user for e in entries)


def test_reimport_reports_changed_and_unchanged_and_audits_the_change(admin_user):
    run(admin_user, GOOD)
    again = run(admin_user, GOOD.replace("7.7\n", "7.75\n"))
    assert again.counts == {"new": 0, "changed": 1, "unchanged": 2, "error": 0}
    changed = next(r for r in again.rows if r.status == "changed")
    assert changed.old_rate == Decimal("7.7") and changed.line == 3
    eur = ExchangeRate.objects.get(base_id="EUR")
    assert eur.rate == Decimal("7.75") and eur.version == 2
    entry = AuditEntry.objects.get(target_type="core.exchangerate", action="update")
    assert entry.changes == {"rate": ["7.7", "7.75"]}


def test_one_bad_line_and_nothing_is_imported(admin_user):
    text = GOOD + "2026-11-25,XYZ,CNY,1\n2026-13-01,USD,EUR,1\n2026-11-23,USD,USD,-1\n"
    result = run(admin_user, text)
    assert not result.ok and not result.applied and not ExchangeRate.objects.exists()
    errors = {r.line: r.errors for r in result.rows if r.errors}
    assert errors == {
        5: {"base": "Unknown currency “XYZ”: use an ISO 4217 code set up under Settings → Currencies."},
        6: {"date": "Enter a date, e.g. 2026-11-25."},
        7: {"quote": "Choose two different currencies.", "rate": "A rate must be above 0."},
    }
    assert {"field": "rows[7].rate", "message": "A rate must be above 0."} in result.error_list()


def test_duplicates_in_the_file_and_against_the_other_direction(admin_user):
    exchange_rate_create(actor=admin_user, date=DAY, base="CNY", quote="JPY", rate="21")
    text = "date,base,quote,rate\n2026-11-25,USD,CNY,7.1\n2026-11-25,CNY,USD,0.14\n2026-11-25,JPY,CNY,0.05\n"
    result = run(admin_user, text)
    errors = {r.line: r.errors.get("date") for r in result.rows if r.errors}
    assert errors == {
        3: "Line 2 already gives a rate for this pair and day.",
        4: "There is already a rate for CNY → JPY on 2026-11-25: change that one instead.",
    }
    assert ExchangeRate.objects.count() == 1


def test_chinese_headers_gb18030_semicolons_dates_and_units(admin_user):
    text = "日期;基准货币;报价货币;汇率;单位\n2026/11/25;JPY;CNY;4.7892;100\n20261124;usd;cny;7.1;\n2026年11月23日;EUR;CNY;7.7;1\n"
    result = run(admin_user, text.encode("gb18030"))
    assert result.applied, [r.errors for r in result.rows]
    rates = {(e.base_id, e.date): e.rate for e in ExchangeRate.objects.all()}
    assert rates == {
        ("JPY", DAY): Decimal("0.047892"),
        ("USD", DAY - dt.timedelta(days=1)): Decimal("7.1"),
        ("EUR", DAY - dt.timedelta(days=2)): Decimal("7.7"),
    }


def test_utf8_bom_tabs_blank_lines_and_column_order(admin_user):
    text = "\ufeffRate\tQuote\tBase\tDate\n\n7.1234\tCNY\tUSD\t2026-11-25\n\t\t\t\n"
    result = run(admin_user, text)
    assert result.applied and ExchangeRate.objects.get().rate == Decimal("7.1234")


def test_xlsx(admin_user):
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Base", "Quote", "Rate"])
    sheet.append([dt.datetime(2026, 11, 25), "USD", "CNY", 7.1234])
    sheet.append([dt.date(2026, 11, 24), "EUR", "CNY", "7.7"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(admin_user, buffer.getvalue(), name="rates.xlsx")
    assert result.applied, [r.errors for r in result.rows]
    assert ExchangeRate.objects.get(base_id="USD").rate == Decimal("7.1234")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty."),
        ("date,base,rate\n2026-11-25,USD,7\n", "missing: quote"),
        ("date,base,quote,rate\n", "The file has a header but no rates."),
        (b"\xff\xfe\x00\x00\x81", "neither UTF-8 nor GB18030"),
        (b"PK\x03\x04garbage", "could not be read as an XLSX workbook"),
    ],
)
def test_unreadable_files(admin_user, content, message):
    result = run(admin_user, content)
    assert not result.applied and message in " ".join(result.file_errors)


def test_limits(admin_user):
    rows = "".join(f"2026-01-01,USD,CNY,{i + 1}\n" for i in range(MAX_ROWS + 1))
    result = run(admin_user, "date,base,quote,rate\n" + rows, apply=False)
    assert result.file_errors == [f"At most {MAX_ROWS} rows per import."]
    huge = run(admin_user, b"x" * (2 * 1024 * 1024 + 1))
    assert "larger than 2 MB" in huge.file_errors[0]


def test_only_administrators_import(rep):
    with pytest.raises(PermissionDeniedError):
        run(rep, GOOD)


def test_a_rate_entered_meanwhile_rolls_the_whole_import_back(admin_user, monkeypatch):
    from guanxi.core.services import rate_import

    real = rate_import.preview

    def preview_then_someone_enters(content, filename=""):
        result = real(content, filename)
        ExchangeRate.objects.create(date=DAY, base_id="EUR", quote_id="CNY", rate=Decimal("7"))
        return result

    monkeypatch.setattr(rate_import, "preview", preview_then_someone_enters)
    with pytest.raises(ValidationError) as exc:
        run(admin_user, GOOD)
    assert "preview the file again" in exc.value.message_dict["file"][0]
    assert ExchangeRate.objects.count() == 1  # only the other one's: none of the file's 3
    assert not AuditEntry.objects.filter(target_type="core.exchangerate").exists()

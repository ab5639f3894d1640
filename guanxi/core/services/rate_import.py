"""Importing exchange rates from a CSV or XLSX file (a bank's table, saved from a spreadsheet; no internet).

Columns, by their header in either language (order free, case ignored): date/日期, base/基准货币,
quote/报价货币, rate/汇率, and optionally unit/单位 (the rate is per that many units of the base, as
banks quote JPY per 100). CSV may be UTF-8 (with or without BOM) or GB18030 (what Excel in China saves),
separated by commas, semicolons or tabs.

Every row is checked first and the preview says, per line, what it would do (new, changed from x,
unchanged) or what is wrong. Applying writes all rows in one transaction, or none when any row is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.models import ExchangeRate
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.money import RateSource
from guanxi.core.services.audit import audit_records_bulk
from guanxi.core.services.exchange_rates import (
    clean_rate_row,
    known_currencies,
    pair_taken_message,
    rate_text,
)
from guanxi.core.services.money import require_manager

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
HEADERS = {
    "date": {"date", "day", "日期"},
    "base": {"base", "base currency", "from", "currency", "基准货币", "基础货币", "币种", "货币"},
    "quote": {"quote", "quote currency", "to", "报价货币", "目标货币", "兑换货币"},
    "rate": {"rate", "exchange rate", "汇率", "中间价"},
    "unit": {"unit", "per", "单位"},
}
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"]


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]  # as read
    date: dt.date | None = None
    base: str = ""
    quote: str = ""
    rate: Decimal | None = None
    status: str = "error"  # new, changed, unchanged, error
    old_rate: Decimal | None = None
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    applied: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("new", "changed", "unchanged", "error")}

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    def error_list(self) -> list[dict[str, str]]:
        """Problems as API field errors: `rows[LINE].field` (LINE counts the header as line 1)."""
        out = [{"field": "file", "message": m} for m in self.file_errors]
        for r in self.rows:
            out += [{"field": f"rows[{r.line}].{k}", "message": m} for k, m in r.errors.items()]
        return out


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor GB18030 text: save it as CSV (UTF-8) or XLSX."))


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, float):  # an XLSX number: its shortest exact text, never binary noise
        return repr(value)
    return "" if value is None else str(value).strip()


def read_table(content: bytes, filename: str = "") -> list[list[str]]:
    """The file's rows as text cells; ValueError with a message for a file that cannot be read."""
    if filename.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001  (openpyxl raises many kinds for a damaged file)
            raise ValueError(_("The file could not be read as an XLSX workbook.")) from None
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        book.close()
        return rows
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        key = " ".join(name.replace("\ufeff", "").lower().split())
        for column, names in HEADERS.items():
            if key in names and column not in columns:
                columns[column] = i
    missing = [c for c in ("date", "base", "quote", "rate") if c not in columns]
    return columns, missing


def _date(text: str) -> dt.date | str:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text[:10] if "年" not in text else text, fmt).date()
        except ValueError:
            continue
    return text


def preview(content: bytes, filename: str = "") -> ImportResult:
    """Read and check every row; nothing is written."""
    result = ImportResult()
    if len(content) > MAX_BYTES:
        result.file_errors.append(_("The file is larger than 2 MB: split it into several imports."))
        return result
    try:
        table = [row for row in read_table(content, filename)]
    except ValueError as exc:
        result.file_errors.append(str(exc))
        return result
    if not table:
        result.file_errors.append(_("The file is empty."))
        return result
    columns, missing = _columns(table[0])
    if missing:
        result.file_errors.append(
            _("The first row must name the columns date, base, quote and rate; missing: %(names)s.")
            % {"names": ", ".join(missing)}
        )
        return result
    body = [(n, row) for n, row in enumerate(table[1:], start=2) if any(c.strip() for c in row)]
    if len(body) > MAX_ROWS:
        result.file_errors.append(_("At most %(n)d rows per import.") % {"n": MAX_ROWS})
        return result
    known = known_currencies()
    for line, row in body:
        values = {c: (row[i] if i < len(row) else "") for c, i in columns.items()}
        data: dict[str, Any] = {**values, "date": _date(values["date"])}
        clean, errors = clean_rate_row(data, known=known)
        result.rows.append(
            ImportRow(line, values, clean["date"], clean["base"], clean["quote"], clean["rate"])
        )
        result.rows[-1].errors = errors
    if not result.rows:
        result.file_errors.append(_("The file has a header but no rates."))
    _compare(result)
    return result


def _compare(result: ImportResult) -> None:
    """Mark each good row new, changed or unchanged against the database and the rows above it."""
    good = [r for r in result.rows if not r.errors]
    if not good:
        return
    days = [r.date for r in good if r.date]
    stored: dict[tuple[str, str, dt.date], ExchangeRate] = {
        (e.base_id, e.quote_id, e.date): e
        for e in ExchangeRate.objects.filter(date__gte=min(days), date__lte=max(days))
    }
    seen: dict[tuple[str, str, dt.date], int] = {}
    for r in good:
        assert r.date is not None and r.rate is not None
        key, other = (r.base, r.quote, r.date), (r.quote, r.base, r.date)
        if key in seen or other in seen:
            first = seen.get(key) or seen.get(other)
            r.errors["date"] = _("Line %(n)d already gives a rate for this pair and day.") % {"n": first}
            continue
        seen[key] = r.line
        if other in stored:
            r.errors["date"] = pair_taken_message(stored[other])
        elif key in stored:
            r.old_rate = stored[key].rate
            r.status = "unchanged" if rate_text(r.old_rate) == rate_text(r.rate) else "changed"
        else:
            r.status = "new"
    for r in result.rows:
        if r.errors:
            r.status = "error"


def exchange_rates_import(*, actor, content: bytes, filename: str = "", apply: bool = False) -> ImportResult:
    """Preview (apply=False) or import a rate table. With apply=True and no error anywhere, every new
    and changed rate is written in one transaction, each with its audit entry; with any error, nothing."""
    require_manager(actor)
    result = preview(content, filename)
    if not apply or not result.ok:
        return result
    try:
        with transaction.atomic():
            _write(actor, result)
    except IntegrityError:  # a rate entered by someone else between the check and the write
        raise ValidationError(
            {"file": _("Rates were entered meanwhile: preview the file again and re-import it.")}
        ) from None
    result.applied = True
    return result


Key = tuple[str, str, dt.date]


def _checked(result: ImportResult, status: str) -> dict[Key, Decimal]:
    """The rows of one status as {(base, quote, date): rate} (checked rows have both)."""
    out: dict[Key, Decimal] = {}
    for r in result.rows:
        if r.status == status and r.date is not None and r.rate is not None:
            out[(r.base, r.quote, r.date)] = r.rate
    return out


def _write(actor, result: ImportResult) -> None:
    now = timezone.now()
    new, changed = _checked(result, "new"), _checked(result, "changed")
    created = ExchangeRate.objects.bulk_create(
        ExchangeRate(date=day, base_id=base, quote_id=quote, rate=rate, source=RateSource.IMPORT)
        for (base, quote, day), rate in new.items()
    )
    audit_records_bulk(
        actor=actor,
        action=AuditAction.CREATE,
        targets=created,
        changes=lambda e: {
            "date": [None, e.date.isoformat()],
            "base": [None, e.base_id],
            "quote": [None, e.quote_id],
            "rate": [None, rate_text(e.rate)],
        },
    )
    if not changed:
        return
    days = [k[2] for k in changed]
    rows = [
        e
        for e in ExchangeRate.objects.select_for_update().filter(date__gte=min(days), date__lte=max(days))
        if (e.base_id, e.quote_id, e.date) in changed
    ]
    old = {e.pk: rate_text(e.rate) for e in rows}
    for e in rows:
        e.rate = changed[(e.base_id, e.quote_id, e.date)]
        e.version += 1
        e.source = RateSource.IMPORT
        e.updated_at = now
    ExchangeRate.objects.bulk_update(rows, ["rate", "version", "source", "updated_at"], batch_size=500)
    audit_records_bulk(
        actor=actor,
        action=AuditAction.UPDATE,
        targets=rows,
        changes=lambda e: {"rate": [old[e.pk], rate_text(e.rate)]},
    )

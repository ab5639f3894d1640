"""Writing export rows to CSV and XLSX files, row by row, with flat memory.

CSV formula guard (CSV injection). A spreadsheet that opens a CSV file reads a cell starting with
``=``, ``+``, ``-`` or ``@`` (or their full-width forms ``＝ ＋ － ＠``, which Excel in Chinese and
Japanese converts), or with a tab, carriage return or line feed, as a formula — and a formula can call
HYPERLINK, WEBSERVICE or DDE (``=cmd|' /C calc'!A0``). Such a cell is written with a leading ``'``,
EXCEPT when it is a plain number or phone number: an optional sign, then only digits, spaces and
``( ) . , / -``, optionally ending in an extension (``ext. 8001``, ``转 8001``, ``分机 8001``) — or
a list of those separated by ``,`` or ``;`` (half- or full-width), as in a cell holding several phones.
Those hold no letter, quote, ``!``, ``|``, ``$`` or ``:``, so they can name no function, no cell and no
other program: at worst arithmetic. So ``+86 755 8888 8888`` and ``-5`` stay as they are, while
``=1+1``, ``@SUM(A1)``, ``-1+1`` and ``+86 short`` get the ``'``.

XLSX cells carry their type: text is written as a string cell (inline string, type ``s``), never as a
formula and never with a ``'``, so it shows exactly as stored. Numbers stay number cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from guanxi.core.exports import ExportRows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMBER = r"[+-]?[0-9(][0-9 ().,/-]*(?: ?(?:ext\.|转|分机) ?[0-9]+)?"
PLAIN_NUMBER = re.compile(rf"{_NUMBER}(?:[,;，；] ?{_NUMBER})*")  # one or a list (a cell of several phones)
XLSX_MAX_TEXT = 32_767  # Excel's limit for one cell
SHEET_TITLE_MAX = 31
SHEET_TITLE_BAD = re.compile(r"[\\/?*\[\]:\x00-\x1f\x7f]")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Progress = Callable[[int], None]


def csv_text(value: str) -> str:
    """A CSV cell's text, with a ``'`` in front when a spreadsheet would run it as a formula."""
    if value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, int | float | Decimal):
        return value
    return csv_text(_plain_text(value))


def sheet_title(text: str) -> str:
    """A valid Excel sheet name: at most 31 characters, none of \\ / ? * [ ] :, no ' at either end."""
    title = SHEET_TITLE_BAD.sub(" ", str(text)).strip().strip("'").strip()
    title = title[:SHEET_TITLE_MAX].strip().rstrip("'").rstrip()
    if not title or title.casefold() == "history":  # Excel reserves "History"
        title = _("Export")[:SHEET_TITLE_MAX]
    return title


def _plain_text(value) -> str:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    return str(value)


def _xlsx_cell(ws, value, *, bold: bool = False):
    if value is None:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", csv_cell(value) if isinstance(value, bool) else _plain_text(value))
    if not text and not bold:
        return None  # an empty cell, not an empty string
    text = text[:XLSX_MAX_TEXT]
    if not bold and not text.startswith("=") and text not in ERROR_CODES:
        return text  # openpyxl writes any other text as a string cell (and reuses one cell object: fast)
    cell = WriteOnlyCell(ws, text)
    cell.data_type = "s"  # text stays text: "=1+1" or "#N/A" is shown as typed, never evaluated
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_csv(out: IO[bytes], data: ExportRows, *, title: str, progress: Progress, every: int) -> int:
    """Write the rows to a binary file as UTF-8 CSV (with a BOM, so Excel reads Chinese). Returns the count.

    CSV has no sheet, so `title` is not written."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text)
    text.write("\ufeff")
    writer.writerow([csv_cell(h) for h in data.headers])
    n = 0
    for row in data.rows:
        writer.writerow([csv_cell(c) for c in row])
        n += 1
        if n % every == 0:
            progress(n)
    text.flush()
    text.detach()  # leave `out` open for the caller
    return n


def write_xlsx(out: IO[bytes], data: ExportRows, *, title: str, progress: Progress, every: int) -> int:
    """Write the rows to an XLSX workbook with one sheet named `title`, streaming (openpyxl write-only)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(title))
    ws.freeze_panes = "A2"
    ws.append([_xlsx_cell(ws, h, bold=True) for h in data.headers])
    n = 0
    for row in data.rows:
        ws.append([_xlsx_cell(ws, c) for c in row])
        n += 1
        if n % every == 0:
            progress(n)
    wb.save(out)
    return n


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}

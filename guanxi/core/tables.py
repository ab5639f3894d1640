"""Reading an uploaded table (CSV or XLSX) for an import, and matching its header row to the columns an import
knows, in English, in Chinese or by key, whatever the language of the user who uploads it."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from guanxi.core.text import fold

MAX_BYTES = 10 * 1024 * 1024


def read_table(content: bytes, filename: str) -> list[list]:
    """The rows of an uploaded CSV or XLSX file (cells as text or numbers). CSV from Excel in China is often
    GB18030, elsewhere UTF-8 (with or without BOM): both are read."""
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError({"file": _("This is not a readable XLSX file.")}) from exc
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    if not name.endswith((".csv", ".txt")):
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError({"file": _("The CSV file is neither UTF-8 nor GB18030 text.")})
    if "\x00" in text:
        raise ValidationError({"file": _("This is not a text file.")})
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_names(columns, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """folded header text -> column key: each key itself, its label in English and in Chinese, and the
    aliases (headers that Chinese spreadsheets commonly use: 公司名称, 手机 …)."""
    out: dict[str, str] = {fold(k): v for k, v in (aliases or {}).items()}
    for key, label in columns:
        out[fold(key)] = key
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                out[fold(str(label))] = key
    return out


def header_cell(value) -> str:
    """A header cell as compared: folded (case, width, 繁/简), full-width brackets as half-width."""
    return fold(str(value or "")).replace("（", "(").replace("）", ")")

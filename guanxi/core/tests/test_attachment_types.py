"""The type of an upload is read from its content; the name must agree with it."""

from __future__ import annotations

import io

import pytest

from guanxi.core.attachment_types import (
    FileTooLargeError,
    FileTypeRefusedError,
    UploadRefusedError,
    check_upload,
)
from guanxi.core.tests.attachments_support import SAMPLES

MB = 1024 * 1024


def check(name: str, content: bytes, max_bytes: int = 25 * MB):
    return check_upload(io.BytesIO(content), name=name, size=len(content), max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "sample", "content_type"),
    [
        ("logo.png", "png", "image/png"),
        ("photo.JPG", "jpeg", "image/jpeg"),
        ("photo.jpeg", "jpeg", "image/jpeg"),
        ("anim.gif", "gif", "image/gif"),
        ("pic.webp", "webp", "image/webp"),
        ("报价单.pdf", "pdf", "application/pdf"),
        ("contract.docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("prices.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("deck.pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("bundle.zip", "zip", "application/zip"),
        ("notes.txt", "text", "text/plain"),
        ("notes.md", "text", "text/plain"),
        ("名单.csv", "csv", "text/csv"),  # GB18030, as Excel in China saves CSV
        ("docs.zip", "docx", "application/zip"),  # an Office file is a ZIP archive too
    ],
)
def test_accepted_kinds(name, sample, content_type):
    assert check(name, SAMPLES[sample]).content_type == content_type


def test_a_real_xlsx_from_openpyxl_is_an_excel_workbook():
    import openpyxl

    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    assert check("book.xlsx", buf.getvalue()).key == "xlsx"


@pytest.mark.parametrize(
    ("name", "sample", "says"),
    [
        ("invoice.pdf", "exe", "a program"),
        ("invoice.pdf", "html", "a web page (HTML)"),
        ("logo.png", "svg", "an SVG image"),
        ("page.html", "html", "a web page (HTML)"),
        ("setup.exe", "exe", "a program"),
        ("book.xlsm", "xlsm", "an Office file with macros"),
        ("book.xlsx", "xlsm", "an Office file with macros"),
        ("data.bin", "binary", "could not be recognised"),
    ],
)
def test_refused_types_say_what_the_file_is(name, sample, says):
    with pytest.raises(FileTypeRefusedError) as exc:
        check(name, SAMPLES[sample])
    assert exc.value.status == 415
    assert says in str(exc.value.message)
    assert name in str(exc.value.message)


@pytest.mark.parametrize(
    ("name", "sample", "says"),
    [
        ("logo.png", "text", "named as a PNG image, but its content is plain text"),
        ("scan.pdf", "png", "named as a PDF document, but its content is a PNG image"),
        ("photo.jpg", "png", "named as a JPEG image, but its content is a PNG image"),
        ("report.docx", "xlsx", "named as a Word document, but its content is an Excel workbook"),
        ("notes.txt", "pdf", "named as plain text, but its content is a PDF document"),
        ("report", "pdf", "its name must end in .pdf"),
        ("photo.heic", "jpeg", "its name must end in .jpg / .jpeg"),
    ],
)
def test_a_name_that_does_not_match_the_content_is_refused(name, sample, says):
    with pytest.raises(FileTypeRefusedError) as exc:
        check(name, SAMPLES[sample])
    assert says in str(exc.value.message)


def test_empty_and_too_large():
    with pytest.raises(UploadRefusedError) as exc:
        check("empty.pdf", b"")
    assert exc.value.status == 422 and "is empty" in str(exc.value.message)
    with pytest.raises(FileTooLargeError) as exc:
        check("big.pdf", SAMPLES["pdf"], max_bytes=100)
    assert exc.value.status == 413
    assert "at most 100\xa0bytes" in str(exc.value.message)


def test_text_with_control_characters_is_not_text():
    with pytest.raises(FileTypeRefusedError):
        check("notes.txt", b"hello\x00world\x01")


def test_utf16_text_with_a_bom_is_text():
    assert check("notes.txt", "你好\r\n".encode("utf-16")).key == "text"


def test_a_damaged_zip_is_refused():
    with pytest.raises(FileTypeRefusedError):
        check("bundle.zip", SAMPLES["zip"][:30])

"""Test helpers for attachments: small files of every kind, real
enough for a browser to show (a PNG, a PDF) or for the type check to look inside (Office files).

The `attachments_dir` fixture (a storage in a temporary folder) is in the root conftest.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from guanxi.core.sample_files import pdf_bytes, png_bytes
from guanxi.core.services.attachments import attachment_add

__all__ = ["SAMPLES", "attach", "office_bytes", "pdf_bytes", "png_bytes", "stored_files", "upload"]


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


OOXML_TYPES = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "xlsm": ("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
}


def office_bytes(kind: str) -> bytes:
    """A minimal Office Open XML package: [Content_Types].xml naming its main part, and that part."""
    part, content_type = OOXML_TYPES[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(part, "<root/>")
    return buf.getvalue()


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


SAMPLES: dict[str, bytes] = {
    "png": png_bytes(),
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64,
    "gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "webp": b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00" + b"\x00" * 14,
    "pdf": pdf_bytes("Guanxi test"),
    "docx": office_bytes("docx"),
    "xlsx": office_bytes("xlsx"),
    "pptx": office_bytes("pptx"),
    "zip": zip_bytes(),
    "text": "Meeting notes: 与华为的会议纪要\nline 2\n".encode(),
    "csv": "名称,金额\n华为,100\n".encode("gb18030"),
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200,
    "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "xlsm": office_bytes("xlsm"),
    "binary": bytes(range(256)) * 4,
}


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as a browser sends it: the name and the type it claims are the sender's word only."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach(actor, record, name: str = "offer.pdf", content: bytes | None = None, description: str = ""):
    return attachment_add(
        actor=actor,
        record=record,
        file=upload(name, SAMPLES["pdf"] if content is None else content),
        description=description,
    )

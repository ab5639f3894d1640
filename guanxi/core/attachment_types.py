"""Which files may be attached: the type is read from the content (the `filetype` library and a look inside
ZIP-based Office files), never taken from the name, and the name must then agree with it.

Accepted: PNG, JPEG, GIF and WebP images, PDF, Word / Excel / PowerPoint (.docx, .xlsx, .pptx), plain
text and CSV, ZIP archives. Everything else — programs, web pages, SVG, macro-enabled Office files, a PDF
that is really a program — is refused with a message that says what the file is.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from guanxi.core.exceptions import GuanxiError

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

HEAD_BYTES = 8192
CHUNK = 64 * 1024
MAX_CONTENT_TYPES_XML = 1024 * 1024  # a real [Content_Types].xml is a few kB


class UploadRefusedError(GuanxiError):
    """An upload that cannot be attached. `status`: 413 too large, 415 a refused type, 422 otherwise."""

    status = 422
    title = _("The file cannot be attached.")


class FileTooLargeError(UploadRefusedError):
    status = 413
    title = _("The file is too large.")


class FileTypeRefusedError(UploadRefusedError):
    status = 415
    title = _("This type of file cannot be attached.")


@dataclass(frozen=True)
class Kind:
    key: str
    label: StrOrPromise  # what the file is, in a sentence: "a PDF document"
    short: StrOrPromise  # the list's Type column: "PDF"
    content_type: str
    extensions: tuple[str, ...]


PNG = Kind("png", _("a PNG image"), "PNG", "image/png", (".png",))
JPEG = Kind("jpeg", _("a JPEG image"), "JPEG", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"))
GIF = Kind("gif", _("a GIF image"), "GIF", "image/gif", (".gif",))
WEBP = Kind("webp", _("a WebP image"), "WebP", "image/webp", (".webp",))
PDF = Kind("pdf", _("a PDF document"), "PDF", "application/pdf", (".pdf",))
DOCX = Kind(
    "docx",
    _("a Word document"),
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Kind(
    "xlsx",
    _("an Excel workbook"),
    "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PPTX = Kind(
    "pptx",
    _("a PowerPoint presentation"),
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
ZIP = Kind("zip", _("a ZIP archive"), "ZIP", "application/zip", (".zip",))
TEXT = Kind("text", _("plain text"), _("Text"), "text/plain", (".txt", ".text", ".log", ".md"))
CSV = Kind("csv", _("a CSV file"), "CSV", "text/csv", (".csv",))
TSV = Kind("tsv", _("a TSV file"), "TSV", "text/tab-separated-values", (".tsv",))

KINDS = (PNG, JPEG, GIF, WEBP, PDF, DOCX, XLSX, PPTX, ZIP, TEXT, CSV, TSV)
BY_CONTENT_TYPE = {k.content_type: k for k in KINDS}
BY_EXTENSION = {ext: k for k in KINDS for ext in k.extensions}
# What `filetype` finds at the start of a file -> the kind it is (APNG is a PNG to every viewer).
SIGNATURES = {
    "image/png": PNG,
    "image/apng": PNG,
    "image/jpeg": JPEG,
    "image/gif": GIF,
    "image/webp": WEBP,
    "application/pdf": PDF,
}
# The main part of an Office Open XML package, as its [Content_Types].xml declares it.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
ACCEPTED = _(
    "images (PNG, JPEG, GIF, WebP), PDF, Word, Excel and PowerPoint (.docx, .xlsx, .pptx), text and CSV, ZIP"
)
ACCEPT_ATTRIBUTE = ",".join(sorted(BY_EXTENSION))  # the file input's accept="…" (a hint; the server decides)

_MARKUP = re.compile(r"<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml)\b", re.IGNORECASE)
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Other:
    """Content that is recognised but not accepted."""

    label: StrOrPromise


def short_label(content_type: str) -> StrOrPromise:
    kind = BY_CONTENT_TYPE.get(content_type)
    return kind.short if kind else content_type


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _office_kind(file: IO[bytes]) -> Kind | Other | None:
    """What a ZIP-based file is: a .docx/.xlsx/.pptx package, another package, or a plain ZIP archive.
    Only the archive's directory and its small [Content_Types].xml are read (nothing is unpacked)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return ZIP if archive.namelist() else Other(_("an empty ZIP archive"))
            if info.file_size > MAX_CONTENT_TYPES_XML:
                return Other(_("an Office file that cannot be read"))
            types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return None  # damaged, or encrypted in a way zipfile cannot read
    for main, kind in OOXML_MAIN.items():
        if f'ContentType="{main}"' in types or f"ContentType='{main}'" in types:
            return kind
    if "macroEnabled" in types:
        return Other(_("an Office file with macros"))
    return Other(_("an Office file of another kind"))


def _decodes_as_text(file: IO[bytes], head: bytes) -> bool:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, or GB18030 (what Excel in China saves CSV as), with
    no control characters but tab, line breaks and form feed. The whole file is read, a chunk at a time."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        file.seek(0)
        try:
            while chunk := file.read(CHUNK):
                if _NOT_TEXT.search(decoder.decode(chunk)):
                    return False
            return not _NOT_TEXT.search(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            continue
    return False


def _text_head(head: bytes) -> str:
    for encoding in ("utf-16", "utf-8-sig", "gb18030"):
        if encoding == "utf-16" and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            continue
        return head.decode(encoding, "ignore")
    return ""  # pragma: no cover


def identify(file: IO[bytes]) -> Kind | Other | None:
    """What the content is: an accepted kind, something recognised but refused, or None (not recognised).
    Text comes back as TEXT; the name then says whether it is CSV or TSV."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _office_kind(file)
    guess = filetype.guess(head)
    if guess is not None:
        if guess.mime in SIGNATURES:
            return SIGNATURES[guess.mime]
        if guess.mime in ("application/x-msdownload", "application/x-executable"):
            return Other(_("a program (%(type)s)") % {"type": guess.mime})
        return Other(_("a file of type %(type)s") % {"type": guess.mime})
    if _decodes_as_text(file, head):
        start = _text_head(head).lstrip()
        if _MARKUP.match(start):
            return Other(
                _("an SVG image") if start[:1000].lower().find("<svg") >= 0 else _("a web page (HTML)")
            )
        return TEXT
    return None


def check_upload(file: IO[bytes], *, name: str, size: int, max_bytes: int) -> Kind:
    """The kind of an uploaded file, or UploadRefusedError saying why it cannot be attached."""
    if size <= 0:
        raise UploadRefusedError(_("“%(name)s” is empty.") % {"name": name})
    if size > max_bytes:
        raise FileTooLargeError(
            _("“%(name)s” is %(size)s; a file may be at most %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_bytes)}
        )
    found = identify(file)
    file.seek(0)
    if found is None:
        raise FileTypeRefusedError(
            _(
                "The type of “%(name)s” could not be recognised, so it cannot be attached. Accepted: %(accepted)s."
            )
            % {"name": name, "accepted": ACCEPTED}
        )
    if isinstance(found, Other):
        raise FileTypeRefusedError(
            _("“%(name)s” is %(what)s, which cannot be attached. Accepted: %(accepted)s.")
            % {"name": name, "what": found.label, "accepted": ACCEPTED}
        )
    ext = extension(name)
    named = BY_EXTENSION.get(ext)
    if found is TEXT and named in (TEXT, CSV, TSV):
        return named
    if ext == ".zip" and found in (DOCX, XLSX, PPTX):
        return ZIP  # an Office file is a ZIP archive too; called one, it is kept as one
    if named is found:
        return found
    if named is None:
        raise FileTypeRefusedError(
            _("“%(name)s” is %(what)s: its name must end in %(extensions)s.")
            % {"name": name, "what": found.label, "extensions": " / ".join(found.extensions)}
        )
    raise FileTypeRefusedError(
        _(
            "“%(name)s” is named as %(expected)s, but its content is %(what)s. Check that it is the right file."
        )
        % {"name": name, "expected": named.label, "what": found.label}
    )

"""Serving a stored file to a browser or an API client: a clean name, a Content-Disposition that every
browser reads (an ASCII `filename` and, for any other name, RFC 5987's `filename*`), and headers that stop a
browser from guessing the type or running what it shows."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse

MAX_NAME = 255
# Control characters, and the bidirectional controls that make "evil‮fdp.exe" read as "evilexe.pdf".
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._\- ()\[\]+,]")


def clean_file_name(name: str, *, default: str = "file") -> str:
    """A file name as given by a browser or client, safe to show and to put in a header: no folders, no
    control or direction characters, spaces collapsed, at most 255 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # C:\\Users\\me\\x.pdf, ../../x.pdf
    name = _SPACES.sub(" ", _UNSAFE.sub("", name)).strip().strip(".").strip()
    if not name:
        return default
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: MAX_NAME - len(suffix)].rstrip() + suffix
    return name


def ascii_fallback(name: str) -> str:
    """The name for clients that do not read `filename*`: accents dropped, other letters replaced; a name
    with nothing left (合同.pdf) becomes download.pdf."""
    path = PurePosixPath(name)

    def ascii_only(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return _ASCII_UNSAFE.sub("_", plain).strip()

    stem, suffix = ascii_only(path.stem), ascii_only(path.suffix)
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = "download"
    return f"{stem}{suffix}"


def content_disposition(name: str, *, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    fallback = ascii_fallback(name)
    header = f'{kind}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def file_response(file, *, name: str, content_type: str, size: int | None, inline: bool) -> FileResponse:
    """Stream `file` with its name and type. Nothing is sniffed or guessed: the type given is the one
    detected from the content when it was uploaded."""
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    if size is not None:
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Shown inline, the file is a document of its own: it may run nothing and load nothing (a PDF viewer or
    # an image view needs neither); as a download it is never rendered.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

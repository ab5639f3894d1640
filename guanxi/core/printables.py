"""Printable forms of document types (re-exported by guanxi.core.registry, where apps register them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Printable:
    """A printable form of a document type: an HTML template (extending "core/print/base.html") that core
    shows as a print preview and renders to PDF (guanxi.core.services.printing)."""

    document: str  # the DocumentType code, e.g. "parties.party"
    key: str  # e.g. "profile", "quote"
    label: StrOrPromise
    template: str
    context: Callable | None = None  # (obj, user) -> dict
    language: Callable | None = None  # obj -> the recipient's language ("en", "zh-hans") or None
    company: Callable | None = None  # obj -> the issuing company (letterhead); None: the default company
    filename: Callable | None = None  # obj -> file name without ".pdf"


_PRINTABLES: dict[tuple[str, str], Printable] = {}


def register_printable(printable: Printable) -> None:
    _PRINTABLES[(printable.document, printable.key)] = printable


def printable(document: str, key: str) -> Printable | None:
    return _PRINTABLES.get((document, key))


def printables_for(document: str) -> list[Printable]:
    return [p for p in _PRINTABLES.values() if p.document == document]

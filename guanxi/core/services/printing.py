"""Printable documents: a registered template (guanxi.core.registry.Printable) rendered for one record, in the
recipient's language, with the issuing company's letterhead — as HTML for the print preview and as PDF with
WeasyPrint (Noto CJK fonts from Debian; no network: only Guanxi's own static files and the company logo are
read while rendering)."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.exceptions import NotFoundError
from guanxi.core.selectors.companies import company_default, letterhead_of

LANGUAGES = {code for code, _name in settings.LANGUAGES}


@dataclass
class PrintJob:
    printable: registry.Printable
    obj: Any  # a model instance of the printable's document type
    language: str


def print_job(*, actor, document: str, pk, key: str, language: str | None = None) -> PrintJob:
    """What to print, after the record rules: NotFoundError when the record, the form or the right to see it
    is missing (existence does not leak)."""
    doc = registry.document_type(document)
    form = registry.printable(document, key)
    if doc is None or form is None:
        raise NotFoundError()
    obj = doc.model._default_manager.filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None or not doc.may_view(actor, obj):
        raise NotFoundError()
    if language not in LANGUAGES:
        language = (form.language(obj) if form.language else None) or translation.get_language() or "en"
    if language not in LANGUAGES:
        language = "zh-hans" if str(language).startswith("zh") else "en"
    return PrintJob(form, obj, language)


def _company(job: PrintJob):
    """The issuing company: the printable's own choice, else the default legal entity (Settings → Our
    companies); None when none is set up (the document prints without a letterhead)."""
    if job.printable.company is not None:
        return job.printable.company(job.obj)
    return company_default()


def render_html(job: PrintJob, *, user, for_pdf: bool, request=None) -> str:
    with translation.override(job.language):
        company = _company(job)
        context = {
            "object": job.obj,
            "company": company,
            "letterhead": letterhead_of(company, language=job.language) if company else None,
            "printable": job.printable,
            "language": job.language,
            "zh": job.language.startswith("zh"),
            "printed_at": timezone.localtime(),
            "printed_by": user,
            "for_pdf": for_pdf,
            **(job.printable.context(job.obj, user) if job.printable.context else {}),
        }
        return render_to_string(job.printable.template, context, request=None if for_pdf else request)


def _fetcher():
    """WeasyPrint's URL fetcher: Guanxi's static files and data: URIs, nothing from the network (a document
    cannot make the server fetch a URL)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    marker = "/" + settings.STATIC_URL.strip("/") + "/"

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if marker in url:
                found = finders.find(url.split(marker, 1)[1].split("?")[0])
                if found:
                    path = Path(found if isinstance(found, str) else found[0])
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            raise ValueError(f"Not fetched while printing: {url}")

    return StaticOnly()


def _footer_css(job: PrintJob) -> str:
    """The PDF's footer: the issuing company's name and "Page 2 of 5" / "第 2 页，共 5 页" (a translated sentence
    turned into CSS counters). Given to WeasyPrint as a stylesheet: the pages carry no inline style (CSP)."""
    with translation.override(job.language):
        sentence = _("Page %(page)s of %(pages)s")
        company = _company(job)
    counter = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", sentence):
        if piece in ("%(page)s", "%(pages)s"):
            counter.append(f"counter({piece[2:-2]})")
        elif piece:
            counter.append(_css_string(piece))
    name = _css_string(company.name_in(job.language) if company else "")
    return (
        f"@page {{ @bottom-right {{ content: {' '.join(counter)}; }} @bottom-left {{ content: {name}; }} }}"
    )


def _css_string(value: str) -> str:
    """A quoted CSS string: quotes, backslashes, line breaks and markup characters as CSS hex escapes."""
    escaped = "".join(f"\\{ord(ch):06x}" if ch in '"\\<>&' or ord(ch) < 32 else ch for ch in value)
    return f'"{escaped}"'


def render_pdf(job: PrintJob, *, user) -> bytes:
    from weasyprint import CSS, HTML

    html = render_html(job, user=user, for_pdf=True)
    document = HTML(string=html, base_url="http://guanxi.invalid/", url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[CSS(string=_footer_css(job))])


def pdf_filename(job: PrintJob) -> str:
    name = job.printable.filename(job.obj) if job.printable.filename else f"{job.printable.key}-{job.obj.pk}"
    return f"{name}.pdf"

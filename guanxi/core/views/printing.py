"""Print preview (HTML) and PDF download of any registered printable document (guanxi.core.registry)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from guanxi.core.exceptions import NotFoundError
from guanxi.core.services import printing


def _job(request, document, pk, key):
    try:
        return printing.print_job(
            actor=request.user, document=document, pk=pk, key=key, language=request.GET.get("lang")
        )
    except NotFoundError:
        raise Http404 from None


@login_required
def print_preview(request, document, pk, key):
    job = _job(request, document, pk, key)
    html = printing.render_html(job, user=request.user, for_pdf=False, request=request)
    return HttpResponse(html)


@login_required
def print_pdf(request, document, pk, key):
    job = _job(request, document, pk, key)
    response = HttpResponse(printing.render_pdf(job, user=request.user), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, printing.pdf_filename(job))
    return response

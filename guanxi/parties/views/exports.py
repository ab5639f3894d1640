"""The list's CSV/XLSX export: a page that says what will be exported, then a background job (core)."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models.exports import ExportFormat
from guanxi.core.pagination import capped_count
from guanxi.core.services.exports import export_request
from guanxi.parties import export
from guanxi.parties.selectors import parties as sel
from guanxi.parties.views.lists import filters_from


@login_required
@require_http_methods(["GET", "POST"])
def party_export(request, fmt: str):
    """GET: what will be exported (the list's filters, from the query string). POST: start the job."""
    if fmt not in ExportFormat.values:
        raise NotFoundError()
    if not export.allowed(request.user):
        raise PermissionDeniedError()
    filters = filters_from(request.GET)
    back = f"{reverse('parties:list')}?{request.GET.urlencode()}"
    try:
        if request.method == "POST":
            job = export_request(actor=request.user, what=export.KEY, fmt=fmt, params=asdict(filters))
            return redirect("core:export_detail", pk=job.pk)
        count, more = capped_count(sel.party_list(actor=request.user, filters=filters.validate()))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("parties:list")
    ctx = {
        "what": export.title(asdict(filters)),
        "fmt": ExportFormat(fmt).label,
        "count": count,
        "more": more,
        "back": back,
    }
    return render(request, "core/exports/new.html", ctx)

"""Importing leads from CSV/XLSX (all or nothing, every problem listed), and the import template."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from guanxi.core.import_forms import ImportForm
from guanxi.core.tables import MAX_BYTES, read_table
from guanxi.crm.services import lead_import as svc


@login_required
@require_http_methods(["GET", "POST"])
def lead_import(request):
    svc.require_changer(request.user)
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload.read(MAX_BYTES + 1), upload.name)  # read_table refuses what is larger
            result = svc.lead_import(actor=request.user, rows=rows, dry_run=form.cleaned_data["check_only"])
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
    return render(
        request,
        "crm/leads/import.html",
        {"form": form, "result": result, "max_rows": svc.MAX_ROWS, "nav": "leads"},
    )


@login_required
def lead_import_template(request):
    """An XLSX file with the header row the import reads, in the user's language, and one example row."""
    svc.require_changer(request.user)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append([str(label) for _key, label in svc.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="leads-template.xlsx"'
    return response

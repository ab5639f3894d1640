"""Importing products from CSV/XLSX (all or nothing, every problem listed), and the import template."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from guanxi.catalog.columns import headers
from guanxi.catalog.services import imports as svc
from guanxi.catalog.services.products import require_changer
from guanxi.core.import_forms import ImportForm
from guanxi.core.selectors.money import currency_list
from guanxi.core.tables import MAX_BYTES, read_table


@login_required
@require_http_methods(["GET", "POST"])
def product_import(request):
    require_changer(request.user)
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = upload.read(MAX_BYTES + 1)  # read_table refuses what is larger
                rows = read_table(content, upload.name)
                result = svc.product_import(
                    actor=request.user, rows=rows, dry_run=form.cleaned_data["check_only"]
                )
            except ValidationError as exc:
                for m in exc.message_dict.get("file", exc.messages):
                    form.add_error("file", m)
    else:
        form = ImportForm()
    return render(
        request,
        "catalog/import.html",
        {"form": form, "result": result, "max_rows": svc.MAX_ROWS, "nav": "products"},
    )


@login_required
def import_template(request):
    """An XLSX file with the header row the import reads (in the user's language), and one price column per
    active currency."""
    require_changer(request.user)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(headers([c.code for c in currency_list(actor=request.user, active=True)]))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="products-template.xlsx"'
    return response

"""Settings → Document numbering (administrators): each registered type's pattern per company, the next
and last number, and a form with a live preview of the next number."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guanxi.core.exceptions import ConflictError, ValidationError
from guanxi.core.forms import SequenceForm
from guanxi.core.numbering import Reset, numbered_document_types
from guanxi.core.selectors.companies import company_list
from guanxi.core.selectors.numbering import number_preview, sequence_get, sequence_rows
from guanxi.core.selectors.users import history_for
from guanxi.core.services.numbering import sequence_update


@login_required
def numbering(request):
    rows = sequence_rows(actor=request.user)
    groups = [(doc_type, list(items)) for doc_type, items in groupby(rows, key=lambda r: r.doc_type)]
    return render(
        request,
        "core/settings/numbering.html",
        {
            "groups": groups,
            "has_types": bool(numbered_document_types()),
            "has_companies": company_list(actor=request.user, include_archived=False).exists(),
            "section": "numbering",
        },
    )


@login_required
def numbering_edit(request, doc_type, company_id):
    row = sequence_get(actor=request.user, doc_type=doc_type, company_id=company_id)
    preview = row.next_number
    preview_error = ""
    if request.method == "POST":
        form = SequenceForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                sequence_update(
                    actor=request.user,
                    doc_type=doc_type,
                    company=row.company,
                    pattern=d["pattern"],
                    reset=d["reset"],
                    version=d["version"],
                )
                messages.success(
                    request,
                    _("Numbering of %(type)s for %(company)s saved.")
                    % {"type": row.doc_type.label, "company": row.company.label},
                )
                return redirect("core:numbering")
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
                data = request.POST.copy()
                data["version"] = str(row.version)  # the current one: a second save goes through
                form.data = data
        preview, preview_error = _preview(
            request, row, form.data.get("pattern", ""), form.data.get("reset", "")
        )
    else:
        form = SequenceForm(initial={"pattern": row.pattern, "reset": row.reset, "version": row.version})
    return render(
        request,
        "core/settings/numbering_form.html",
        {
            "form": form,
            "row": row,
            "preview": preview,
            "preview_error": preview_error,
            "history": history_for(subject_type="core.company", subject_id=row.company.pk).filter(
                target_type="core.numbersequence"
            )[:20],
            "section": "numbering",
        },
    )


def _preview(request, row, pattern: str, reset: str) -> tuple[str, str]:
    try:
        return number_preview(
            actor=request.user, doc_type=row.doc_type.code, company=row.company, pattern=pattern, reset=reset
        ), ""
    except ValidationError as exc:
        return "", " ".join(exc.messages)


@login_required
@require_GET
def numbering_preview(request, doc_type, company_id):
    """The htmx partial under the form: the next number with what is typed, or why it cannot be."""
    row = sequence_get(actor=request.user, doc_type=doc_type, company_id=company_id)
    reset = request.GET.get("reset", row.reset)
    preview, error = _preview(
        request, row, request.GET.get("pattern", "")[:200], reset if reset in Reset.values else ""
    )
    return render(
        request, "core/settings/partials/number_preview.html", {"preview": preview, "preview_error": error}
    )

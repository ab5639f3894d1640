"""Adding a supplier's qualification document (or a renewal) with its file: one service call; a refusal shows the
form again with each message beside its field and what was typed (the file must be chosen again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.attachment_types import UploadRefusedError
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.suppliers.models.documents import DocumentKind
from guanxi.suppliers.selectors.suppliers import supplier_scope
from guanxi.suppliers.services.documents import document_add, may_enter_documents

FIELDS = ("kind", "title", "number", "issued_on", "expires_on")


@login_required
@require_http_methods(["GET", "POST"])
def document_add_view(request, party_pk):
    party = supplier_scope(actor=request.user).filter(pk=party_pk).first()
    if party is None:
        raise NotFoundError()
    if not may_enter_documents(request.user, party):
        raise PermissionDeniedError(
            _("Only procurement users who may change this supplier enter its documents.")
        )
    data = {k: request.POST.get(k, "").strip()[:200] for k in FIELDS}
    errors: dict = {}
    if request.method == "POST":
        try:
            doc = document_add(actor=request.user, party=party, data=data, file=request.FILES.get("file"))
        except ValidationError as exc:
            errors = exc.message_dict
        except UploadRefusedError as exc:
            errors = {"file": [str(exc.message)]}
        else:
            messages.success(request, _("%(doc)s added to %(name)s.") % {"doc": doc, "name": party.name})
            return redirect(party.get_absolute_url() + "?tab=supplier_documents")
    return render(
        request,
        "suppliers/document_form.html",
        {
            "party": party,
            "data": data,
            "errors": errors,
            "kinds": DocumentKind.choices,
            "posted_file": bool(request.FILES.get("file")),
        },
    )

"""Attachments on any record: the tab on the record's page (registered for every document type with the
"attachments" feature, see guanxi.core.core_registry), the full list, upload, download, preview, delete.

Every page works without JavaScript (a plain form posts and comes back to the record); with htmx the
upload and delete forms swap the attachments panel in place and the upload shows its progress.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.attachment_types import ACCEPT_ATTRIBUTE, UploadRefusedError
from guanxi.core.downloads import file_response
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.forms import AttachmentForm
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors import attachments as sel
from guanxi.core.services import attachments as svc

TAB_SIZE = 20  # the tab shows the newest files and links to the full list when there are more
PAGE_SIZE = 50
ORDERING = ["-uploaded_at", "-id"]
PANEL = "core/attachments/panel.html"


def _form(data=None, files=None) -> AttachmentForm:
    return AttachmentForm(data, files, accept=ACCEPT_ATTRIBUTE, max_bytes=sel.max_upload_bytes())


def panel_context(user, doc, record, *, full: bool = False, cursor: str | None = None, form=None) -> dict:
    """What the attachments panel shows: one page of files (newest first), the upload form for those who
    may change the record. Three queries: the files with their uploaders, may_view and may_change."""
    qs = sel.attachment_list(actor=user, record=record)
    page = keyset_page(qs, ordering=ORDERING, cursor=cursor, limit=PAGE_SIZE if full else TAB_SIZE)
    list_url = reverse("core:attachments", args=[doc.code, record.pk])
    return {
        "object": record,
        "doc": doc,
        "record_title": doc.title(record),
        "record_url": doc.url(record),
        "attachments": page.items,
        "page": page,
        "full": full,
        "list_url": list_url,
        "can_change": doc.may_change(user, record),
        "form": form or _form(),
        "max_bytes": sel.max_upload_bytes(),
    }


def tab_context(doc):
    """The context callable of the Attachments tab of `doc`'s record page: (record, user) -> dict."""

    def context(record, user) -> dict:
        return panel_context(user, doc, record)

    return context


def _record(request, document_type: str, object_id: str):
    try:
        return sel.record_get(actor=request.user, document_type=document_type, object_id=object_id)
    except ValidationError as exc:  # not a type that takes attachments: as good as no such page
        raise Http404 from exc


def _back(request, doc, record, target: str | None = None) -> str:
    """Where a plain form goes back to: the page it was on, else the record's Attachments tab."""
    target = request.POST.get("next", "") if target is None else target
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return f"{doc.url(record)}?tab=attachments"


def _panel(request, doc, record, *, form=None, notice: str = "", error: str = "") -> HttpResponse:
    full = request.POST.get("panel") == "page"
    ctx = panel_context(request.user, doc, record, full=full, form=form)
    ctx.update({"notice": notice, "notice_error": error, "next": request.POST.get("next", "")})
    return HttpResponse(render_to_string(PANEL, ctx, request=request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attachment_list(request, document_type: str, object_id: str):
    """GET: every file of a record, a page at a time. POST: upload one (the form of the tab and of this
    page); an error comes back with the form, the description kept."""
    doc, record = _record(request, document_type, object_id)
    status = 200
    form = None
    if request.method == "POST":
        form = _form(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                attachment = svc.attachment_add(
                    actor=request.user,
                    record=record,
                    file=upload,
                    name=upload.name,
                    size=upload.size,
                    description=form.cleaned_data["description"],
                )
            except UploadRefusedError as exc:
                form.add_error("file", str(exc.message))
                status = exc.status
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 422
            else:
                notice = _("“%(name)s” attached.") % {"name": attachment.original_name}
                if request.htmx:
                    return _panel(request, doc, record, notice=notice)
                messages.success(request, notice)
                return redirect(_back(request, doc, record))
        else:
            status = 422
        if request.htmx:  # htmx swaps 2xx answers only: the form with its errors replaces the panel
            return _panel(request, doc, record, form=form)
    try:
        ctx = panel_context(request.user, doc, record, full=True, cursor=request.GET.get("cursor"), form=form)
    except ValidationError:  # a page link that is not valid any more
        return redirect(request.path)
    ctx["next"] = request.POST.get("next", "")  # after a refused upload, the next try still goes back there
    return render(request, "core/attachments/list.html", ctx, status=status)


@login_required
def attachment_download(request, pk):
    attachment, _doc, _record_ = sel.attachment_get(actor=request.user, pk=pk)
    return file_response(
        sel.attachment_open(attachment),
        name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        inline=False,
    )


@login_required
def attachment_preview(request, pk):
    """Images and PDFs, shown by the browser itself (inline); any other type has no preview (404)."""
    attachment, _doc, _record_ = sel.attachment_get(actor=request.user, pk=pk)
    if not attachment.previewable:
        raise NotFoundError()
    return file_response(
        sel.attachment_open(attachment),
        name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        inline=True,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attachment_delete(request, pk):
    """GET: "Delete this file?" (the Delete link without JavaScript; with htmx it asks in a dialog and
    posts at once). POST: delete it, and go back to the page it was listed on."""
    attachment, doc, record = sel.attachment_get(actor=request.user, pk=pk)
    if request.method != "POST":
        if not doc.may_change(request.user, record):
            raise PermissionDeniedError(
                _("You may see this record but not change it, so you cannot change its files.")
            )
        back = _back(request, doc, record, request.GET.get("next", ""))
        ctx = {
            "attachment": attachment,
            "record_title": doc.title(record),
            "record_url": doc.url(record),
            "next": back,
        }
        return render(request, "core/attachments/delete.html", ctx)
    name = attachment.original_name
    try:
        svc.attachment_delete(actor=request.user, attachment=attachment, record=record)
    except PermissionDeniedError as exc:
        if not request.htmx:
            raise
        return _panel(request, doc, record, error=str(exc.message))
    notice = _("“%(name)s” deleted.") % {"name": name}
    if request.htmx:
        return _panel(request, doc, record, notice=notice)
    messages.success(request, notice)
    return redirect(_back(request, doc, record))

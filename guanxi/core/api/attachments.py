"""/api/v1/attachments: files on any record whose document type takes attachments (parse, call a selector
or service, return). The same rules as the web: listing and downloading need `may_view` on the record,
uploading and deleting `may_change`; a record the caller may not see is a 404 for its attachments too."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from guanxi.core.api.errors import STD, problem, responses
from guanxi.core.attachment_types import KINDS, UploadRefusedError
from guanxi.core.downloads import file_response
from guanxi.core.models import Attachment
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors import attachments as sel
from guanxi.core.services import attachments as svc

router = Router(tags=["attachments"])

Id = Annotated[int, Field(ge=1, le=2**53)]
DocumentTypeCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=60,
        pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$",
        description="The record's document type, e.g. `parties.party`: one whose features include attachments.",
    ),
]
ObjectId = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^[!-~]+$", description="The record's id, e.g. `42`.")
]


class RecordQuery(Schema):
    document_type: DocumentTypeCode
    object_id: ObjectId


class ListQuery(RecordQuery):
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class Uploader(Schema):
    id: int
    username: str
    name: str


class AttachmentOut(Schema):
    id: int
    document_type: str
    object_id: str
    name: str = Field(description="The file's name as uploaded (cleaned of folders and control characters).")
    size: int
    content_type: str = Field(description="Detected from the content when it was uploaded.")
    sha256: str
    description: str
    uploaded_by: Uploader | None
    uploaded_at: datetime
    download_url: str
    preview_url: str | None = Field(description="Images and PDFs only: the browser shows them inline.")


class AttachmentPage(Schema):
    items: list[AttachmentOut]
    next_cursor: str | None
    prev_cursor: str | None


def attachment_json(a: Attachment) -> dict:
    user = a.uploaded_by
    return {
        "id": a.pk,
        "document_type": a.document_type,
        "object_id": a.object_id,
        "name": a.original_name,
        "size": a.size,
        "content_type": a.content_type,
        "sha256": a.sha256,
        "description": a.description,
        "uploaded_by": {"id": user.pk, "username": user.username, "name": str(user)} if user else None,
        "uploaded_at": a.uploaded_at,
        "download_url": reverse("api:attachments_download", args=[a.pk]),
        "preview_url": reverse("core:attachment_preview", args=[a.pk]) if a.previewable else None,
    }


@router.get("/attachments", response={200: AttachmentPage, **responses(*STD)})
def attachments_list(request, query: Query[ListQuery]):
    """The files of one record, newest first, a page at a time (`next_cursor`)."""
    _doc, record = sel.record_get(
        actor=request.user, document_type=query.document_type, object_id=query.object_id
    )
    qs = sel.attachment_list(actor=request.user, record=record)
    page = keyset_page(qs, ordering=["-uploaded_at", "-id"], cursor=query.cursor, limit=query.limit)
    return {
        "items": [attachment_json(a) for a in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/attachments", response={201: AttachmentOut, **responses(*STD, 413, 415)})
def attachments_create(
    request,
    query: Query[RecordQuery],
    file: File[UploadedFile],
    description: str = Form("", max_length=500, description="What the file is (optional)."),
):
    """Upload one file (multipart/form-data, field `file`) to a record. Refused: an empty file (422), one
    over the size limit (413), a type that is not accepted or whose name does not match its content
    (415). Accepted: PNG, JPEG, GIF, WebP, PDF, .docx, .xlsx, .pptx, text, CSV, ZIP."""
    _doc, record = sel.record_get(
        actor=request.user, document_type=query.document_type, object_id=query.object_id
    )
    try:
        attachment = svc.attachment_add(
            actor=request.user,
            record=record,
            file=file,
            name=file.name,
            size=file.size,
            description=description,
        )
    except UploadRefusedError as exc:
        return problem(exc.status, exc.title, errors=[{"field": "file", "message": str(exc.message)}])
    return Status(201, attachment_json(attachment))


@router.get("/attachments/{id}", response={200: AttachmentOut, **responses(*STD)})
def attachments_get(request, id: Id):
    attachment, _doc, _record = sel.attachment_get(actor=request.user, pk=id)
    return attachment_json(attachment)


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/attachments/{id}/download",
    response={**responses(*STD)},
    url_name="attachments_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment (Content-Disposition), with the type detected at upload.",
                "content": {t: _BINARY for t in sorted({k.content_type for k in KINDS})},
            }
        }
    },
)
def attachments_download(request, id: Id):
    attachment, _doc, _record = sel.attachment_get(actor=request.user, pk=id)
    return file_response(
        sel.attachment_open(attachment),
        name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        inline=False,
    )


@router.delete("/attachments/{id}", response={204: None, **responses(*STD)})
def attachments_delete(request, id: Id):
    attachment, _doc, record = sel.attachment_get(actor=request.user, pk=id)
    svc.attachment_delete(actor=request.user, attachment=attachment, record=record)
    return Status(204, None)

"""/api/v1/suppliers/{id}/documents: a supplier's qualification documents (资质文件) over the API, with the same
selector and service as its "Qualification documents" tab (guanxi.suppliers.selectors.documents,
guanxi.suppliers.services.documents). Read by whoever sees the supplier's lifecycle; entered (multipart, with
an optional file that becomes an attachment of the supplier) by users with supplier.documents who may change
the supplier. A document is never edited: a renewal is a new one that replaces the current one of its kind."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from guanxi.core.api.errors import STD, problem, responses
from guanxi.core.attachment_types import UploadRefusedError
from guanxi.suppliers.models.documents import DocumentKind, SupplierDocument
from guanxi.suppliers.selectors.documents import DocumentRow, documents_of
from guanxi.suppliers.selectors.suppliers import supplier_in_scope
from guanxi.suppliers.services.documents import document_add, may_enter_documents

router = Router(tags=["suppliers"])
Id = Annotated[int, Field(ge=1, le=2**53)]


class SupplierDocumentFile(Schema):
    id: int
    name: str = Field(
        description="The file's name as uploaded; download it through /api/v1/attachments/{id}/download."
    )


class SupplierDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str  # what an "other" certificate is
    number: str
    issued_on: date | None
    expires_on: date | None = Field(description="Empty: the document does not expire (长期).")
    attachment: SupplierDocumentFile | None
    created_by: str | None
    created_at: datetime


class SupplierDocumentCurrent(SupplierDocumentOut):
    state: Literal["valid", "expiring", "expired"] = Field(description="Expiring: within 30 days.")
    days_to_expiry: int | None = Field(
        description="Negative: days since it expired; empty: it does not expire."
    )


class SupplierDocumentReplaced(SupplierDocumentOut):
    replaced_at: datetime


class SupplierDocumentKind(Schema):
    kind: str
    label: str


class SupplierDocumentsOut(Schema):
    supplier: int
    may_add: bool  # whether the caller may enter documents of this supplier
    documents: list[SupplierDocumentCurrent]
    missing: list[SupplierDocumentKind]  # required kinds the supplier has no current document of
    replaced: list[SupplierDocumentReplaced]  # by kind, the latest expiry first; at most 50


def _document_json(doc: SupplierDocument) -> dict:
    file = doc.attachment
    return {
        "id": doc.pk,
        "kind": doc.kind,
        "kind_label": str(doc.get_kind_display()),
        "title": doc.title,
        "number": doc.number,
        "issued_on": doc.issued_on,
        "expires_on": doc.expires_on,
        "attachment": {"id": file.pk, "name": file.original_name} if file else None,
        "created_by": doc.created_by.username if doc.created_by else None,
        "created_at": doc.created_at,
        "replaced_at": doc.replaced_at,
    }


def _current_json(row: DocumentRow) -> dict:
    return {**_document_json(row.doc), "state": row.state, "days_to_expiry": row.days}


@router.get("/suppliers/{id}/documents", response={200: SupplierDocumentsOut, **responses(*STD)})
def supplier_documents_list(request, id: Id):
    """The supplier's current qualification documents (valid, expiring within 30 days, expired), the required
    kinds it has none of (business licence, tax registration, ISO 9001) and the ones replaced by a renewal."""
    party = supplier_in_scope(actor=request.user, pk=id)
    data = documents_of(party)
    return {
        "supplier": party.pk,
        "may_add": may_enter_documents(request.user, party),
        "documents": [_current_json(row) for row in data["documents"]],
        "missing": [{"kind": k.value, "label": str(k.label)} for k in data["documents_missing"]],
        "replaced": [_document_json(doc) for doc in data["documents_replaced"]],
    }


@router.post("/suppliers/{id}/documents", response={201: SupplierDocumentOut, **responses(*STD, 413, 415)})
def supplier_documents_create(
    request,
    id: Id,
    kind: Annotated[DocumentKind, Form(description="The kind of document.")],
    title: Annotated[str, Form(max_length=200, description='What it is (required for "other").')] = "",
    number: Annotated[str, Form(max_length=100, description="The certificate's number.")] = "",
    issued_on: Annotated[date | None, Form(description="YYYY-MM-DD, not in the future.")] = None,
    expires_on: Annotated[date | None, Form(description="YYYY-MM-DD; none: it does not expire.")] = None,
    file: Annotated[UploadedFile | None, File(description="The document's file (optional).")] = None,
):
    """Enter a document (multipart/form-data), optionally with its file (field `file`), which is attached to
    the supplier with the attachments' checks: refused with the message on `file` (422; 413 too large, 415 a
    type that is not accepted). The current document of the same kind (for "other", the same title) is
    marked replaced."""
    party = supplier_in_scope(actor=request.user, pk=id)
    data = {"kind": kind, "title": title, "number": number, "issued_on": issued_on, "expires_on": expires_on}
    try:
        doc = document_add(actor=request.user, party=party, data=data, file=file)
    except UploadRefusedError as exc:
        return problem(exc.status, exc.title, errors=[{"field": "file", "message": str(exc.message)}])
    return Status(201, _document_json(doc))

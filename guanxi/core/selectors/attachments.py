"""Reads of attachments. Core names no app: a record is found through its registered document type
(guanxi.core.registry), and the type's `may_view` decides who sees its files. Someone who may not see the
record gets NotFoundError (404) for it and for every one of its attachments, never a 403 that would tell
the record exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.exceptions import NotFoundError
from guanxi.core.models import Attachment
from guanxi.core.registry import DocumentType

FEATURE = "attachments"


def attachment_storage() -> Storage:
    """Where attachment files are kept: the "attachments" storage (settings.STORAGES; the data folder by
    default, outside the web root; any Django storage backend, e.g. S3-compatible, can take the alias)."""
    return storages["attachments"]


def max_upload_bytes() -> int:
    return int(settings.GUANXI_ATTACHMENT_MAX_BYTES)


def attachable_type(code: str) -> DocumentType:
    """The registered document type `code` if its records take attachments; ValidationError otherwise."""
    doc = registry.document_type(code or "")
    if doc is None or FEATURE not in doc.features:
        codes = ", ".join(sorted(d.code for d in registry.document_types(FEATURE)))
        raise ValidationError(
            {
                "document_type": _("Files cannot be attached to this kind of record. Use one of: %(codes)s.")
                % {"codes": codes}
            }
        )
    return doc


def attachable_type_of(record) -> DocumentType:
    return attachable_type(record._meta.label_lower)


def record_get(*, actor, document_type: str, object_id: Any) -> tuple[DocumentType, Any]:
    """The record `object_id` of `document_type`, if the actor may see it; NotFoundError otherwise (also for
    an id that cannot be one). ValidationError when the type does not take attachments."""
    doc = attachable_type(document_type)
    model = doc.model
    try:
        pk = model._meta.pk.to_python(object_id)
    except (ValidationError, TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if pk is None or (isinstance(pk, str) and ("\x00" in pk or len(pk) > 40)):
        raise NotFoundError()
    record = model._default_manager.filter(pk=pk).first()
    if record is None or not doc.may_view(actor, record):
        raise NotFoundError()
    return doc, record


def may_view(actor, record) -> bool:
    return bool(attachable_type_of(record).may_view(actor, record))


def may_change(actor, record) -> bool:
    doc = attachable_type_of(record)
    return bool(doc.may_view(actor, record) and doc.may_change(actor, record))


def attachments_of(record) -> QuerySet[Attachment]:
    """Every attachment of `record`, newest first, with who uploaded it (no check: the caller has made one)."""
    return Attachment.objects.filter(
        document_type=record._meta.label_lower, object_id=str(record.pk)
    ).select_related("uploaded_by")


def attachment_list(*, actor, record) -> QuerySet[Attachment]:
    """The attachments of a record the actor may see; NotFoundError when they may not see it."""
    if not may_view(actor, record):
        raise NotFoundError()
    return attachments_of(record)


def attachment_count(*, record) -> int:
    return attachments_of(record).count()


def attachment_get(*, actor, pk: Any) -> tuple[Attachment, DocumentType, Any]:
    """One attachment, its document type and record, if the actor may see the record; NotFoundError for
    anything else (no such attachment, a record they may not see, a type no longer registered)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < pk < 2**63:
        raise NotFoundError()
    attachment = Attachment.objects.select_related("uploaded_by").filter(pk=pk).first()
    if attachment is None:
        raise NotFoundError()
    try:
        doc, record = record_get(
            actor=actor, document_type=attachment.document_type, object_id=attachment.object_id
        )
    except ValidationError as exc:  # the app that registered the type is gone
        raise NotFoundError() from exc
    return attachment, doc, record


def attachment_open(attachment: Attachment) -> File:
    """The stored file, opened for reading; NotFoundError when the storage no longer has it."""
    try:
        return attachment_storage().open(attachment.stored_name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise NotFoundError() from exc

"""Attachments: files on any record whose registered document type has the "attachments" feature.

Adding needs `may_view` and `may_change` of the record's document type; a record the actor may not see is
a NotFoundError. The file is checked before anything is kept (not empty, at most
settings.GUANXI_ATTACHMENT_MAX_BYTES, an accepted type by its content, a name that agrees with the
content: guanxi.core.attachment_types). Then the file is written to the "attachments" storage, and the row
and its audit entry (on the record's history) in one transaction; if that fails the file is removed
again, so a refused or failed upload leaves nothing behind. Deleting writes its audit entry and removes
the row; the file goes from the storage once the transaction has committed.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta
from itertools import islice
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.attachment_types import check_upload
from guanxi.core.downloads import clean_file_name
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import Attachment
from guanxi.core.models.audit import AuditAction
from guanxi.core.selectors.attachments import (
    attachable_type_of,
    attachment_storage,
    attachments_of,
    max_upload_bytes,
    record_get,
)
from guanxi.core.services.audit import audit_record

log = logging.getLogger(__name__)
MAX_DESCRIPTION = 500
STRAY_AFTER = timedelta(hours=6)  # a stored file without its row this long is left over, not in flight


def _require_change(actor, record) -> None:
    doc = attachable_type_of(record)
    if not doc.may_view(actor, record):
        raise NotFoundError()
    if not doc.may_change(actor, record):
        raise PermissionDeniedError(
            _("You may see this record but not change it, so you cannot change its files.")
        )


def _clean_description(description: str) -> str:
    description = " ".join((description or "").split())
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            {"description": _("Use at most %(count)d characters.") % {"count": MAX_DESCRIPTION}}
        )
    return description


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(1024 * 1024):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _changes(attachment: Attachment, *, added: bool) -> dict:
    values = {
        "original_name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "sha256": attachment.sha256,
    }
    if attachment.description:
        values["description"] = attachment.description
    return {k: [None, v] if added else [v, None] for k, v in values.items()}


def attachment_add(
    *, actor, record, file: IO[bytes], name: str | None = None, size: int | None = None, description: str = ""
) -> Attachment:
    """Attach `file` (an uploaded file, or any binary file object) to `record`. `name` defaults to the
    file's own name; `size` to its length. Raises NotFoundError, PermissionDeniedError, ValidationError
    (a bad description) or an UploadRefusedError (guanxi.core.attachment_types) saying why the file cannot
    be attached."""
    _require_change(actor, record)
    description = _clean_description(description)
    original = clean_file_name(name if name is not None else getattr(file, "name", "") or "")
    if size is None:
        size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    kind = check_upload(file, name=original, size=size, max_bytes=max_upload_bytes())
    sha256 = _sha256(file)

    storage = attachment_storage()
    content = file if isinstance(file, File) else File(file)
    stored = storage.save(f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{kind.extensions[0]}", content)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                document_type=record._meta.label_lower,
                object_id=str(record.pk),
                stored_name=stored,
                original_name=original,
                size=size,
                content_type=kind.content_type,
                sha256=sha256,
                description=description,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                target=attachment,
                changes=_changes(attachment, added=True),
                subject=record,
            )
    except BaseException:
        _remove(stored)
        raise
    return attachment


def _remove(stored_name: str) -> None:
    try:
        attachment_storage().delete(stored_name)
    except Exception:  # the row is gone or was never kept; a file left over is only disk space
        log.exception("Could not remove the attachment file %r", stored_name)


def _delete(*, actor, attachment: Attachment, record) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        target=attachment,
        changes=_changes(attachment, added=False),
        subject=record,
    )
    stored = attachment.stored_name
    attachment.delete()
    transaction.on_commit(lambda: _remove(stored))


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment, record: Any = None) -> None:
    """Delete one attachment (audited on its record's history); its file goes once this commits."""
    if record is None:
        try:
            _doc, record = record_get(
                actor=actor, document_type=attachment.document_type, object_id=attachment.object_id
            )
        except ValidationError as exc:
            raise NotFoundError() from exc
    if attachment.document_type != record._meta.label_lower or attachment.object_id != str(record.pk):
        raise NotFoundError()
    _require_change(actor, record)
    _delete(actor=actor, attachment=attachment, record=record)


@transaction.atomic
def attachments_delete_for(*, actor, record) -> int:
    """Delete every attachment of a record that is being deleted itself (e.g. a draft document); call it
    in the same transaction as that deletion. Returns how many were deleted."""
    _require_change(actor, record)
    attachments = list(attachments_of(record).select_for_update(of=("self",)))
    for attachment in attachments:
        _delete(actor=actor, attachment=attachment, record=record)
    return len(attachments)


def attachment_strays_remove(*, older_than: timedelta = STRAY_AFTER, now=None) -> int:
    """Delete files in the attachments storage that no attachment points to and that are older than
    `older_than`: left by a process killed between writing the file and committing its row, or by a caller
    whose own transaction around `attachment_add` was rolled back. Returns how many were deleted. Run by
    `guanxi manage attachments_cleanup` (daily)."""
    storage = attachment_storage()
    cutoff = (now or timezone.now()) - older_than
    deleted = 0
    names = _stored_names(storage, "")
    while batch := list(islice(names, 500)):
        known = set(Attachment.objects.filter(stored_name__in=batch).values_list("stored_name", flat=True))
        for name in batch:
            if name in known:
                continue
            try:
                if storage.get_modified_time(name) > cutoff:
                    continue  # maybe an upload whose row is about to be committed
            except (NotImplementedError, OSError):
                continue
            _remove(name)
            deleted += 1
    return deleted


def _stored_names(storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)

"""The latest approval request of a document, for apps that show a status badge or link to the request: of
one document, or of a whole list of documents of one type in one query (no query per row)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from guanxi.core.models import ApprovalRequest


def approval_status_of(obj) -> ApprovalRequest | None:
    """The latest request of a document (None: never submitted), for apps that show a status badge."""
    return (
        ApprovalRequest.objects.filter(document_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-submitted_at", "-id")
        .first()
    )


def approval_statuses_of(objs: Iterable[models.Model]) -> dict[Any, ApprovalRequest]:
    """The latest request of each of these documents (all of one type), by the document's pk, read in one
    query; a document never submitted is not in the answer."""
    docs = list(objs)
    if not docs:
        return {}
    ids = {str(obj.pk): obj.pk for obj in docs}
    label = docs[0]._meta.label_lower
    requests = ApprovalRequest.objects.filter(document_type=label, object_id__in=list(ids)).order_by(
        "submitted_at", "id"
    )
    return {ids[r.object_id]: r for r in requests}  # in time order: each document's latest comes last

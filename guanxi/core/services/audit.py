"""Audit trail: every change to business data writes one append-only AuditEntry."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import models

from guanxi.core.models import AuditEntry, AuditLink
from guanxi.core.models.audit import AuditAction

M = TypeVar("M", bound=models.Model)


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The values of the given fields, as plain JSON values (FKs as their display text)."""
    data = {}
    for name in fields:
        f = instance._meta.get_field(name)
        if isinstance(f, models.Field) and f.is_relation and f.many_to_one:  # a foreign key
            data[name] = _plain(getattr(instance, name)) if getattr(instance, f.attname) else None
        else:
            data[name] = _plain(getattr(instance, name))
    return data


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _entry(
    actor, action: str, target: models.Model, changes: dict, subject: models.Model | None
) -> AuditEntry:
    subject = subject or target
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=_label(target),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        subject_type=_label(subject),
        subject_id=str(subject.pk),
        changes=changes,
    )


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict,
    subject: models.Model | None = None,
    also: Iterable[models.Model] = (),
):
    """Write one audit entry (call inside the service's transaction).

    `subject` is the record whose history shows the entry (default: the target); `also` names further
    records whose history and timeline show it too (a quote's change on its customer's timeline)."""
    entry = _entry(actor, action, target, changes, subject)
    entry.save()
    links = {(_label(o), str(o.pk)) for o in also if o is not None} - {(entry.subject_type, entry.subject_id)}
    if links:
        AuditLink.objects.bulk_create(AuditLink(entry=entry, subject_type=t, subject_id=i) for t, i in links)
    return entry


def audit_records_bulk(
    *, actor, action: str, targets: Iterable[M], changes: dict | Callable[[M], dict]
) -> None:
    """A change on many records (bulk actions): one entry each, one INSERT. `changes` is the same for every
    record, or a function giving each record's own (e.g. its previous owner)."""
    AuditEntry.objects.bulk_create(
        _entry(actor, action, t, changes(t) if callable(changes) else changes, None) for t in targets
    )


__all__ = ["AuditAction", "audit_record", "audit_records_bulk", "diff", "snapshot"]

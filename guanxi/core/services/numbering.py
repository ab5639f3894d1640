"""Taking document numbers, and administrators changing how a company numbers a document type.

``number_next(doc_type=..., company=..., on=...)`` is called by a later app's service inside the
transaction that creates the document. It is gap-free and never issues a number twice, on PostgreSQL and
SQLite alike:

* the counter row is incremented by one ``UPDATE … SET value = value + 1 … RETURNING value``, the first
  statement of the call: on PostgreSQL it locks the row until the caller's transaction ends (a concurrent
  caller waits, then increments the committed value); on SQLite the transaction holds the database's write
  lock (Guanxi opens SQLite transactions IMMEDIATE, and the UPDATE takes the lock at the latest);
* the number belongs to the caller's transaction: if the document is rolled back, so is the counter, and
  the next document gets the same number (no hole);
* a missing sequence or counter row is made with INSERT … ON CONFLICT DO NOTHING (two first callers cannot
  both make it), then the UPDATE runs again.

See docs/subsystems/numbering.md.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import Company, NumberCounter, NumberSequence
from guanxi.core.models.audit import AuditAction
from guanxi.core.numbering import (
    Reset,
    numbered_document_type,
    pattern_check,
    pattern_compile,
    period_keys,
    period_of,
)
from guanxi.core.roles import Action, grants_for
from guanxi.core.selectors.numbering import date_of, floor_of, reset_of
from guanxi.core.services.audit import audit_record


class NumberingError(RuntimeError):
    """A programming error in the caller: no transaction around the call, an unregistered document type."""


def number_next(*, doc_type: str, company: Company | int, on: dt.date | None = None) -> str:
    """The next number of `doc_type` issued by `company`, for a document dated `on` (default: today).

    Call it inside the ``transaction.atomic()`` block that creates the document, and store the number on
    the document in that same transaction.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise NumberingError(
            "number_next() must be called inside the transaction.atomic() block that creates the document: "
            "outside it the number would be committed on its own and a failed document would leave a gap."
        )
    if numbered_document_type(doc_type) is None:
        raise NumberingError(f"{doc_type!r} is not a registered numbered document type.")
    if isinstance(company, Company):
        if not company.is_active:
            raise ValidationError({"company": _("This company is archived: it issues no more documents.")})
        company_id = company.pk
    else:
        company_id = int(company)
    on = on or timezone.localdate()
    row = _take(connection, doc_type, company_id, on)
    if row is None:
        _make_counter(doc_type, company_id, on)
        row = _take(connection, doc_type, company_id, on)
        if row is None:  # the rows were made above in this transaction: cannot happen
            raise NumberingError(f"No counter for {doc_type!r} of company {company_id}.")
    value, pattern = row
    return pattern_compile(pattern).format(on, value)


def _take_sql(connection, returning: bool) -> str:
    q = connection.ops.quote_name
    c, s = q(NumberCounter._meta.db_table), q(NumberSequence._meta.db_table)
    sql = (
        f"UPDATE {c} SET value = value + 1, last_on = %s, last_issued_at = %s, "  # noqa: S608 (model tables)
        f"min_on = CASE WHEN min_on IS NULL OR min_on > %s THEN %s ELSE min_on END, "
        f"max_on = CASE WHEN max_on IS NULL OR max_on < %s THEN %s ELSE max_on END, "
        f"last_pattern = (SELECT sq.pattern FROM {s} sq WHERE sq.id = {c}.sequence_id) "
        f"WHERE (sequence_id, period) IN ("
        f"SELECT s.id, CASE s.reset WHEN 'yearly' THEN %s WHEN 'monthly' THEN %s WHEN 'daily' THEN %s "
        f"ELSE '' END FROM {s} s WHERE s.doc_type = %s AND s.company_id = %s)"
    )
    return sql + " RETURNING value, last_pattern" if returning else sql


def _take(connection, doc_type: str, company_id: int, on: dt.date) -> tuple[int, str] | None:
    """Increment the counter in force for `on` and return (its new value, the pattern); None when the
    sequence or the counter does not exist yet."""
    day = connection.ops.adapt_datefield_value(on)
    keys = period_keys(on)
    params = [
        day,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        *(day, day, day, day),
        keys[Reset.YEARLY],
        keys[Reset.MONTHLY],
        keys[Reset.DAILY],
        doc_type,
        company_id,
    ]
    returning = connection.features.can_return_columns_from_insert  # SQLite >= 3.35 and PostgreSQL
    with connection.cursor() as cursor:
        cursor.execute(_take_sql(connection, returning), params)
        if returning:
            row = cursor.fetchone()
            return (int(row[0]), row[1]) if row else None
        if cursor.rowcount == 0:
            return None
    # Old SQLite: the UPDATE holds the write lock, so reading the row back is safe.
    sequence = NumberSequence.objects.get(doc_type=doc_type, company_id=company_id)
    counter = NumberCounter.objects.get(sequence=sequence, period=period_of(sequence.reset, on).key)
    return counter.value, counter.last_pattern


def _make_counter(doc_type: str, company_id: int, on: dt.date) -> None:
    """Make the sequence (from the registered defaults) and the counter of `on`'s period, if missing."""
    sequence = NumberSequence.objects.filter(doc_type=doc_type, company_id=company_id).first()
    if sequence is None:
        if not Company.objects.filter(pk=company_id, is_active=True).exists():
            raise ValidationError({"company": _("Choose an active company.")})
        registered = numbered_document_type(doc_type)
        assert registered is not None  # checked by the caller
        NumberSequence.objects.bulk_create(
            [
                NumberSequence(
                    doc_type=doc_type,
                    company_id=company_id,
                    pattern=registered.default_pattern,
                    reset=registered.default_reset,
                )
            ],
            ignore_conflicts=True,
        )
        sequence = NumberSequence.objects.get(doc_type=doc_type, company_id=company_id)
    period = period_of(sequence.reset, on)
    NumberCounter.objects.bulk_create(
        [NumberCounter(sequence=sequence, period=period.key, value=floor_of(sequence, period))],
        ignore_conflicts=True,
    )


@transaction.atomic
def sequence_update(
    *, actor, doc_type: str, company: Company, pattern: str, reset: str, version: int | None
) -> NumberSequence:
    """Change how `company` numbers `doc_type` (administrators). `version` is the one the user saw (0 for
    the registered defaults, never saved); a stale one is a ConflictError. Numbers already issued keep
    theirs; the counter goes on, so the next number follows the last whatever the pattern."""
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()
    registered = numbered_document_type(doc_type)
    if registered is None:
        raise ValidationError({"doc_type": _("Unknown document type.")})
    if version is None:
        raise ValidationError({"version": _("Reload the page and try again: the version is missing.")})
    pattern = (pattern or "").strip()
    pattern_check(pattern, reset)
    NumberSequence.objects.bulk_create(
        [
            NumberSequence(
                doc_type=doc_type,
                company=company,
                pattern=registered.default_pattern,
                reset=registered.default_reset,
            )
        ],
        ignore_conflicts=True,
    )
    sequence = NumberSequence.objects.select_for_update().get(doc_type=doc_type, company=company)
    if sequence.version != int(version):
        raise ConflictError()
    changes = {}
    if sequence.pattern != pattern:
        changes["pattern"] = [sequence.pattern, pattern]
    if sequence.reset != reset:
        changes["reset"] = [sequence.reset, reset]
        _raise_counters(sequence, reset)
    if not changes:
        return sequence
    sequence.pattern, sequence.reset = pattern, reset
    sequence.version += 1
    sequence.save(update_fields=["pattern", "reset", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=sequence, changes=changes, subject=company)
    return sequence


def _raise_counters(sequence: NumberSequence, reset: str) -> None:
    """Counters of the new reset that exist from an earlier time with it start above what was issued
    meanwhile for their dates. Every counter of the sequence is locked: numbers being taken finish first."""
    counters = list(NumberCounter.objects.select_for_update().filter(sequence=sequence).order_by("id"))
    for counter in counters:
        if reset_of(counter.period) != reset:
            continue
        floor = floor_of(sequence, period_of(reset, date_of(counter.period)))
        if floor > counter.value:
            NumberCounter.objects.filter(pk=counter.pk).update(value=floor)


def number_placeholder() -> str:
    """A unique stand-in for a document's number until `number_assign` gives the real one, so that a service
    takes the number — and with it the counter's row lock, held until the commit — as its last write: busy
    documents (receipts, invoices) then wait for each other only for the commit, not for their whole work."""
    import uuid

    return f"~{uuid.uuid4().hex}"


def number_assign(obj, *, doc_type: str, company, on: dt.date | None = None) -> str:
    """The real number for a document saved with `number_placeholder()` (call it last in the transaction)."""
    obj.number = number_next(doc_type=doc_type, company=company, on=on)
    type(obj)._default_manager.filter(pk=obj.pk).update(number=obj.number)
    return obj.number

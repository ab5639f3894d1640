"""Reading document numbering: each registered type's pattern per company, the next and the last number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import Company, NumberCounter, NumberSequence
from guanxi.core.numbering import (
    NumberedDocumentType,
    Period,
    Reset,
    numbered_document_type,
    numbered_document_types,
    pattern_check,
    pattern_compile,
    period_of,
)
from guanxi.core.roles import Action, grants_for


def _require_admin(actor) -> None:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def date_of(key: str) -> dt.date:
    """A date inside the period of a counter key ("", "2026", "2026-11", "2026-11-03")."""
    if not key:
        return dt.date(2000, 1, 1)  # any date: the period of "never" is all of time
    parts = [int(p) for p in key.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def reset_of(key: str) -> str:
    """The reset a counter key was made under."""
    return {0: Reset.NEVER, 4: Reset.YEARLY, 7: Reset.MONTHLY}.get(len(key), Reset.DAILY)


def _overlaps(counter: NumberCounter, period: Period) -> bool:
    return (
        counter.period != period.key
        and counter.min_on is not None
        and counter.max_on is not None
        and counter.min_on < period.ends_on
        and counter.max_on >= period.starts_on
    )


def floor_of(sequence: NumberSequence, period: Period) -> int:
    """The highest number already issued, by another counter of the sequence (an earlier reset), for a
    date inside `period`: that period's counter starts above it, so numbers continue instead of repeating."""
    found = (
        NumberCounter.objects.filter(
            sequence=sequence, min_on__lt=period.ends_on, max_on__gte=period.starts_on
        )
        .exclude(period=period.key)
        .aggregate(m=Max("value"))["m"]
    )
    return found or 0


def _next_value(period: Period, counters: Iterable[NumberCounter]) -> int:
    counters = list(counters)
    for c in counters:
        if c.period == period.key:
            return c.value + 1
    return max((c.value for c in counters if _overlaps(c, period)), default=0) + 1


@dataclass
class SequenceRow:
    """One document type as one company numbers it (stored, or the registered defaults)."""

    doc_type: NumberedDocumentType
    company: Company
    pattern: str
    reset: str
    version: int  # 0: the registered defaults, never edited
    next_number: str
    last_number: str = ""
    last_issued_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_type.code, self.company.pk)

    @property
    def reset_label(self) -> str:
        return str(Reset(self.reset).label)


def _last(field: str):
    latest = NumberCounter.objects.filter(sequence=OuterRef("pk"), last_issued_at__isnull=False)
    return Subquery(latest.order_by("-last_issued_at", "-id").values(field)[:1])


def sequence_rows(
    *,
    actor,
    doc_type: str | None = None,
    company_id: int | None = None,
    on: dt.date | None = None,
) -> list[SequenceRow]:
    """Every registered type × every active company (administrators), ordered by type then company.
    A fixed number of queries whatever the count: companies, sequences, counters."""
    _require_admin(actor)
    on = on or timezone.localdate()
    types = [t for t in numbered_document_types() if doc_type is None or t.code == doc_type]
    companies = Company.objects.filter(is_active=True).order_by("-is_default", "id")
    if company_id is not None:
        companies = companies.filter(pk=company_id)
    companies_list = list(companies)
    if not types or not companies_list:
        return []
    stored = {
        (s.doc_type, s.company_id): s
        for s in NumberSequence.objects.filter(
            doc_type__in=[t.code for t in types], company__in=companies_list
        ).annotate(
            last_value=_last("value"),
            last_on_=_last("last_on"),
            last_pattern_=_last("last_pattern"),
            last_issued_at_=_last("last_issued_at"),
        )
    }
    periods = {k: period_of(s.reset, on) for k, s in stored.items()}
    by_sequence: dict[int, list[NumberCounter]] = {}
    if stored:
        earliest = min(p.starts_on for p in periods.values())
        in_force = Q()
        for k, s in stored.items():
            in_force |= Q(sequence_id=s.pk, period=periods[k].key)
        for c in NumberCounter.objects.filter(sequence__in=list(stored.values())).filter(
            in_force | Q(max_on__gte=earliest)
        ):
            by_sequence.setdefault(c.sequence_id, []).append(c)
    rows = []
    for t in types:
        for company in companies_list:
            if (t.code, company.pk) not in stored:
                nxt = pattern_compile(t.default_pattern).format(on, 1)
                rows.append(SequenceRow(t, company, t.default_pattern, t.default_reset, 0, nxt))
                continue
            s = stored[(t.code, company.pk)]
            value = _next_value(periods[(t.code, company.pk)], by_sequence.get(s.pk, []))
            row = SequenceRow(
                t,
                company,
                s.pattern,
                s.reset,
                s.version,
                _format(s.pattern, on, value),
                updated_at=s.updated_at,
            )
            if s.last_value:
                row.last_number = _format(s.last_pattern_ or s.pattern, s.last_on_ or on, s.last_value)
                row.last_issued_at = s.last_issued_at_
            rows.append(row)
    return rows


def _format(pattern: str, on: dt.date, value: int) -> str:
    try:
        return pattern_compile(pattern).format(on, value)
    except ValidationError:  # a pattern stored before a rule was tightened: show it as it is
        return f"{pattern} #{value}"


def sequence_get(*, actor, doc_type: str, company_id: int, on: dt.date | None = None) -> SequenceRow:
    if numbered_document_type(doc_type) is None:
        raise NotFoundError()
    rows = sequence_rows(actor=actor, doc_type=doc_type, company_id=company_id, on=on)
    if not rows:
        raise NotFoundError()
    return rows[0]


def number_preview(
    *, actor, doc_type: str, company: Company, pattern: str, reset: str, on: dt.date | None = None
) -> str:
    """The number the next document would get with this pattern and reset (nothing is saved); a
    ValidationError names the field when the pattern is not valid."""
    _require_admin(actor)
    compiled = pattern_check((pattern or "").strip(), reset)
    on = on or timezone.localdate()
    period = period_of(reset, on)
    sequence = NumberSequence.objects.filter(doc_type=doc_type, company=company).first()
    counters = []
    if sequence is not None:
        counters = list(
            NumberCounter.objects.filter(sequence=sequence).filter(
                Q(period=period.key) | Q(min_on__lt=period.ends_on, max_on__gte=period.starts_on)
            )
        )
    return compiled.format(on, _next_value(period, counters))

"""Keyset (cursor) pagination: constant cost at any depth, stable under inserts."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass
class Page:
    items: list
    next_cursor: str | None
    prev_cursor: str | None


def _encode(values: list, direction: str) -> str:
    raw = json.dumps({"v": values, "d": direction}, default=str, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _value(model, field: str, raw):
    """One cursor value as the database will compare it; ValueError/OverflowError if it cannot be.
    An ordering on an annotation (e.g. a search's `rank`) takes whole numbers."""
    try:
        value = model._meta.get_field(field.lstrip("-")).to_python(raw)
    except FieldDoesNotExist:
        if isinstance(raw, bool) or not isinstance(raw, int) or not -(2**31) < raw < 2**31:
            raise ValueError("not a whole number") from None
        value = raw
    if value is None:
        raise ValueError("null")  # orderings are over non-null columns; a filter on None cannot be built
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL")  # PostgreSQL text cannot hold it
    if isinstance(value, datetime):
        value = (value if timezone.is_aware(value) else timezone.make_aware(value, UTC)).astimezone(UTC)
    return value


def _decode(cursor: str, model, fields: list[str]) -> tuple[list, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values, direction = data["v"], data["d"]
        if direction not in ("n", "p") or not isinstance(values, list) or len(values) != len(fields):
            raise ValueError
        parsed = [_value(model, f, v) for f, v in zip(fields, values, strict=True)]
    except (
        ValueError,
        KeyError,
        TypeError,
        OverflowError,
        binascii.Error,
        UnicodeDecodeError,
        ValidationError,
    ) as exc:
        raise ValidationError(
            {"cursor": _("This page link is not valid any more. Start from the first page.")}
        ) from exc
    return parsed, direction


def _after(fields: list[str], values: list[Any]) -> Q:
    """Rows strictly after `values` in the ordering `fields` (each 'name' or '-name')."""
    q = Q()
    for i in range(len(fields) - 1, -1, -1):
        name = fields[i].lstrip("-")
        op = "lt" if fields[i].startswith("-") else "gt"
        step = Q(**{f"{name}__{op}": values[i]})
        q = step if i == len(fields) - 1 else step | (Q(**{name: values[i]}) & q)
    first = fields[0].lstrip("-")
    bound = Q(**{f"{first}__{'lte' if fields[0].startswith('-') else 'gte'}": values[0]})
    return bound & q


def _flip(fields: list[str]) -> list[str]:
    return [f[1:] if f.startswith("-") else f"-{f}" for f in fields]


def _window(qs: QuerySet, ordering: list[str], cursor: str | None) -> tuple[QuerySet, list[str], str]:
    """`qs` after the cursor, in the order to read it; that order and the direction ("n" or "p")."""
    if not cursor:
        return qs.order_by(*ordering), ordering, "n"
    values, direction = _decode(cursor, qs.model, ordering)
    order = ordering if direction == "n" else _flip(ordering)
    return qs.filter(_after(order, values)).order_by(*order), order, direction


def _page(rows: list, ordering: list[str], cursor: str | None, direction: str, limit: int) -> Page:
    has_more = len(rows) > limit
    rows = rows[:limit]
    if direction == "p":
        rows.reverse()

    def key(obj) -> list:
        return [getattr(obj, f.lstrip("-")) for f in ordering]

    next_cursor = prev_cursor = None
    if rows:
        if direction == "n":
            next_cursor = _encode(key(rows[-1]), "n") if has_more else None
            prev_cursor = _encode(key(rows[0]), "p") if cursor else None
        else:
            prev_cursor = _encode(key(rows[0]), "p") if has_more else None
            next_cursor = _encode(key(rows[-1]), "n")
    return Page(rows, next_cursor, prev_cursor)


def keyset_page(qs: QuerySet, *, ordering: list[str], cursor: str | None, limit: int) -> Page:
    """One page of `qs` in `ordering` (must end with a unique field, e.g. 'id')."""
    qs, _order, direction = _window(qs, ordering, cursor)
    return _page(list(qs[: limit + 1]), ordering, cursor, direction, limit)


def keyset_page_merged(
    querysets: list[QuerySet], *, ordering: list[str], cursor: str | None, limit: int
) -> Page:
    """One page of the rows of several querysets of one model (disjoint, e.g. one per approver), each read in
    `ordering` from its own index: at most a page is taken from each and the pages are merged (UNION ALL).
    A single `field IN (a, b)` query cannot use such an index for the order, and reads and sorts every row
    of all of them. Where the database cannot order the parts of a UNION (SQLite), the querysets are
    OR-ed into one query instead."""
    from django.db import connections

    qs0 = querysets[0]
    if len(querysets) == 1 or not connections[qs0.db].features.supports_slicing_ordering_in_compound:
        combined = qs0
        for qs in querysets[1:]:
            combined = combined | qs
        return keyset_page(combined, ordering=ordering, cursor=cursor, limit=limit)
    parts = [_window(qs, ordering, cursor) for qs in querysets]
    order, direction = parts[0][1], parts[0][2]
    first, *rest = (part[: limit + 1] for part, _order, _direction in parts)
    rows = list(first.union(*rest, all=True).order_by(*order)[: limit + 1])
    return _page(rows, ordering, cursor, direction, limit)


def capped_count(qs: QuerySet, cap: int = 10000) -> tuple[int, bool]:
    """Count matches up to `cap` (cheap on large tables); returns (count, more_than_cap)."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap

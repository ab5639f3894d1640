"""The table writer: rows as plain tuples in each table's column order, inserted in one transaction per
batch (COPY on PostgreSQL, executemany elsewhere), with party ids reserved up front."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.db import connection, transaction
from django.utils import timezone

from guanxi.parties.models import Party


@dataclass
class Counts:
    organizations: int = 0
    people: int = 0


def _plain(v):
    return v.value if isinstance(v, enum.Enum) else v


class Table:
    """Column order and defaults of one model's table, so rows can be built as plain tuples."""

    def __init__(self, model, *, with_id: bool = False):
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = {f.attname: None if f.primary_key else _plain(f.get_default()) for f in fields}
        self.timestamps = [
            f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]

    def row(self, values: dict, now) -> tuple:
        d = dict(self.defaults)
        for name in self.timestamps:
            d[name] = now
        d.update(values)
        return tuple(d[a] for a in self.attnames)


def reserve_ids(cursor, n: int) -> list[int]:
    """n fresh primary keys for parties (inside the caller's transaction)."""
    table = Party._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608 (model table name)
            [n],
        )
        return [r[0] for r in cursor.fetchall()]
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (write lock held: IMMEDIATE)
    start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


class RowSource(Protocol):
    """What builds the rows (guanxi.parties.generate.rows.Generator)."""

    def batch(self, n: int, reserve_ids: Callable[[int], list[int]], now) -> dict[str, list[tuple]]: ...

    def columns(self) -> dict[str, list[str]]: ...


def write_batch(gen: RowSource, n: int) -> Counts:
    """Build and insert n organizations in one transaction: COPY on PostgreSQL, executemany elsewhere."""
    pg = connection.vendor == "postgresql"
    now = timezone.now()
    columns = gen.columns()
    with transaction.atomic(), connection.cursor() as cursor:
        db_now = now if pg else connection.ops.adapt_datetimefield_value(now)
        rows = gen.batch(n, lambda k: reserve_ids(cursor, k), db_now)
        for table, data in rows.items():
            if not data:
                continue
            cols = columns[table]
            if pg:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, data)
    people = len(rows[Party._meta.db_table]) - n
    return Counts(n, people)

"""Fast inserts of many rows for imports: COPY on PostgreSQL, one `executemany` elsewhere.

`bulk_create` builds a model instance per row and, on SQLite, splits the rows into statements
of at most 999 parameters (some 30 rows of a contact); at a million rows that costs more than
the database itself. Here the rows are tuples of field values in `columns` order; values are
adapted once per field kind and sent in one statement (SQLite) or one COPY (PostgreSQL). Run it
inside the caller's transaction: a unique violation raises `django.db.IntegrityError` and the
whole import rolls back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from django.db import connection, models

Adapter = Callable[[Any], Any]
ANALYZE_FROM: Final = 5000
"""PostgreSQL: after a COPY of this many rows the table is analysed at once. Autovacuum would
do it later; until then the planner takes the table for small and the repeat-contact probe of
the KPI queries scans it per row (minutes instead of seconds on 100 000 calls)."""


def _sqlite_datetime(value: dt.datetime) -> str:
    """Django's SQLite form of an aware datetime (naive UTC text), without its checks."""
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _adapter(field: models.Field[Any, Any]) -> Adapter | None:
    """How a value of the field is sent by executemany (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if connection.vendor == "sqlite" else ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def rows_insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert `rows` (tuples of the values of `columns`, field names) into the model's table."""
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(getattr(f, "column", f.name))) for f in fields)
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":
        with (  # COPY bypasses Django's cursor wrapper: map driver errors (IntegrityError)
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            written = 0
            for row in rows:
                copy.write_row(row)
                written += 1
        if written >= ANALYZE_FROM:  # fresh statistics, or the planner misjudges the next reads
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
        return
    adapters = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f)) is not None]  # type: ignore[arg-type]

    def adapted(row: Sequence[Any]) -> Sequence[Any]:
        if not adapters:
            return row
        values = list(row)
        for i, adapt in adapters:
            if values[i] is not None:
                values[i] = adapt(values[i])
        return values

    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [adapted(row) for row in rows])

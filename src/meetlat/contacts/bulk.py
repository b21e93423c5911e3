"""Fast inserts of many rows for imports: COPY on PostgreSQL, one `executemany` elsewhere.

`bulk_create` builds a model instance per row and, on SQLite, splits the rows into statements
of at most 999 parameters (some 30 rows of a contact); at a million rows that costs more than
the database itself. Here the rows are tuples of field values in `columns` order, streamed to
the database: on SQLite one `executemany` of one INSERT, on PostgreSQL one COPY into a
temporary staging table and one set-based INSERT … SELECT. Either may leave out rows whose key
is stored already (`ON CONFLICT … DO NOTHING`) and counts what it inserted. Run it inside the
caller's transaction: any other violation raises `django.db.IntegrityError` and the whole
import rolls back.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final, TypeVar

from django.db import connection, models

T = TypeVar("T")
SQLITE_CACHE_KIB: Final = 256 * 1024
"""SQLite: the page cache of an insert, in KiB (the default is 2 MiB)."""
DEFER_INDEXES_FROM: Final = 50_000
"""SQLite: from this many rows an insert into a table of at most as many builds its plain
indexes afterwards (`_sqlite_indexes_deferred`)."""
ANALYZE_FROM: Final = 5000
"""PostgreSQL: after a COPY of this many rows the table is analysed at once. Autovacuum would
do it later; until then the planner takes the table for small and the repeat-contact probe of
the KPI queries scans it per row (minutes instead of seconds on 100 000 calls)."""


def _sqlite_datetime(value: dt.datetime) -> str:
    """Django's SQLite form of an aware datetime (naive UTC text), without its checks."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return str(value.replace(tzinfo=None))


def _as_is(value: T) -> T:
    return value


def datetime_adapter() -> Callable[[dt.datetime], Any]:
    """How an aware datetime goes into a row of `rows_insert`: as it is on PostgreSQL, as
    Django's naive UTC text on SQLite (whose driver would keep the offset)."""
    return _as_is if connection.vendor == "postgresql" else _sqlite_datetime


def date_adapter() -> Callable[[dt.date], Any]:
    """How a date goes into a row of `rows_insert` (SQLite: as text, which the caller may
    keep per date instead of having the driver convert every row's)."""
    return _as_is if connection.vendor == "postgresql" else dt.date.isoformat


def rows_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    unique: Sequence[str] = (),
    count: int = 0,
) -> int:
    """Insert `rows` (tuples of the values of `columns`, field names) into the model's table.

    Datetimes and dates in the rows are already adapted with `datetime_adapter()` and
    `date_adapter()`; other values go as they are.

    With `unique` (the fields of a unique constraint) a row whose key is stored already is
    left out (`ON CONFLICT … DO NOTHING`); without, it raises IntegrityError. `count` is the
    number of rows when known (SQLite: a large insert builds the indexes afterwards). Returns
    the number of rows inserted.
    """
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(meta, name)) for name in columns)
    table = quote(meta.db_table)
    on_conflict = ""
    if unique:
        keys = ", ".join(quote(_column(meta, name)) for name in unique)
        on_conflict = f" ON CONFLICT ({keys}) DO NOTHING"
    if connection.vendor == "postgresql":
        return _copy_insert(meta.db_table, names, on_conflict, rows)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders}){on_conflict}"  # noqa: S608
    with (
        connection.cursor() as cursor,
        _sqlite_cache(cursor),
        _sqlite_indexes_deferred(cursor, meta.db_table, count),
    ):
        # Django's SQLite cursor takes any iterable (it peeks with itertools.tee): streamed
        cursor.executemany(sql, rows)  # type: ignore[arg-type]
        inserted = max(int(cursor.rowcount), 0)
    return inserted


def _column(meta: Any, name: str) -> str:
    return str(meta.get_field(name).column)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while an import builds and sends a million rows.

    The rows are tuples without cycles, but the collector, triggered by every few hundred new
    objects, traverses all of them again and again: a quarter of the parse time. Anything
    cyclic made meanwhile is collected when the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def without_jit(cursor: Any) -> Iterator[None]:
    """PostgreSQL: no JIT compilation for the statements inside (elsewhere nothing happens).

    A statement over many rows is estimated costly enough to compile, and the compilation of
    the wide aggregates and conditions of an import and its rollups takes longer than running
    them (600 ms of a 650 ms rollup of 100 000 calls)."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('jit')")
    before = str(cursor.fetchone()[0])
    cursor.execute("SELECT set_config('jit', 'off', true)")
    yield  # after an error the transaction is rolled back, and the setting with it
    cursor.execute("SELECT set_config('jit', %s, true)", [before])


@contextmanager
def _sqlite_indexes_deferred(cursor: Any, db_table: str, count: int) -> Iterator[None]:
    """SQLite: a large insert into a table not larger than it drops the table's plain indexes
    first and builds each again afterwards, in one sort, instead of updating it row by row
    (the unique indexes stay: the insert checks them). All in the caller's transaction: on an
    error the indexes are back after the rollback."""
    if count < DEFER_INDEXES_FROM:
        yield
        return
    quote = connection.ops.quote_name
    cursor.execute(f"SELECT count(*) FROM {quote(db_table)}")  # noqa: S608
    if int(cursor.fetchone()[0]) > count:
        yield
        return
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql LIKE 'CREATE INDEX %%' ORDER BY name",
        [db_table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    for _, create in indexes:
        cursor.execute(create)


@contextmanager
def _sqlite_cache(cursor: Any) -> Iterator[None]:
    """A larger page cache while the rows go in: every insert also updates the table's indexes,
    whose pages the default 2 MiB cache keeps evicting and reading again; a deferred index is
    sorted in it too."""
    cursor.execute("PRAGMA cache_size")
    before = int(cursor.fetchone()[0])
    cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {before}")


def _copy_insert(db_table: str, names: str, on_conflict: str, rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: COPY the rows into a temporary staging table, then one set-based
    INSERT … SELECT into the table (leaving out stored keys); the staging table is dropped."""
    quote = connection.ops.quote_name
    table, staging = quote(db_table), quote(f"staging_{db_table}")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{staging}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608
        )
        with (  # COPY bypasses Django's cursor wrapper: map driver errors (IntegrityError)
            connection.wrap_database_errors,
            cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        with without_jit(cursor):
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging}{on_conflict}"  # noqa: S608
            )
            inserted = max(int(cursor.rowcount), 0)
        cursor.execute(f"DROP TABLE pg_temp.{staging}")
        if inserted >= ANALYZE_FROM:  # fresh statistics, or the planner misjudges the next reads
            cursor.execute(f"ANALYZE {table}")
    return inserted

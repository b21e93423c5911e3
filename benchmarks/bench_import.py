"""Benchmark (a): importing canonical phone rows (default 1 000 000) with `contacts_import`.

Measures rows per second of the whole import (parse, pseudonymise, insert, daily rollups) and
its parts (the parser and the rollup rebuild timed again on their own; the rest is `insert_s`),
and the ratio to a floor measured in the same run on the same data: on SQLite `csv.reader` plus one
`executemany` into a table with the same columns (no indexes, one transaction); on PostgreSQL
one plain `COPY` of the CSV into such a table. Target: at most 2 × the floor. For context, on
SQLite also the same floor into a table with the contact table's indexes (which the import
must maintain: unique key, three composites, four foreign keys); the target stays the plain
floor.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import drop_contacts, organisation, setup_django, timed  # noqa: E402
from gen_contacts import csv_bytes  # noqa: E402

ROWS: Final = 1_000_000
TARGET_RATIO: Final = 2.0
FLOOR_COLUMNS: Final = ("contact_id", "started_at", "contact_point_name", "outcome", "wait_s",
                        "handle_s", "employee_id", "transfers", "topic", "customer_hash",
                        "resolved_first_contact")  # fmt: skip
"""The floor table's columns that take the CSV's eleven values, in the file's order."""


def _floor_table(cursor: Any) -> None:
    cursor.execute("DROP TABLE IF EXISTS bench_floor")
    cursor.execute("CREATE TABLE bench_floor AS SELECT * FROM contacts_contact WHERE 1 = 0")


def _same_indexes_sqlite(cursor: Any) -> None:
    """The contact table's indexes (unique key, composites, foreign keys) on the floor table."""
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'contacts_contact' AND sql IS NOT NULL"
    )
    for name, sql in cursor.fetchall():
        cursor.execute(
            sql.replace(f'"{name}"', f'"floor_{name}"').replace(
                '"contacts_contact"', '"bench_floor"'
            )
        )


def floor_sqlite(data: bytes, *, indexed: bool = False) -> float:
    """csv.reader + executemany of the same rows into a same-column table (one transaction);
    ``indexed``: with the contact table's indexes, for context (the target is the plain one)."""
    import csv
    import io

    from django.db import connection, transaction

    names, marks = ", ".join(FLOOR_COLUMNS), ", ".join(["%s"] * len(FLOOR_COLUMNS))
    sql = (
        "INSERT INTO bench_floor (id, organisation_id, source, channel, local_date, local_hour,"
        f" import_batch_id, {names}) VALUES (NULL, 0, 'floor', 'phone', '', 0, 0, {marks})"  # noqa: S608
    )
    with connection.cursor() as cursor:
        _floor_table(cursor)
        if indexed:
            _same_indexes_sqlite(cursor)

    def work() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            reader = csv.reader(io.StringIO(data.decode()))
            next(reader)
            cursor.executemany(sql, list(reader))

    seconds, _ = timed(work)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return seconds


def floor_postgres(data: bytes) -> float:
    """One COPY of the CSV into a same-column table."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        _floor_table(cursor)
        cursor.execute("ALTER TABLE bench_floor ALTER COLUMN employee_id TYPE text")
        cursor.execute("ALTER TABLE bench_floor ALTER COLUMN resolved_first_contact TYPE text")

    def work() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            names = ", ".join(FLOOR_COLUMNS)
            copy_sql = f"COPY bench_floor ({names}) FROM STDIN (FORMAT csv, HEADER)"
            with cursor.copy(copy_sql) as copy:
                copy.write(data)

    seconds, _ = timed(work)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return seconds


def _parts(organisation: Any, data: bytes) -> tuple[float, float]:
    """The import's parts, each timed again on its own: the parser alone, and the rebuild of
    the daily rollups of every imported date (as on the first import, no rollups before).
    What the import took besides is pseudonymising, inserting and bookkeeping (`insert_s`)."""
    from meetlat.contacts.bulk import cycle_collection_paused
    from meetlat.contacts.importers.csv.parser import parse
    from meetlat.contacts.models import Contact
    from meetlat.kpis.models import DailyRollup
    from meetlat.kpis.services import rollups_refresh

    with cycle_collection_paused():  # as in the import
        parse_s, _ = timed(lambda: parse(data))
    dates = Contact.objects.filter(organisation=organisation).values_list("local_date", flat=True)
    first, last = dates.order_by("local_date").first(), dates.order_by("-local_date").first()
    assert first is not None and last is not None
    DailyRollup.objects.filter(organisation=organisation).delete()
    rollup_s, _ = timed(lambda: rollups_refresh(organisation=organisation, dates=(first, last)))
    return parse_s, rollup_s


def run(scale: float = 1.0) -> dict[str, Any]:
    setup_django()
    from django.db import connection

    from meetlat.calc.calendar import AMSTERDAM
    from meetlat.contacts.services import contacts_import

    n = max(int(ROWS * scale), 1000)
    data = csv_bytes(n)
    floor = floor_postgres(data) if connection.vendor == "postgresql" else floor_sqlite(data)
    dorp = organisation("GM9801", "Importdorp (benchmark)")
    seconds, result = timed(
        lambda: contacts_import(
            organisation=dorp, data=data, file_name="bench.csv", format_name="csv", tz=AMSTERDAM
        )
    )
    assert result.ok and result.imported == n, result.errors[:3]
    again, second = timed(
        lambda: contacts_import(
            organisation=dorp, data=data, file_name="bench.csv", format_name="csv", tz=AMSTERDAM
        )
    )
    assert second.imported == 0 and second.duplicates == n
    parse_s, rollup_s = _parts(dorp, data)
    drop_contacts(dorp.pk)
    ratio = seconds / floor
    context: dict[str, float] = {}
    if connection.vendor == "sqlite":
        indexed = floor_sqlite(data, indexed=True)
        context = {"floor_same_indexes_s": indexed, "ratio_to_indexed_floor": seconds / indexed}
    return {
        "database": connection.vendor,
        "rows": n,
        "import_s": seconds,
        "rows_per_s": n / seconds,
        "floor_s": floor,
        "floor_rows_per_s": n / floor,
        "ratio_to_floor": ratio,
        **context,
        "parse_s": parse_s,
        "rollup_s": rollup_s,
        "insert_s": seconds - parse_s - rollup_s,
        "reimport_s": again,
        "target_ratio": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO,
    }


if __name__ == "__main__":
    print(run(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0))

"""Shared set-up of the contact benchmarks: one Django database for the whole process.

SQLite in a temporary data directory by default (removed at exit); PostgreSQL when
`MEETLAT_DATABASE_URL` is set (e.g. under `scripts/with-postgres.sh`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_FOLDER: list[str] = []


def setup_django() -> None:
    from django.conf import settings

    if not settings.configured:
        folder = tempfile.mkdtemp(prefix="meetlat-bench-")
        _FOLDER.append(folder)
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["MEETLAT_DATA_DIR"] = folder
        os.environ.pop("MEETLAT_BROKER_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetlat.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def timed(work: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def best_of(times: int, work: Callable[[], Any]) -> float:
    """The fastest of `times` runs, in seconds."""
    return min(timed(work)[0] for _ in range(times))


def organisation(code: str, name: str) -> Any:
    """A fresh organisation (an old one of that code and its contacts removed, in raw SQL)."""
    from meetlat.organisations.models import Organisation
    from meetlat.organisations.services import organisation_create

    old = Organisation.objects.filter(code=code).first()
    if old is not None:
        drop_contacts(old.pk)
        old.delete()
    return organisation_create(code=code, name=name)


def drop_contacts(organisation_id: int) -> None:
    """Remove an organisation's contacts and rollups fast (no ORM cascade over many rows)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("kpis_dailyrollup", "contacts_contact"):
            cursor.execute(f"DELETE FROM {table} WHERE organisation_id = %s", [organisation_id])  # noqa: S608


def import_rows(organisation: Any, n: int, *, days: int = 365) -> float:
    """Import n generated phone rows with `contacts_import`; returns the seconds it took."""
    from gen_contacts import csv_bytes
    from meetlat.calc.calendar import AMSTERDAM
    from meetlat.contacts.services import contacts_import

    data = csv_bytes(n, days=days)
    seconds, result = timed(
        lambda: contacts_import(
            organisation=organisation,
            data=data,
            file_name="bench.csv",
            format_name="csv",
            tz=AMSTERDAM,
        )
    )
    assert result.ok and result.imported == n, result.errors[:3]
    return seconds

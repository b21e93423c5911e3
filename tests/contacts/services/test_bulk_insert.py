"""`contacts.bulk.rows_insert`: one statement or COPY, stored keys left out, indexes kept."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetlat.contacts import bulk, services
from meetlat.contacts.models import Contact, ImportBatch
from meetlat.contacts.services import ImportConflictError, contacts_import
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create
from tests.contacts.samples import csv_bytes, phone_row

AMS = ZoneInfo("Europe/Amsterdam")
ROWS = [
    phone_row(f"c{i}", f"2026-03-{10 + i % 5}T09:{i % 60:02d}:00+01:00", "answered", i, 60, "m1")
    for i in range(40)
]


@pytest.fixture
def dorp(db: None) -> Organisation:
    return organisation_create(code="GM9992", name="Bulkdorp")


def run_import(organisation: Organisation, rows: list[list[str]]) -> services.ImportResult:
    return contacts_import(
        organisation=organisation,
        data=csv_bytes(rows),
        file_name="bulk.csv",
        format_name="csv",
        tz=AMS,
    )


def contact_indexes() -> dict[str, Any]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Contact._meta.db_table)
    return {name: (c["columns"], c["unique"]) for name, c in found.items() if c["index"]}


def test_a_large_import_keeps_every_index_of_the_contact_table(
    dorp: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contact_indexes()
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 10)  # 40 rows count as large here
    result = run_import(dorp, ROWS)
    assert (result.imported, result.duplicates) == (40, 0)
    assert contact_indexes() == before
    assert len(before) >= 4
    assert Contact.objects.filter(organisation=dorp, local_date="2026-03-12").count() == 8


def test_a_failed_large_insert_leaves_the_indexes_and_stores_nothing(
    dorp: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contact_indexes()
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 10)
    monkeypatch.setattr(services, "datetime_adapter", lambda: lambda value: None)  # NOT NULL
    with pytest.raises(ImportConflictError):
        run_import(dorp, ROWS)
    assert contact_indexes() == before
    assert not Contact.objects.exists() and not ImportBatch.objects.exists()


def test_stored_keys_are_left_out_and_counted(dorp: Organisation) -> None:
    run_import(dorp, ROWS[:10])
    batch = ImportBatch.objects.get()
    started = "2026-03-10 08:00:00" if connection.vendor == "sqlite" else "2026-03-10 08:00Z"
    rows = [
        (dorp.pk, "csv", f"c{i}", "phone", started, "2026-03-10", 9, batch.pk, "", "", "", "", "")
        for i in range(5, 15)
    ]
    columns = ("organisation", "source", "contact_id", "channel", "started_at", "local_date",
               "local_hour", "import_batch", "contact_point_name", "outcome", "topic",
               "customer_hash", "subject_masked")  # fmt: skip
    inserted = bulk.rows_insert(Contact, columns, rows, unique=services.CONTACT_KEY)
    assert inserted == 5
    assert Contact.objects.filter(organisation=dorp).count() == 15


def test_without_jit_turns_it_off_inside_and_back_after_on_postgresql(db: None) -> None:
    def jit() -> str:
        cursor.execute("SELECT current_setting('jit')")
        return str(cursor.fetchone()[0])

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            with CaptureQueriesContext(connection) as queries, bulk.without_jit(cursor):
                pass
            assert queries.captured_queries == []  # nothing to turn off
            return
        before = jit()
        with bulk.without_jit(cursor):
            assert jit() == "off"
        assert jit() == before

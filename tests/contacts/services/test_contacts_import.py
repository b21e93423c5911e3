"""`contacts_import`: all rows or none, idempotent, pseudonymised (STYLE.md practice 3)."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from meetlat.accounts.models import AuditEntry
from meetlat.contacts import services
from meetlat.contacts.importers import FormatNotAvailableError
from meetlat.contacts.models import Contact, ImportBatch
from meetlat.contacts.services import ImportConflictError, ImportResult, contacts_import
from meetlat.organisations.models import Channel, ContactPoint, Employee, Organisation, PhoneKind
from meetlat.organisations.services import organisation_create, pseudonym_hash
from tests.contacts.samples import (
    BAD_ROWS,
    KPI_ROWS,
    PHONE_COLUMNS,
    REPEAT_ROWS,
    csv_bytes,
    phone_row,
)

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def dorp(db: None) -> Organisation:
    return organisation_create(code="GM9990", name="Contractdorp")


def run_import(
    organisation: Organisation, data: bytes, name: str = "gesprekken.csv", **extra: str
) -> ImportResult:
    return contacts_import(
        organisation=organisation,
        data=data,
        file_name=name,
        format_name="csv",
        tz=AMS,
        **extra,  # type: ignore[arg-type]
    )


def test_the_example_imports_ten_contacts_with_one_batch_and_one_audit_entry(
    dorp: Organisation,
) -> None:
    data = csv_bytes(KPI_ROWS)
    result = run_import(dorp, data)
    assert (result.rows, result.imported, result.duplicates, result.errors) == (10, 10, 0, ())
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.format, batch.source) == ("gesprekken.csv", "csv", "csv")
    assert batch.sha256 == hashlib.sha256(data).hexdigest()
    assert (batch.rows, batch.imported, batch.duplicates) == (10, 10, 0)
    assert Contact.objects.filter(organisation=dorp, import_batch=batch).count() == 10
    entry = AuditEntry.objects.get(action="contacts.import.committed")
    assert entry.organisation == dorp and entry.data["imported"] == 10


def test_importing_the_same_file_again_adds_nothing(dorp: Organisation) -> None:
    run_import(dorp, csv_bytes(KPI_ROWS))
    again = run_import(dorp, csv_bytes(KPI_ROWS))
    assert (again.rows, again.imported, again.duplicates) == (10, 0, 10)
    assert Contact.objects.count() == 10
    assert ImportBatch.objects.count() == 2


def test_an_overlapping_export_under_another_name_adds_only_what_is_new(
    dorp: Organisation,
) -> None:
    run_import(dorp, csv_bytes(KPI_ROWS[:6]), "maart-1.csv")
    later = KPI_ROWS[4:] + [phone_row("c11", "2026-03-11T09:00:00+01:00", "answered", 8)]
    result = run_import(dorp, csv_bytes(later), "maart-2.csv")
    assert (result.rows, result.imported, result.duplicates) == (7, 5, 2)
    assert Contact.objects.count() == 11


def test_a_known_contact_id_with_another_start_is_refused_and_nothing_is_stored(
    dorp: Organisation,
) -> None:
    run_import(dorp, csv_bytes(KPI_ROWS))
    other = [
        phone_row("c99", "2026-03-12T09:00:00+01:00", "answered", 1),
        phone_row("c01", "2026-03-12T09:00:00+01:00", "answered", 1),
    ]
    result = run_import(dorp, csv_bytes(other), "ander-systeem.csv")
    assert result.imported == 0 and not result.ok
    error = result.errors[0]
    assert (error.line, error.column, error.value) == (3, "contact_id", "c01")
    assert "gesprekken.csv" in error.message and "--source" in error.message
    assert Contact.objects.count() == 10


def test_another_source_keeps_the_same_ids_apart(dorp: Organisation) -> None:
    run_import(dorp, csv_bytes(KPI_ROWS))
    result = run_import(dorp, csv_bytes(KPI_ROWS), source="telefooncentrale-2")
    assert (result.imported, result.duplicates) == (10, 0)
    assert set(Contact.objects.values_list("source", flat=True)) == {"csv", "telefooncentrale-2"}


def test_a_bad_file_stores_nothing_at_all(dorp: Organisation) -> None:
    result = run_import(dorp, csv_bytes(BAD_ROWS), "kapot.csv")
    assert (result.rows, result.imported, result.error_count) == (4, 0, 1)
    assert not Contact.objects.exists() and not ImportBatch.objects.exists()
    assert not AuditEntry.objects.filter(action="contacts.import.committed").exists()


def test_a_failure_during_the_commit_rolls_every_row_back(
    dorp: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", fail)
    with pytest.raises(RuntimeError):
        run_import(dorp, csv_bytes(KPI_ROWS))
    assert not Contact.objects.exists() and not ImportBatch.objects.exists()
    assert not Employee.objects.exists()


def test_a_concurrent_import_of_the_same_contacts_is_a_conflict_not_a_half_import(
    dorp: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(dorp, csv_bytes(KPI_ROWS[:3]))
    monkeypatch.setattr(services, "_stored", lambda *args: {})  # as if read before the other
    with pytest.raises(ImportConflictError):
        run_import(dorp, csv_bytes(KPI_ROWS))
    assert Contact.objects.count() == 3 and ImportBatch.objects.count() == 1


def test_agents_become_pseudonymised_employees_reused_across_imports(dorp: Organisation) -> None:
    run_import(dorp, csv_bytes(KPI_ROWS))
    run_import(dorp, csv_bytes(REPEAT_ROWS), "herhaal.csv")
    employees = Employee.objects.filter(organisation=dorp)
    assert employees.count() == 2
    assert not employees.filter(pseudonym__in=["m01", "m02"]).exists()
    m01 = employees.get(source_hash=pseudonym_hash(organisation=dorp, source_id="m01"))
    assert Contact.objects.filter(employee=m01).count() == 4 + 2
    assert Contact.objects.filter(employee__isnull=True, outcome="abandoned").count() == 2


def test_customers_are_stored_as_keyed_hashes_per_organisation(dorp: Organisation) -> None:
    other = organisation_create(code="GM9991", name="Herhaaldorp")
    run_import(dorp, csv_bytes(REPEAT_ROWS))
    run_import(other, csv_bytes(REPEAT_ROWS))
    mine = set(Contact.objects.filter(organisation=dorp).values_list("customer_hash", flat=True))
    theirs = set(Contact.objects.filter(organisation=other).values_list("customer_hash", flat=True))
    assert len(mine) == 1 and len(theirs) == 1 and mine != theirs
    assert mine == {pseudonym_hash(organisation=dorp, source_id="K-0001")}
    run_import(dorp, csv_bytes(KPI_ROWS), "zonder-klant.csv")
    assert Contact.objects.get(contact_id="c01").customer_hash == ""


def test_contact_points_are_linked_by_name_and_kept_as_text(dorp: Organisation) -> None:
    kcc = ContactPoint.objects.create(
        organisation=dorp,
        name="KCC",
        channel=Channel.PHONE,
        phone_kind=PhoneKind.MAIN,
        address="14 0999",
    )
    data = csv_bytes([*KPI_ROWS[:2]]) + b"x1,2026-03-10T11:00:00+01:00,,answered,3,,,,,,\n"
    run_import(dorp, data, default_contact_point="Balie")
    assert Contact.objects.filter(contact_point=kcc).count() == 2
    balie = Contact.objects.get(contact_id="x1")
    assert (balie.contact_point, balie.contact_point_name) == (None, "Balie")


def test_local_date_and_hour_are_amsterdam_time(dorp: Organisation) -> None:
    run_import(dorp, csv_bytes(REPEAT_ROWS))
    rows = Contact.objects.order_by("started_at").values_list("local_date", "local_hour")
    assert [(d.isoformat(), h) for d, h in rows] == [("2026-03-27", 10), ("2026-04-03", 10)]


def test_an_unknown_format_is_refused(dorp: Organisation) -> None:
    with pytest.raises(FormatNotAvailableError, match="unknown format 'xls'"):
        contacts_import(organisation=dorp, data=b"", file_name="q", format_name="xls", tz=AMS)


def test_the_queries_besides_the_bulk_inserts_do_not_grow_with_the_rows(
    dorp: Organisation,
) -> None:
    rows = [
        phone_row(f"c{i}", "2026-03-10T09:00:00+01:00", "answered", i % 60, 100, f"m{i % 3}", 0)
        for i in range(1500)
    ]
    run_import(dorp, csv_bytes(rows[:1]))  # one employee exists; two new ones follow
    with CaptureQueriesContext(connection) as queries:
        result = run_import(dorp, csv_bytes(rows))
    assert result.imported == 1499
    sql = [q["sql"] for q in queries.captured_queries]
    # executemany is logged as "N times: INSERT …" (SQLite)
    inserts = [
        s for s in sql if s.split("times: ")[-1].startswith('INSERT INTO "contacts_contact"')
    ]
    rollups = [s for s in sql if s.startswith('INSERT INTO "kpis_dailyrollup"')]
    # the own set-up of the bulk insert and the rollups: the page cache (SQLite), the staging
    # table and JIT off (PostgreSQL)
    setup = ("PRAGMA", "staging_", "'jit'")
    bulk = [s for s in sql if s not in inserts and any(word in s for word in setup)]
    others = [s for s in sql if s not in inserts + rollups + bulk and "SAVEPOINT" not in s]
    # whether the source has contacts, 3 id look-ups (500 each), batch check and insert,
    # contact points, employees, 2 new employees × (get, create), audit entry; rollups of the
    # day: 2 norms, equal days, closing days, delete, one aggregate (and one bulk insert)
    assert len(others) == 18, others
    assert len(rollups) == 1
    assert len(inserts) == 1
    assert len(bulk) <= 10


# --- property-based: any file, clean import or clean error, never partial ---------------------


def mostly(valid: list[str], invalid: list[str]) -> st.SearchStrategy[str]:
    """Each valid value twelve times as often as each invalid one."""
    return st.sampled_from(valid * 12 + invalid)


ROW = st.builds(
    phone_row,
    cid=mostly(["c01", "c02", "c03", "c04", "=1+1"], ["", "c" * 130]),
    started=mostly(
        ["2026-03-10T09:00:00+01:00", "2026-03-29 02:30", "2026-03-29T03:30:00+02:00"],
        ["2026-03-10", "x", "9999-12-31T23:59-01:00"],
    ),
    outcome=mostly(["answered", "abandoned", "closed", "voicemail", "ANSWERED"], ["nope"]),
    wait=mostly(["0", "10", "400"], ["", "-1", "abc", "4294967296"]),
    handle=mostly(["", "30"], ["x"]),
    agent=st.text(max_size=5),
    transfers=mostly(["", "0", "3"], ["1.5"]),
    topic=st.one_of(st.text(max_size=10), mostly(["afval", "=HYPERLINK(1)"], ["t" * 101])),
    customer=st.sampled_from(["", "K1", "@K2"]),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(ROW, max_size=6, unique_by=lambda row: row[0]),
    bom=st.booleans(),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
def test_any_file_is_imported_whole_or_not_at_all(
    dorp: Organisation, rows: list[list[str]], bom: bool, encoding: str
) -> None:
    data = csv_bytes(rows).decode().encode(encoding, errors="replace")
    data = (b"\xef\xbb\xbf" if bom else b"") + data
    savepoint = transaction.savepoint()
    try:
        before = Contact.objects.count()
        result = run_import(dorp, data)
        stored = Contact.objects.count() - before
        if result.ok:
            assert stored == result.imported == result.rows - result.duplicates
            event("imported")
        else:
            assert stored == 0 and result.imported == 0 and result.errors
    finally:
        transaction.savepoint_rollback(savepoint)
    assert connection.in_atomic_block


def test_callback_moments_are_stored_and_a_later_export_fills_in_the_callback(
    dorp: Organisation,
) -> None:
    header = (*PHONE_COLUMNS, "callback_due_at", "callback_done_at", "appointment_at")
    promised = [*phone_row("t1", "2026-03-10T09:00:00+01:00", "callback_request", ""), "", "", ""]
    promised[-3] = "2026-03-11 10:00"
    run_import(dorp, csv_bytes([promised], header), "maart.csv")
    stored = Contact.objects.get(contact_id="t1")
    assert stored.callback_due_at == dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC)
    assert stored.callback_done_at is None and stored.appointment_at is None
    later = [*promised[:-2], "2026-03-11T09:40:00+01:00", ""]
    result = run_import(dorp, csv_bytes([later], header), "maart-later.csv")
    assert (result.imported, result.duplicates) == (0, 1)
    stored.refresh_from_db()
    assert stored.callback_done_at == dt.datetime(2026, 3, 11, 8, 40, tzinfo=dt.UTC)
    assert stored.callback_due_at == dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC)

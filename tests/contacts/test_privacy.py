"""Customer and agent ids from an export are never stored in clear (DESIGN.md, METHODOLOGY §9)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from meetlat.contacts.services import contacts_import
from meetlat.organisations.services import organisation_create
from tests.contacts.samples import csv_bytes, phone_row

CUSTOMER = "KLANT-7781-XQ"
AGENT = "agent-zw-4410"


def every_text_cell() -> list[str]:
    """Every value of every column of every table, as text."""
    cells: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {name}")  # noqa: S608 - table names from introspection
            cells.extend(str(value) for row in cursor.fetchall() for value in row)
    return cells


@pytest.mark.django_db
def test_raw_customer_and_agent_ids_appear_in_no_column_of_any_table() -> None:
    organisation = organisation_create(code="GM9991", name="Herhaaldorp")
    rows = [
        phone_row("r01", "2026-03-27T10:00:00+01:00", "answered", 10, 60, AGENT, 0, "", CUSTOMER),
        phone_row("r02", "2026-04-03T10:45:00+02:00", "abandoned", 30, "", "", "", "", CUSTOMER),
    ]
    result = contacts_import(
        organisation=organisation,
        data=csv_bytes(rows),
        file_name="herhaal.csv",
        format_name="csv",
        tz=ZoneInfo("Europe/Amsterdam"),
    )
    assert result.imported == 2
    cells = every_text_cell()
    assert "r01" in cells  # the scan does see the imported rows
    assert not [cell for cell in cells if CUSTOMER in cell or AGENT in cell]

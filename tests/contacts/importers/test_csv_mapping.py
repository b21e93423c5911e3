"""`--mapping M.toml`: other CSV layouts read into the canonical columns (pure, no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from meetlat.contacts.importers.csv.mapping import (
    ColumnMapping,
    MappingError,
    duration_seconds,
    mapping_load,
    parse,
)
from meetlat.contacts.importers.csv.parser import CellError

AMS = ZoneInfo("Europe/Amsterdam")
SAMPLES = Path(__file__).resolve().parents[3] / "src/meetlat/contacts/importers/csv/samples"
MINIMAL = """
delimiter = ";"
[columns]
contact_id = "ID"
started_at = { date = "Datum", time = "Tijd", date_format = "%d-%m-%Y" }
outcome = "Status"
wait_s = { column = "Wacht", empty = ["-"] }
[outcomes]
"Beantwoord" = "answered"
"""


def sample(name: str) -> tuple[bytes, ColumnMapping]:
    data = (SAMPLES / f"{name}.csv").read_bytes()
    return data, mapping_load((SAMPLES / f"{name}.toml").read_bytes())


def test_the_acd_export_joins_date_and_time_and_reads_h_mm_ss() -> None:
    data, mapping = sample("acd-export-nl")
    result = parse(data, mapping=mapping, tz=AMS)
    assert result.ok and result.rows == 11  # 12 rows, one outgoing call skipped
    first = result.contacts[0]
    assert first.started_at == dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
    assert (first.outcome, first.wait_s, first.handle_s, first.agent) == (
        "answered", 5, 120, "jdevries"
    )  # fmt: skip
    abandoned = result.contacts[2]
    assert (abandoned.outcome, abandoned.wait_s, abandoned.handle_s) == ("abandoned", 3, None)
    assert result.contacts[-1].outcome == "closed"
    assert result.contacts[-2].topic == "Wmo – hulpmiddel"  # read as Windows-1252


def test_the_cloud_export_reads_a_day_first_start_and_seconds() -> None:
    data, mapping = sample("cloud-call-detail")
    result = parse(data, mapping=mapping, tz=AMS)
    assert result.ok and result.rows == 8
    outcomes = [c.outcome for c in result.contacts]
    assert outcomes.count("answered") == 4 and outcomes.count("abandoned") == 2
    assert "ivr_abandoned" in outcomes and "voicemail" in outcomes
    assert result.contacts[0].started_at == dt.datetime(2026, 3, 10, 7, 30, 12, tzinfo=dt.UTC)


def test_a_bad_cell_names_the_physical_line_and_the_source_column() -> None:
    data = (
        "ID;Datum;Tijd;Status;Wacht\n\n1;10-03-2026;09:00:00;Beantwoord;12\n"
        "2;31-02-2026;09:01:00;Beantwoord;x\n"
    )
    result = parse(data.encode(), mapping=mapping_load(MINIMAL.encode()), tz=AMS)
    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (4, "Datum", "31-02-2026"),
        (4, "Wacht", "x"),
    ]
    assert result.errors[0].message == "started_at does not match the format %d-%m-%Y."


def test_an_unknown_outcome_names_the_source_column() -> None:
    data = "ID;Datum;Tijd;Status;Wacht\n1;10-03-2026;09:00:00;Weg;-\n"
    result = parse(data.encode(), mapping=mapping_load(MINIMAL.encode()), tz=AMS)
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, "Status", "Weg")]


def test_a_missing_source_column_is_named_on_the_header_line() -> None:
    data = "ID;Datum;Status;Wacht\n1;10-03-2026;Beantwoord;5\n"
    result = parse(data.encode(), mapping=mapping_load(MINIMAL.encode()), tz=AMS)
    assert [(e.line, e.column) for e in result.errors] == [(1, "Tijd")]


@pytest.mark.parametrize(
    ("value", "style", "seconds"),
    [("0:01:05", "auto", "65"), ("1:00:00", "h:mm:ss", "3600"), ("2:05", "auto", "125"),
     ("42", "auto", "42"), ("12,6", "seconds", "13")],
)  # fmt: skip
def test_durations_are_read_as_h_mm_ss_or_seconds(value: str, style: str, seconds: str) -> None:
    assert duration_seconds(value, style) == seconds


@pytest.mark.parametrize(
    ("value", "style"), [("1:2:3", "auto"), ("12", "h:mm:ss"), ("0:10", "seconds")]
)
def test_a_duration_in_another_style_is_refused(value: str, style: str) -> None:
    with pytest.raises(CellError):
        duration_seconds(value, style)


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[columns\n", ""),
        ('colums = {}', "colums"),
        ('delimiter = ";;"\n[columns]', "delimiter"),
        ('encoding = "latin-9"\n[columns]', "encoding"),
        ('[columns]\ncontact_id = "ID"', "columns"),
        (MINIMAL + '"Weg" = "gone"', "outcomes.weg"),
        (MINIMAL.replace('outcome = "Status"', 'outcome = "Status"\nkleur = "K"'), "columns.kleur"),
        (MINIMAL.replace('{ column = "Wacht"', '{ column = "Wacht", duration = "minutes"'),
         "columns.wait_s.duration"),
        (MINIMAL.replace('date_format = "%d-%m-%Y"', 'date_format = "dd-mm-yyyy"'),
         "columns.started_at.date_format"),
        (MINIMAL.replace('contact_id = "ID"', "contact_id = 3"), "columns.contact_id"),
    ],
)  # fmt: skip
def test_a_bad_mapping_names_the_key(toml: str, key: str) -> None:
    with pytest.raises(MappingError) as caught:
        mapping_load(toml.encode())
    assert caught.value.key == key
    assert caught.value.describe("m.toml").startswith(f"m.toml, key {key}" if key else "m.toml:")


def test_a_mapping_reads_the_appointment_of_a_visit_in_the_given_zone() -> None:
    mapping = mapping_load(
        (
            MINIMAL.replace('outcome = "Status"', 'outcome = "Status"\nappointment_at = "Afspraak"')
        ).encode()
    )
    data = (
        b"ID;Datum;Tijd;Status;Wacht;Afspraak\n"
        b"b1;10-03-2026;09:00:00;Beantwoord;4;2026-03-10 09:15\n"
        b"b2;10-03-2026;09:05:00;Beantwoord;4;\n"
    )
    result = parse(data, mapping=mapping, tz=AMS)
    assert result.ok, result.errors
    assert [c.appointment_at for c in result.contacts] == [
        dt.datetime(2026, 3, 10, 8, 15, tzinfo=dt.UTC),
        None,
    ]


def test_a_mapped_channel_column_gives_counter_visits() -> None:
    mapping = MINIMAL + '\n[columns.channel]\ncolumn = "Kanaal"\nvalues = { "Balie" = "counter" }\n'
    data = (
        "ID;Datum;Tijd;Status;Wacht;Kanaal\n"
        "1;10-03-2026;09:00:00;Beantwoord;12;Balie\n"
        "2;10-03-2026;09:01:00;Beantwoord;40;\n"
    )
    result = parse(data.encode(), mapping=mapping_load(mapping.encode()), tz=AMS)
    assert result.ok, result.errors
    assert [c.channel for c in result.contacts] == ["counter", "phone"]

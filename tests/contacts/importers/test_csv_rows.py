"""The CSV parser's fast path (`csv.rows.RowReader`) agrees with reading cell by cell."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.base import ProblemList
from meetlat.contacts.importers.csv.cells import local_date_hour
from meetlat.contacts.importers.csv.parser import CanonicalLayout, contact_of_row, parse
from meetlat.contacts.importers.csv.rows import FIELDS, RowReader
from tests.contacts.samples import csv_bytes, phone_row

UTC_OFFSETS = st.sampled_from(
    [dt.timedelta(hours=h, minutes=m) for h in (-5, 0, 1, 2, 5) for m in (0, 30)]
)
INSTANTS = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
)


def cell(*values: str) -> st.SearchStrategy[str]:
    """One of the values, with spaces around some."""
    return st.sampled_from(values).flatmap(
        lambda v: st.sampled_from([v, f" {v}", f"{v} ", ""]) if v else st.just(v)
    )


ROW = st.tuples(
    cell("c1", "c2", "x" * 129),
    st.one_of(
        st.builds(
            lambda moment, offset: moment.replace(tzinfo=dt.timezone(offset)).isoformat(),
            INSTANTS,
            UTC_OFFSETS,
        ),
        st.builds(lambda moment: moment.isoformat(sep=" "), INSTANTS),
        cell("2026-03-29 02:30", "2026-10-25T02:30", "2026-03-10", "9999-12-31T23:59-01:00", "x"),
    ),
    cell("KCC", "Balie", "k" * 101),
    cell("answered", "ANSWERED", "abandoned", "closed", "voicemail", "nope"),
    cell("0", "10", "-1", "abc", "4294967296"),
    cell("30", "1.5"),
    cell("m01", "a" * 201),
    cell("0", "3", "x"),
    cell("afval", "=HYPERLINK(1)"),
    cell("K1", "@K2"),
    cell("yes", "no", "NO", "ja"),
    cell("", "2026-03-11T10:00:00+01:00"),
    cell("", "2026-03-11 16:30", "11-03-2026"),
    cell("", "2026-03-12T09:15"),
    cell("", "phone", "counter", "COUNTER", "balie"),
)


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(ROW, min_size=1, max_size=8), default_point=st.sampled_from(["", "Balie"]))
def test_the_fast_path_gives_what_reading_cell_by_cell_gives(
    rows: list[tuple[str, ...]], default_point: str
) -> None:
    tz = ZoneInfo("Europe/Amsterdam")
    reader = RowReader(range(len(FIELDS)), tz, default_point)
    for line, cells in enumerate(rows, start=2):
        problems = ProblemList()
        row = {name: value.strip() for name, value in zip(FIELDS, cells, strict=True)}
        reference = contact_of_row(row, line, tz, default_point, problems, CanonicalLayout())
        assert reader.contact(list(cells), line) == reference
        assert (reference is None) == (problems.count > 0)


@settings(max_examples=300, deadline=None)
@given(moment=INSTANTS, offset=UTC_OFFSETS)
def test_the_local_date_and_hour_are_those_of_amsterdam_also_around_clock_changes(
    moment: dt.datetime, offset: dt.timedelta
) -> None:
    around_changes = [
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),  # 01:30 CET, just before the change
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),  # 03:30 CEST
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),  # 02:30 CEST, the first time
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),  # 02:30 CET, the second time
        dt.datetime(1937, 6, 30, 22, 30, tzinfo=dt.UTC),  # Amsterdam moved by 28 seconds
        moment.replace(tzinfo=dt.timezone(offset)).astimezone(dt.UTC),
    ]
    rows = [
        phone_row(f"c{i}", at.isoformat(), "answered", 5) for i, at in enumerate(around_changes)
    ]
    result = parse(csv_bytes(rows), tz=AMSTERDAM)
    assert result.ok
    assert [(c.local_date, c.local_hour) for c in result.contacts] == [
        local_date_hour(at) for at in around_changes
    ]
    assert [c.started_at for c in result.contacts] == around_changes


def test_an_absent_optional_column_reads_as_empty() -> None:
    data = b"contact_id,outcome,started_at,wait_s\nc1,answered,2026-03-10T09:00:00+01:00,7\n"
    (contact,) = parse(data, tz=AMSTERDAM, default_contact_point="KCC").contacts
    assert (contact.contact_id, contact.wait_s, contact.outcome) == ("c1", 7, "answered")
    assert (contact.contact_point, contact.topic, contact.handle_s) == ("KCC", "", None)

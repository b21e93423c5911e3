"""The canonical contact CSV parser (DESIGN.md "Contact import formats"): pure, no database."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetlat.contacts.importers.base import MAX_ERRORS, ParseResult
from meetlat.contacts.importers.csv.parser import COLUMNS, parse
from tests.contacts.samples import BAD_ROWS, KPI_ROWS, PHONE_COLUMNS, csv_bytes, phone_row

AMS = ZoneInfo("Europe/Amsterdam")
HEADER = ",".join(PHONE_COLUMNS)
IMPORTERS = Path(__file__).resolve().parents[3] / "src" / "meetlat" / "contacts" / "importers"


def one_row(**cells: str) -> bytes:
    """A file with the minimal header and one row; cells override a valid answered call."""
    row = {
        "contact_id": "x1",
        "started_at": "2026-03-10T09:00:00+01:00",
        "outcome": "answered",
        "wait_s": "10",
        **cells,
    }
    return (",".join(row) + "\n" + ",".join(row.values()) + "\n").encode()


def only_error(result: ParseResult) -> tuple[int, str, str]:
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    return error.line, error.column, error.value


def test_the_example_file_gives_ten_contacts_in_utc_with_local_date_and_hour() -> None:
    result = parse(csv_bytes(KPI_ROWS), tz=AMS)
    assert result.ok and result.rows == 10 and len(result.contacts) == 10
    first = result.contacts[0]
    assert first.started_at == dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
    assert (first.local_date, first.local_hour) == (dt.date(2026, 3, 10), 9)
    assert (first.outcome, first.wait_s, first.handle_s, first.transfers) == ("answered", 5, 120, 0)
    assert (first.agent, first.topic, first.contact_point) == ("m01", "afval", "KCC")
    assert result.contacts[2].handle_s is None and result.contacts[2].transfers is None


def test_wait_s_abc_on_line_4_is_named_with_line_column_and_value() -> None:
    result = parse(csv_bytes(BAD_ROWS), tz=AMS)
    assert not result.ok and result.contacts == ()
    assert only_error(result) == (4, "wait_s", "abc")
    assert "whole number" in result.errors[0].message
    assert result.errors[0].describe("kapot.csv").startswith("kapot.csv, line 4, column wait_s:")


@pytest.mark.parametrize(
    ("started_at", "tz", "utc_hour"),
    [
        ("2026-03-10 09:00", AMS, 8),  # CET
        ("2026-03-30T12:00:00", AMS, 10),  # CEST, the day after the clocks moved
        ("2026-03-10T09:00", ZoneInfo("UTC"), 9),
        ("2026-03-10T09:00:00Z", AMS, 9),  # an offset wins over --tz
    ],
)
def test_a_start_without_offset_is_read_in_the_given_zone(
    started_at: str, tz: ZoneInfo, utc_hour: int
) -> None:
    result = parse(one_row(started_at=started_at), tz=tz)
    assert result.ok
    assert result.contacts[0].started_at.hour == utc_hour
    assert result.contacts[0].started_at.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("value", ["10-03-2026 09:00", "2026-03-10", "gisteren", "=NOW()"])
def test_a_start_that_is_not_an_iso_date_and_time_is_refused(value: str) -> None:
    assert only_error(parse(one_row(started_at=value), tz=AMS))[1:] == ("started_at", value)


def test_a_start_out_of_range_is_a_clean_error() -> None:
    result = parse(one_row(started_at="9999-12-31T23:59:59-01:00"), tz=AMS)
    assert only_error(result)[1] == "started_at" and "out of range" in result.errors[0].message


def test_a_byte_order_mark_is_fine() -> None:
    assert parse(b"\xef\xbb\xbf" + csv_bytes(KPI_ROWS), tz=AMS).rows == 10


def test_cp1252_bytes_give_an_error_naming_the_line_and_the_encoding() -> None:
    text = (
        csv_bytes(KPI_ROWS[:2]).decode()
        + "c99,2026-03-10T11:00:00+01:00,KCC,answered,5,,,,café,,\n"
    )
    result = parse(text.encode("cp1252"), tz=AMS)
    assert only_error(result) == (4, "", "0xe9")
    assert "not UTF-8" in result.errors[0].message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \n\n", b"\r\n"])
def test_an_empty_file_is_an_error(data: bytes) -> None:
    result = parse(data, tz=AMS)
    assert only_error(result)[0] == 1 and "empty" in result.errors[0].message


def test_a_header_without_rows_is_an_empty_import() -> None:
    result = parse((HEADER + "\n").encode(), tz=AMS)
    assert result.ok and result.rows == 0 and result.contacts == ()


def test_missing_required_columns_are_named() -> None:
    result = parse(b"contact_id,started_at\nx,2026-03-10T09:00:00+01:00\n", tz=AMS)
    assert only_error(result)[0] == 1
    assert "outcome, wait_s" in result.errors[0].message


def test_unknown_and_repeated_columns_are_named() -> None:
    result = parse((HEADER + ",custmer,topic\n").encode(), tz=AMS)
    assert [(e.line, e.column) for e in result.errors] == [(1, "custmer"), (1, "topic")]


def test_semicolon_separated_files_get_a_hint() -> None:
    result = parse(HEADER.replace(",", ";").encode() + b"\n", tz=AMS)
    assert "semicolons" in result.errors[0].message


def test_the_header_is_read_without_regard_to_case_and_spaces() -> None:
    data = b" Contact_ID ,STARTED_AT,Outcome,wait_s\nx,2026-03-10T09:00:00+01:00,Answered,3\n"
    result = parse(data, tz=AMS)
    assert result.ok and result.contacts[0].outcome == "answered"


@pytest.mark.parametrize(
    "outcome", ["answered", "abandoned", "ivr_abandoned", "closed", "callback_request", "voicemail"]
)
def test_every_outcome_of_design_md_is_allowed(outcome: str) -> None:
    assert parse(one_row(outcome=outcome), tz=AMS).ok


@pytest.mark.parametrize("outcome", ["answred", "missed", ""])
def test_other_outcomes_are_refused(outcome: str) -> None:
    assert only_error(parse(one_row(outcome=outcome), tz=AMS))[1] == "outcome"


@pytest.mark.parametrize("outcome", ["answered", "abandoned"])
def test_wait_s_is_required_for_answered_and_abandoned_calls(outcome: str) -> None:
    result = parse(one_row(outcome=outcome, wait_s=""), tz=AMS)
    assert only_error(result) == (2, "wait_s", "")
    assert f"required when the outcome is {outcome}" in result.errors[0].message


@pytest.mark.parametrize("outcome", ["ivr_abandoned", "closed", "callback_request", "voicemail"])
def test_wait_s_may_be_empty_for_calls_that_were_not_offered(outcome: str) -> None:
    result = parse(one_row(outcome=outcome, wait_s=""), tz=AMS)
    assert result.ok and result.contacts[0].wait_s is None


@pytest.mark.parametrize("column", ["wait_s", "handle_s", "transfers"])
@pytest.mark.parametrize("value", ["-5", "12.5", "1e3", "١٢", "=1+1", "99999999999"])
def test_counts_and_durations_are_non_negative_whole_numbers(column: str, value: str) -> None:
    assert only_error(parse(one_row(**{column: value}), tz=AMS))[1:] == (column, value)


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("NO", False), ("", None)])
def test_resolved_first_contact_is_yes_no_or_empty(value: str, expected: bool | None) -> None:
    result = parse(one_row(resolved_first_contact=value), tz=AMS)
    assert result.contacts[0].resolved_first_contact is expected


def test_resolved_first_contact_ja_is_refused() -> None:
    assert only_error(parse(one_row(resolved_first_contact="ja"), tz=AMS))[1] == (
        "resolved_first_contact"
    )


def test_formula_like_cells_are_just_text() -> None:
    rows = [phone_row("=1+1", "2026-03-10T09:00:00+01:00", "answered", 5, 1, "+31", 0, "@SUM(A1)")]
    rows[0][PHONE_COLUMNS.index("customer")] = '=HYPERLINK("http://x","y")'
    contact = parse(csv_bytes(rows), tz=AMS).contacts[0]
    assert (contact.contact_id, contact.agent, contact.topic) == ("=1+1", "+31", "@SUM(A1)")
    assert contact.customer == '=HYPERLINK("http://x","y")'


def test_a_contact_id_twice_in_one_file_names_both_lines() -> None:
    rows = [KPI_ROWS[0], KPI_ROWS[1], KPI_ROWS[0]]
    result = parse(csv_bytes(rows), tz=AMS)
    assert only_error(result) == (4, "contact_id", "c01")
    assert "first on line 2" in result.errors[0].message


def test_a_row_with_too_few_cells_is_an_error() -> None:
    result = parse((HEADER + "\nc01,2026-03-10T09:00:00+01:00,KCC\n").encode(), tz=AMS)
    assert only_error(result)[0] == 2 and "3 cells" in result.errors[0].message


def test_line_numbers_are_physical_across_quoted_newlines_and_blank_lines() -> None:
    data = (
        b"contact_id,started_at,outcome,wait_s,topic\n"
        b'a,2026-03-10T09:00:00+01:00,answered,1,"two\nlines"\n'
        b"\n"
        b"b,2026-03-10T09:00:00+01:00,answered,x,\n"
    )
    result = parse(data, tz=AMS)
    assert only_error(result) == (5, "wait_s", "x")
    assert result.rows == 2


def test_crlf_line_ends_are_fine() -> None:
    data = csv_bytes(KPI_ROWS).replace(b"\n", b"\r\n")
    assert parse(data, tz=AMS).rows == 10


def test_an_unterminated_quote_is_a_clean_error() -> None:
    data = (HEADER + '\nc01,"2026-03-10T09:00:00+01:00,KCC,answered,5,,,,,,\n').encode()
    result = parse(data, tz=AMS)
    assert not result.ok and result.errors[0].line == 2 and "quotes" in result.errors[0].message


def test_a_huge_field_is_a_clean_error_and_its_value_is_cut() -> None:
    huge = "x" * 200_000
    result = parse(one_row(topic=huge), tz=AMS)
    assert not result.ok and result.errors[0].line == 2
    assert all(len(e.value) <= 80 for e in result.errors)


def test_a_contact_id_longer_than_128_characters_is_refused() -> None:
    result = parse(one_row(contact_id="c" * 129), tz=AMS)
    line, column, value = only_error(result)
    assert (line, column) == (2, "contact_id") and len(value) == 80 and value.endswith("…")


def test_a_nul_character_is_refused() -> None:
    result = parse(one_row(topic="a\x00b"), tz=AMS)
    assert only_error(result)[0] == 2 and "NUL" in result.errors[0].message


def test_at_most_100_problems_are_listed_but_all_are_counted() -> None:
    rows = [phone_row(f"c{i}", "2026-03-10T09:00:00+01:00", "answered", "x") for i in range(150)]
    result = parse(csv_bytes(rows), tz=AMS)
    assert len(result.errors) == MAX_ERRORS and result.error_count == 150
    assert result.rows == 150


def test_the_default_contact_point_fills_empty_ones_only() -> None:
    data = (
        b"contact_id,started_at,outcome,wait_s,contact_point\n"
        b"a,2026-03-10T09:00:00+01:00,answered,1,\n"
        b"b,2026-03-10T09:00:00+01:00,answered,1,Balie\n"
    )
    contacts = parse(data, tz=AMS, default_contact_point="KCC").contacts
    assert [c.contact_point for c in contacts] == ["KCC", "Balie"]


def test_progress_is_reported_in_rows() -> None:
    seen: list[int] = []
    rows = [phone_row(f"c{i}", "2026-03-10T09:00:00+01:00", "answered", 1) for i in range(2500)]
    parse(csv_bytes(rows), tz=AMS, progress=seen.append)
    assert seen == [1000, 2000, 2500]


def test_the_parser_modules_do_not_import_django() -> None:
    for path in [
        IMPORTERS / "base.py",
        *IMPORTERS.glob("*/parser.py"),
        *IMPORTERS.glob("csv/*.py"),
    ]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [m for m in modules if m.split(".")[0] == "django"], path


# --- property-based: any file gives a clean result --------------------------------------------

FORMULA = st.sampled_from(["=1+1", "+31 6 1234", "-5", "@SUM(A1)", '=HYPERLINK("x")', "\t=x"])
VALID = st.sampled_from(
    [
        "c1",
        "2026-03-10T09:00:00+01:00",
        "2026-03-29 02:30",
        "answered",
        "abandoned",
        "closed",
        "10",
        "0",
        "",
        "yes",
        "no",
        "KCC",
        "afval",
    ]
)
CELL = st.one_of(
    VALID,
    FORMULA,
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="cp1252"), max_size=20),
    st.integers(min_value=129, max_value=140_000).map(lambda n: "z" * n),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(
        st.one_of(
            st.just(list(COLUMNS)),
            st.permutations(COLUMNS),
            st.lists(st.sampled_from([*COLUMNS, "bogus"]), max_size=12),
        )
    )
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(CELL, min_size=width - 1, max_size=width + 1), max_size=8))
    lines = [",".join(header)] + [",".join(_quote(c) for c in row) for row in rows]
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, errors="replace")


def _quote(cell: str) -> str:
    if any(ch in cell for ch in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _check_clean(result: ParseResult, data: bytes) -> None:
    lines = len(re.split(rb"\r\n|\r|\n", data))
    if result.ok:
        assert len(result.contacts) == result.rows and result.errors == ()
        assert len({c.contact_id for c in result.contacts}) == result.rows
    else:
        assert result.contacts == () and result.errors
        assert 0 < len(result.errors) <= MAX_ERRORS <= result.error_count or (
            len(result.errors) == result.error_count
        )
    for error in result.errors:
        assert 1 <= error.line <= lines
        assert len(error.value) <= 80 and error.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_give_contacts_or_clean_errors(data: bytes) -> None:
    _check_clean(parse(data, tz=AMS), data)


@settings(max_examples=300, deadline=None)
@given(csv_files())
def test_malformed_csv_files_give_contacts_or_clean_errors(data: bytes) -> None:
    _check_clean(parse(data, tz=AMS), data)


def test_the_bundled_sample_file_parses_cleanly() -> None:
    sample = IMPORTERS / "csv" / "samples" / "canonical.csv"
    result = parse(sample.read_bytes(), tz=AMS)
    assert result.ok and result.rows == 7
    assert {c.outcome for c in result.contacts} == {
        "answered", "abandoned", "closed", "ivr_abandoned", "callback_request", "voicemail"
    }  # fmt: skip


def test_callback_and_appointment_moments_are_optional_and_read_in_the_given_zone() -> None:
    data = (
        b"contact_id,started_at,outcome,wait_s,callback_due_at,callback_done_at,appointment_at\n"
        b"c1,2026-03-10T09:00:00+01:00,callback_request,,2026-03-11 10:00,"
        b"2026-03-11T09:30:00+01:00,\n"
        b"c2,2026-03-10T09:05:00+01:00,callback_request,,,,\n"
    )
    result = parse(data, tz=AMS)
    assert result.ok, result.errors
    first, second = result.contacts
    assert first.callback_due_at == dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC)
    assert first.callback_done_at == dt.datetime(2026, 3, 11, 8, 30, tzinfo=dt.UTC)
    assert first.appointment_at is None
    assert (second.callback_due_at, second.callback_done_at) == (None, None)


def test_a_callback_moment_that_is_no_date_and_time_is_named() -> None:
    result = parse(one_row(appointment_at="11-03-2026"), tz=AMS)
    line, column, value = only_error(result)
    assert (line, column, value) == (2, "appointment_at", "11-03-2026")
    assert "ISO 8601" in result.errors[0].message

"""The observations CSV parser (METHODOLOGY.md §2.3), on plain bytes without a database."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetlat.calc.calendar import AMSTERDAM
from meetlat.research.parsing import (
    COLUMNS,
    MAX_VALUE_CHARS,
    MunicipalityRef,
    ParsedFile,
    RowError,
    parse_instant,
    parse_observations,
)
from tests.research.samples import (
    CODE,
    EXAMPLE_A,
    EXAMPLE_B,
    NAME,
    csv_text,
    email,
    examples_text,
    phone,
    with_municipality,
)

RESEARCH = Path(__file__).resolve().parents[2] / "src" / "meetlat" / "research"
T1, T4, M1 = EXAMPLE_A[0], EXAMPLE_A[3], EXAMPLE_B[0]


def parse(text: str) -> ParsedFile:
    return parse_observations(text.encode("utf-8"))


def parse_rows(*rows: dict[str, str]) -> ParsedFile:
    return parse(csv_text(with_municipality(rows)))


def changed(row: dict[str, str], **values: str) -> dict[str, str]:
    return {**row, **values}


def only_error(parsed: ParsedFile) -> RowError:
    assert len(parsed.errors) == 1, parsed.errors
    return parsed.errors[0]


@pytest.mark.parametrize("module", ["parsing.py", "reconcile.py", "formatting.py"])
def test_pure_research_modules_do_not_import_django(module: str) -> None:
    tree = ast.parse((RESEARCH / module).read_text(encoding="utf-8"))
    names = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("django") or n.startswith("meetlat.research.m")]
    assert not [n for n in names if n.startswith(("meetlat.accounts", "meetlat.organisations"))]


def test_worked_examples_parse_into_ten_typed_observations() -> None:
    parsed = parse(examples_text())
    assert parsed.errors == []
    assert parsed.rows == 10
    assert [row.line for row in parsed.parsed] == list(range(2, 12))
    t1 = parsed.parsed[0].observation
    assert (t1.municipality, t1.municipality_name, t1.scenario, t1.channel) == (
        CODE,
        NAME,
        "T1",
        "phone",
    )
    assert (t1.attempts, t1.reached, t1.wait_s, t1.transfers) == (1, True, 14, 0)
    assert (t1.callback_promised, t1.callback_kept, t1.in_one_go) == (False, None, "yes")
    assert t1.recording_announced == "na" and t1.extra_step is False
    m5 = parsed.parsed[-1].observation
    assert m5.sent_at == dt.datetime(2026, 5, 7, 9, tzinfo=AMSTERDAM)
    assert (m5.answered_at, m5.correctness, m5.tone) == (None, None, None)


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    parsed = parse_observations(b"\xef\xbb\xbf" + examples_text().encode("utf-8"))
    assert parsed.errors == [] and parsed.rows == 10


def test_windows_1252_bytes_are_a_clear_error_naming_the_line() -> None:
    text = csv_text(with_municipality([T1, T4], name="Súdwest"))
    error = only_error(parse_observations(text.encode("cp1252")))
    assert (error.line, error.column, error.value) == (2, None, "0xFA")
    assert "not UTF-8" in error.message and "CSV UTF-8" in error.message


def test_a_nul_byte_is_an_error() -> None:
    error = only_error(parse_observations(b"municipality,scenario\nGM\x009901,T1\n"))
    assert (error.line, error.value) == (2, "0x00")


@pytest.mark.parametrize("content", ["", "\n\n", " \r\n"])
def test_an_empty_file_is_an_error_on_line_1(content: str) -> None:
    error = only_error(parse(content))
    assert error.line == 1 and "empty" in error.message


def test_a_header_without_rows_is_an_error_on_line_2() -> None:
    error = only_error(parse(csv_text([])))
    assert error.line == 2 and "no observations" in error.message


def test_missing_required_columns_are_named_on_line_1() -> None:
    columns = [c for c in COLUMNS if c not in ("scenario", "planned_at")]
    parsed = parse(csv_text(with_municipality([T1]), columns))
    assert [(e.line, e.column) for e in parsed.errors] == [(1, "scenario"), (1, "planned_at")]
    assert all("missing" in e.message for e in parsed.errors)
    assert parsed.rows == 1 and parsed.parsed == []


def test_unknown_duplicate_and_unnamed_header_columns_are_errors() -> None:
    text = "municipality,scenario,channel,planned_at,wiat_s,scenario,\n"
    parsed = parse(text + "GM9901,T1,phone,2026-04-14T09:00,1,T1,\n")
    assert [(e.line, e.column, e.value) for e in parsed.errors] == [
        (1, "wiat_s", "wiat_s"),
        (1, "scenario", "scenario"),
        (1, None, ""),
    ]


def test_header_names_are_read_without_case_or_spaces() -> None:
    body = csv_text(with_municipality([T1])).split("\n", 1)[1]
    parsed = parse(",".join(f" {c.upper()} " for c in COLUMNS) + "\n" + body)
    assert parsed.errors == [] and len(parsed.parsed) == 1


def test_a_row_with_another_number_of_fields_is_an_error() -> None:
    text = csv_text(with_municipality([T1, T4])) + "GM9901,Meetdorp,T9\n"
    error = only_error(parse(text))
    assert error.line == 4 and "3 fields" in error.message


def test_lines_are_physical_lines_across_quoted_newlines_and_blank_lines() -> None:
    first = csv_text(with_municipality([changed(T1, municipality_name="Meet\ndorp"), T4]))
    later = csv_text(with_municipality([changed(T4, scenario="T9", wait_s="abc")]))
    parsed = parse(first + "\n" + later.split("\n", 1)[1])
    assert [row.line for row in parsed.parsed] == [2, 4]
    assert only_error(parsed).line == 6


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (changed(T1, municipality="GM99"), "municipality", "GM99", "CBS municipality code"),
        (changed(T1, municipality="0505"), "municipality", "0505", "GM followed by four"),
        (changed(T1, municipality=""), "municipality", "", "CBS municipality code"),
        (changed(T1, wait_s="abc"), "wait_s", "abc", "not a whole number"),
        (changed(T1, wait_s="-3"), "wait_s", "-3", "from 0 to 86400"),
        (changed(T1, wait_s="1.5"), "wait_s", "1.5", "not a whole number"),
        (changed(T1, correctness="maybe"), "correctness", "maybe", "not one of correct"),
        (changed(T1, completeness="all"), "completeness", "all", "not one of complete"),
        (changed(T1, reached="ja"), "reached", "ja", "not one of yes, no"),
        (changed(T1, friendly="y"), "friendly", "y", "not one of yes, no, na"),
        (changed(T1, extra_step="maybe"), "extra_step", "maybe", "not one of yes, no, na"),
        (changed(T1, in_one_go="partly"), "in_one_go", "partly", "not one of yes, no, callback"),
        (changed(T1, attempts="0"), "attempts", "0", "from 1 to 99"),
        (changed(T1, attempts=""), "attempts", "", "required for phone"),
        (changed(T1, reached=""), "reached", "", "required for phone"),
        (changed(T1, wait_s=""), "wait_s", "", "required when reached = yes"),
        (changed(T1, transfers=""), "transfers", "", "required when reached = yes"),
        (changed(T1, in_one_go=""), "in_one_go", "", "required when reached = yes"),
        (changed(T1, correctness=""), "correctness", "", "required when reached = yes"),
        (changed(T1, transfers_warm="no"), "transfers_warm", "no", "empty when transfers is 0"),
        (changed(T1, in_one_go="callback"), "in_one_go", "callback", "callback_promised = yes"),
        (changed(T1, callback_kept="yes"), "callback_kept", "yes", "callback_promised = yes"),
        (changed(T1, channel="fax"), "channel", "fax", "not one of phone, email"),
        (changed(T1, channel="letter"), "channel", "letter", "not one of phone, email"),
        (changed(T1, scenario=""), "scenario", "", "required for every row"),
        (changed(T1, scenario="T" * 65), "scenario", "T" * 65, "longer than 64"),
        (changed(T1, planned_at=""), "planned_at", "", "required for every row"),
        (changed(T1, planned_at="14-04-2026 09:00"), "planned_at", "14-04-2026 09:00", "ISO 8601"),
        (changed(T1, planned_at="2026-04-14"), "planned_at", "2026-04-14", "without a time"),
        (changed(T1, planned_at="1999-04-14T09:00"), "planned_at", "1999-04-14T09:00", "2000"),
        (changed(T1, sent_at="2026-04-14T09:00"), "sent_at", "2026-04-14T09:00", "channel phone"),
        (changed(T1, tone="good"), "tone", "good", "does not apply to channel phone"),
        (changed(M1, attempts="1"), "attempts", "1", "does not apply to channel email"),
        (changed(M1, sent_at=""), "sent_at", "", "required for email"),
        (changed(M1, sent_at="gisteren"), "sent_at", "gisteren", "ISO 8601"),
        (changed(M1, tone=""), "tone", "", "required when answered_at is given"),
        (changed(M1, tone="nice"), "tone", "nice", "not one of good, fair, poor"),
        (
            changed(M1, answered_at="2026-04-21T09:59:00+02:00"),
            "answered_at",
            "2026-04-21T09:59:00+02:00",
            "before sent_at",
        ),
        (
            changed(M1, acknowledged_at="2026-04-21T07:00:00Z"),
            "acknowledged_at",
            "2026-04-21T07:00:00Z",
            "before sent_at",
        ),
    ],
)
def test_a_bad_value_is_an_error_naming_line_column_and_value(
    row: dict[str, str], column: str, value: str, message: str
) -> None:
    parsed = parse_rows(T4, row)
    error = only_error(parsed)
    assert (error.line, error.column, error.value) == (3, column, value)
    assert message in error.message
    assert [r.line for r in parsed.parsed] == [2]


def test_values_are_read_without_case_or_outer_spaces() -> None:
    parsed = parse_rows(changed(T1, reached=" YES ", correctness="Correct", wait_s=" 14"))
    assert parsed.errors == []
    obs = parsed.parsed[0].observation
    assert (obs.reached, obs.correctness, obs.wait_s) == (True, "correct", 14)


def test_an_unreached_phone_question_needs_no_wait_or_answer() -> None:
    assert parse_rows(T4).errors == []


def test_a_counter_question_needs_no_attempts() -> None:
    parsed = parse_rows(changed(T1, channel="counter", attempts=""))
    assert parsed.errors == [] and parsed.parsed[0].observation.attempts is None


def test_an_unanswered_written_question_needs_no_correctness_or_tone() -> None:
    assert parse_rows(EXAMPLE_B[4]).errors == []


def test_every_written_channel_is_read_like_email() -> None:
    rows = [
        changed(M1, channel=channel, scenario=channel)
        for channel in ("webform", "chat", "whatsapp", "social")
    ]
    parsed = parse_rows(*rows)
    assert parsed.errors == [] and len(parsed.parsed) == 4


def test_the_same_question_twice_in_a_file_is_an_error() -> None:
    same_instant = changed(T1, planned_at="2026-04-14T07:00:00Z")
    error = only_error(parse_rows(T1, T4, same_instant))
    assert (error.line, error.column, error.value) == (4, "scenario", "T1")
    assert "same question as line 2" in error.message


def test_well_formed_codes_of_bad_rows_are_still_listed_for_the_municipality_check() -> None:
    parsed = parse_rows(T1, changed(T4, wait_s="", reached="perhaps"))
    assert parsed.municipalities == [MunicipalityRef(2, CODE, NAME), MunicipalityRef(3, CODE, NAME)]


def test_long_values_are_clipped_in_errors() -> None:
    error = only_error(parse_rows(changed(T1, wait_s="9" * 500)))
    assert len(error.value) == MAX_VALUE_CHARS and error.value.endswith("…")


def test_errors_describe_file_line_column_and_value() -> None:
    error = RowError(4, "wait_s", "abc", "not a whole number.")
    assert (
        error.describe("x.csv") == "x.csv, line 4, column wait_s, value 'abc': not a whole number."
    )
    assert error.as_dict() == {
        "line": 4,
        "column": "wait_s",
        "value": "abc",
        "message": "not a whole number.",
    }


def test_a_time_without_offset_is_read_in_amsterdam_across_the_clock_change() -> None:
    winter, _ = parse_instant("2026-03-10T09:00")
    summer, _ = parse_instant("2026-04-14 09:00")
    assert winter is not None and winter.utcoffset() == dt.timedelta(hours=1)
    assert summer is not None and summer.utcoffset() == dt.timedelta(hours=2)
    assert parse_instant("2026-04-14T07:00:00Z")[0] == summer


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-03-29T02:30", "does not exist"),
        ("2026-10-25T02:30", "occurs twice"),
        ("2026-04-31T09:00", "ISO 8601"),
        ("9999-12-31T23:59", "2000 to 2100"),
    ],
)
def test_impossible_ambiguous_or_out_of_range_times_are_errors(value: str, message: str) -> None:
    moment, problem = parse_instant(value)
    assert moment is None and message in problem


def test_an_ambiguous_time_with_an_offset_is_fine() -> None:
    moment, problem = parse_instant("2026-10-25T02:30:00+01:00")
    assert problem == "" and moment is not None


def test_a_broken_quote_is_a_csv_error_with_a_line() -> None:
    text = csv_text(with_municipality([T1])) + 'GM9901,"Meet"dorp,T4\n'
    parsed = parse(text)
    assert any(e.line == 3 and "not valid CSV" in e.message for e in parsed.errors)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_junk_bytes_never_raise(data: bytes) -> None:
    parsed = parse_observations(data)
    assert parsed.errors or parsed.parsed


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(COLUMNS), st.text(max_size=30), min_size=0, max_size=len(COLUMNS)
        ),
        max_size=5,
    )
)
def test_random_cells_parse_or_fail_cleanly(rows: list[dict[str, str]]) -> None:
    parsed = parse(csv_text(rows))
    assert parsed.errors or len(parsed.parsed) == parsed.rows
    assert all(e.line is None or e.line >= 1 for e in parsed.errors)


def test_phone_and_email_helpers_give_the_documented_columns() -> None:
    assert set(phone("T", "2026-04-14T09:00", "1", "no")) <= set(COLUMNS)
    assert set(email("M", "2026-04-14T09:00")) <= set(COLUMNS)

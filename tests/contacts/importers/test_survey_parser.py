"""KTO answers (`survey-csv`): scales, "weet niet", masked comments; pure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetlat.contacts.importers.survey.parser import COLUMNS, parse

SAMPLE = (
    Path(__file__).resolve().parents[3] / "src/meetlat/contacts/importers/survey/samples/kto.csv"
)
HEADER = ",".join(COLUMNS)


def one_row(**cells: str) -> bytes:
    row = {"answer_id": "k1", "answered_at": "2026-03-10T10:00:00+01:00", **cells}
    return (",".join(row) + "\n" + ",".join(row.values()) + "\n").encode()


def test_the_sample_gives_four_answers_with_weet_niet_and_empty_left_out() -> None:
    result = parse(SAMPLE.read_bytes())
    assert result.ok and result.rows == 4 and result.contacts == ()
    first, second, third, fourth = result.answers
    assert (first.grade, first.csat, first.recommend, first.answered_question) == (8, 4, 9, True)
    assert first.contact_ref == "c01" and first.channel == "phone"
    assert first.answered_at == dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    assert second.comment_masked == "Bel mij terug op [TELEFOON], BSN [BSN]."
    assert second.answered_question is False and second.recommend is None
    assert third.grade is None and third.answered_at.hour == 8  # read in --tz (CET)
    assert (fourth.grade, fourth.csat, fourth.answered_question) == (None, None, None)


@pytest.mark.parametrize(
    ("column", "value"),
    [("grade", "11"), ("grade", "0"), ("csat", "6"), ("recommend", "-1"), ("grade", "7.5")],
)
def test_out_of_range_values_name_line_column_and_value(column: str, value: str) -> None:
    result = parse(one_row(**{column: value}))
    assert not result.ok and result.answers == ()
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, column, value)]


def test_weet_niet_is_allowed_on_every_scale() -> None:
    result = parse(
        one_row(grade="Weet niet", csat="weet niet", recommend="", answered_question="weet niet")
    )
    answer = result.answers[0]
    assert (answer.grade, answer.csat, answer.recommend, answer.answered_question) == (None,) * 4


def test_unknown_columns_channels_and_repeated_ids_are_problems() -> None:
    assert parse(b"answer_id,answered_at,cijfer\n").errors[0].column == "cijfer"
    assert parse(one_row(channel="fax")).errors[0].column == "channel"
    data = one_row() + b"k1,2026-03-10T11:00:00+01:00\n"
    assert parse(data).errors[0].message == "appears again (first on line 2)."


def test_an_iban_and_an_email_in_a_comment_are_masked() -> None:
    result = parse(one_row(comment="Stort op NL76MEET0123456789 of mail jan@example.nl"))
    assert result.answers[0].comment_masked == "Stort op [IBAN] of mail [E-MAIL]"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="ab19 ,\"\n-weetni:T", max_size=12), min_size=1,
                         max_size=10), max_size=5))  # fmt: skip
def test_junk_rows_give_problems_or_answers_never_both(rows: list[list[str]]) -> None:
    body = "\n".join(",".join(row) for row in rows)
    result = parse(f"{HEADER}\n{body}".encode())
    assert result.ok == (result.errors == ())
    assert not (result.errors and result.answers)

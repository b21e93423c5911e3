"""Asterisk queue_log (`--format asterisk`): pure parser, old and new layouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from meetlat.contacts.importers.asterisk.parser import parse

SAMPLES = Path(__file__).resolve().parents[3] / "src/meetlat/contacts/importers/asterisk/samples"
T0 = 1773129600  # Tue 10 Mar 2026 08:00 UTC, 09:00 in Amsterdam


def log(*lines: str) -> bytes:
    return "\n".join(lines).encode()


@pytest.mark.parametrize("layout", ["new", "old"])
def test_both_layouts_give_the_same_calls(layout: str) -> None:
    result = parse((SAMPLES / f"queue_log-{layout}-layout.txt").read_bytes())
    assert result.ok and result.rows == 7 and result.open_calls == 2
    calls = {c.contact_id: c for c in result.contacts}
    first = calls["1773129600.11"]
    assert first.started_at == dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
    assert (first.local_hour, first.outcome, first.wait_s, first.handle_s) == (
        9,
        "answered",
        5,
        120,
    )
    assert (first.contact_point, first.customer, first.transfers) == ("kcc", "0612345678", 0)
    transferred = calls["1773130020.21"]
    assert (transferred.transfers, transferred.handle_s) == (1, 180)
    waits = sorted((c.outcome, c.wait_s) for c in result.contacts if c.outcome == "abandoned")
    assert waits == [("abandoned", 2), ("abandoned", 3), ("abandoned", 8), ("abandoned", 45)]
    assert calls["1773130860.41"].customer == ""  # anonymous caller


def test_a_call_still_waiting_or_talking_at_the_end_is_not_counted() -> None:
    waiting = f"{T0}|c1|kcc|NONE|ENTERQUEUE||0611|1"
    talking = (f"{T0 + 9}|c2|kcc|NONE|ENTERQUEUE||0612|2", f"{T0 + 12}|c2|kcc|SIP/1|CONNECT|3|x|1")
    result = parse(log(waiting, *talking))
    assert result.ok and (result.rows, result.open_calls) == (0, 2)


def test_ringnoanswer_does_not_end_a_call_and_the_wait_falls_back_to_the_clock() -> None:
    enter = f"{T0}|c1|kcc|NONE|ENTERQUEUE||0611"
    ring = f"{T0 + 4}|c1|kcc|SIP/1|RINGNOANSWER|4000"
    result = parse(log(enter, ring, f"{T0 + 30}|c1|kcc|NONE|EXITWITHTIMEOUT|1"))
    assert [(c.outcome, c.wait_s) for c in result.contacts] == [("abandoned", 30)]


def test_a_second_entry_after_an_outcome_is_another_contact() -> None:
    first = (f"{T0}|c1|kcc|NONE|ENTERQUEUE||0611", f"{T0 + 5}|c1|kcc|NONE|ABANDON|1|1|5")
    second = (f"{T0 + 60}|c1|wmo|NONE|ENTERQUEUE||0611", f"{T0 + 70}|c1|wmo|NONE|ABANDON|1|1|10")
    result = parse(log(*first, *second))
    assert [c.contact_id for c in result.contacts] == ["c1", "c1-2"]


@pytest.mark.parametrize(
    ("line", "column", "value"),
    [
        ("17731x9600|c1|kcc|NONE|ENTERQUEUE||0611", "time", "17731x9600"),
        (f"{T0}|c1|kcc", "agent", f"{T0}|c1|kcc"),
        (f"{T0 + 5}|c1|kcc|NONE|ABANDON|1|1|vijf", "data3", "vijf"),
    ],
)
def test_a_malformed_line_is_named_with_line_and_field(line: str, column: str, value: str) -> None:
    result = parse(log(f"{T0}|c1|kcc|NONE|ENTERQUEUE||0611", "", line))
    assert [(e.line, e.column, e.value) for e in result.errors] == [(3, column, value)]
    assert result.contacts == ()


def test_an_empty_log_has_no_calls() -> None:
    result = parse(b"\n\n")
    assert result.ok and result.rows == 0

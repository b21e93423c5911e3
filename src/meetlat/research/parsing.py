"""The mystery observations CSV of DESIGN.md, parsed into typed rows or errors; no Django.

One row per planned question. :func:`parse_observations` turns the bytes of a file into
:class:`ParsedRow` values (a :class:`meetlat.calc.observations.Observation` each) and a list of
:class:`RowError` values naming the physical line (header = 1), column and value, following the
rules of METHODOLOGY.md §2.3. It never raises on bad input. The checks that need stored data
(is a code known, is a scenario already another channel's) are in
:mod:`meetlat.research.reconcile`, pure as well.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from zoneinfo import ZoneInfo

from meetlat.calc.observations import CHANNELS, PHONE_CHANNELS, WRITTEN_CHANNELS, Observation

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
CBS_CODE: Final = re.compile(r"^GM\d{4}$")
MAX_ERRORS: Final = 100
MAX_VALUE_CHARS: Final = 200

COLUMNS: Final = (
    "municipality",
    "municipality_name",
    "scenario",
    "channel",
    "planned_at",
    "attempts",
    "reached",
    "wait_s",
    "transfers",
    "transfers_warm",
    "reason_passed_on",
    "callback_promised",
    "callback_kept",
    "in_one_go",
    "correctness",
    "completeness",
    "introduced_name",
    "friendly",
    "plain_language",
    "asked_more_questions",
    "recording_announced",
    "extra_step",
    "sent_at",
    "acknowledged_at",
    "answered_at",
    "tone",
)
REQUIRED_COLUMNS: Final = ("municipality", "scenario", "channel", "planned_at")
BEJEGENING: Final = (
    "introduced_name",
    "friendly",
    "plain_language",
    "asked_more_questions",
    "recording_announced",
)
PHONE_ONLY: Final = (
    "attempts",
    "reached",
    "wait_s",
    "transfers",
    "transfers_warm",
    "reason_passed_on",
    "callback_promised",
    "callback_kept",
    "in_one_go",
    *BEJEGENING,
)
WRITTEN_ONLY: Final = ("sent_at", "acknowledged_at", "answered_at", "tone")

YES_NO: Final = ("yes", "no")
YES_NO_NA: Final = ("yes", "no", "na")
IN_ONE_GO: Final = ("yes", "no", "callback")
CORRECTNESS: Final = ("correct", "partly", "wrong", "none")
COMPLETENESS: Final = ("complete", "more", "partial", "none")
TONE: Final = ("good", "fair", "poor")

MAX_NAME_CHARS: Final = 150
MAX_SCENARIO_CHARS: Final = 64
MAX_ATTEMPTS: Final = 99
MAX_WAIT_S: Final = 86_400
MAX_TRANSFERS: Final = 99
FIRST_YEAR, LAST_YEAR = 2000, 2100

Key = tuple[str, str, str, dt.datetime]


@dataclass(frozen=True)
class RowError:
    """One problem: physical line (header = 1; None for the file), column, value found, message."""

    line: int | None
    column: str | None
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def describe(self, file: str) -> str:
        """`FILE, line 4, column wait_s, value 'abc': not a whole number.`"""
        where = file if self.line is None else f"{file}, line {self.line}"
        if self.column:
            where += f", column {self.column}"
        if self.value:
            where += f", value {self.value!r}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ParsedRow:
    line: int
    observation: Observation

    @property
    def key(self) -> Key:
        """The natural key of a planned question within a wave."""
        obs = self.observation
        assert obs.planned_at is not None  # parse_row requires it
        return (obs.municipality, obs.scenario, obs.channel, obs.planned_at)


@dataclass(frozen=True)
class MunicipalityRef:
    """A well-formed municipality code on a line, with the name given there (maybe empty)."""

    line: int
    code: str
    name: str


@dataclass
class ParsedFile:
    """What a file holds: the data rows (non-blank records), the good rows and the errors.

    ``municipalities`` lists the well-formed codes of every row, good or not, so that unknown
    codes are reported together with the other problems.
    """

    rows: int = 0
    parsed: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    municipalities: list[MunicipalityRef] = field(default_factory=list)


def clip(value: str) -> str:
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


# -- decoding and the header ---------------------------------------------------------------------


def decode(data: bytes) -> tuple[str | None, list[RowError]]:
    """UTF-8 text (a BOM is dropped), or an error naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 1]
        return None, [
            RowError(
                line,
                None,
                f"0x{bad.hex().upper()}",
                "the file is not UTF-8 text (a byte that is not UTF-8; perhaps Windows-1252). "
                "Save it as 'CSV UTF-8'.",
            )
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [RowError(line, None, "0x00", "the file holds a NUL byte; is it a CSV?")]
    return text, []


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) of every non-blank record; csv.Error ends the file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _BrokenCsvError(reader.line_num, str(error)) from error
        start, last = last + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


class _BrokenCsvError(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def header_errors(header: list[str], line: int) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            errors.append(RowError(line, None, "", f"column {position} of the header has no name."))
        elif name in seen:
            errors.append(RowError(line, name, name, "the column occurs twice in the header."))
        elif name not in COLUMNS:
            errors.append(
                RowError(line, name, name, "unknown column; the columns are " + ", ".join(COLUMNS))
            )
        seen.add(name)
    errors.extend(
        RowError(line, name, "", "required column missing from the header.")
        for name in REQUIRED_COLUMNS
        if name not in seen
    )
    return errors


def parse_observations(data: bytes) -> ParsedFile:
    """Parse a whole file: never raises; the caller commits only if ``errors`` is empty."""
    result = ParsedFile()
    text, result.errors = decode(data)
    if text is None:
        return result
    has_header = True
    try:
        has_header = _parse_records(_records(text), result)
    except _BrokenCsvError as broken:
        result.errors.append(RowError(broken.line, None, "", f"not valid CSV: {broken.reason}."))
    if not result.errors and not result.rows:
        line, message = (2, "the file holds no observations") if has_header else (1, "empty file")
        result.errors.append(RowError(line, None, "", message + "; one row per planned question."))
    result.errors.extend(duplicate_errors(result.parsed))
    result.errors.sort(key=lambda e: e.line or 0)
    return result


def _parse_records(records: Iterator[tuple[int, list[str]]], result: ParsedFile) -> bool:
    """Parse the header and the rows into ``result``; False when there is no header."""
    first = next(records, None)
    if first is None:
        return False
    header_line, cells = first
    header = [cell.strip().lower() for cell in cells]
    result.errors.extend(header_errors(header, header_line))
    header_ok = not result.errors
    for line, cells in records:
        result.rows += 1
        if not header_ok:
            continue
        if len(cells) != len(header):
            message = f"the row has {len(cells)} fields; the header has {len(header)}."
            result.errors.append(RowError(line, None, "", message))
            continue
        raw = dict(zip(header, cells, strict=True))
        code, name = (raw.get(c, "").strip() for c in ("municipality", "municipality_name"))
        if CBS_CODE.match(code) and len(name) <= MAX_NAME_CHARS:
            result.municipalities.append(MunicipalityRef(line, code, name))
        observation, errors = parse_row(raw, line)
        result.errors.extend(errors)
        if observation is not None:
            result.parsed.append(ParsedRow(line, observation))
    return True


# -- one row --------------------------------------------------------------------------------------


class _Row:
    """Typed readers for the cells of one row; every problem is collected, none raised."""

    def __init__(self, raw: Mapping[str, str], line: int) -> None:
        self.raw, self.line = raw, line
        self.errors: list[RowError] = []

    def text(self, column: str) -> str:
        return (self.raw.get(column) or "").strip()

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, clip(self.text(column)), message))

    def required(self, column: str, value: object, why: str) -> None:
        if value is None and not any(e.column == column for e in self.errors):
            self.fail(column, f"required {why}.")

    def string(self, column: str, max_chars: int) -> str:
        value = self.text(column)
        if len(value) > max_chars:
            self.fail(column, f"longer than {max_chars} characters.")
        return value

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(column).lower()
        if not value:
            return None
        if value not in allowed:
            self.fail(column, "not one of " + ", ".join(allowed) + " (or empty).")
            return None
        return value

    def yes_no(self, column: str) -> bool | None:
        value = self.choice(column, YES_NO)
        return None if value is None else value == "yes"

    def integer(self, column: str, low: int, high: int) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", value):
            self.fail(column, "not a whole number.")
            return None
        number = int(value)
        if not low <= number <= high:
            self.fail(column, f"must be from {low} to {high}.")
            return None
        return number

    def instant(self, column: str) -> dt.datetime | None:
        value = self.text(column)
        if not value:
            return None
        moment, problem = parse_instant(value)
        if problem:
            self.fail(column, problem)
        return moment

    def forbid(self, columns: Iterable[str], channel: str) -> None:
        for column in columns:
            if self.text(column):
                self.fail(column, f"does not apply to channel {channel}; leave it empty.")


def parse_instant(value: str) -> tuple[dt.datetime | None, str]:
    """An ISO 8601 date and time; without an offset it is read in Europe/Amsterdam."""
    hint = "use ISO 8601 with a time, e.g. 2026-04-14T09:00:00+02:00"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None, f"not an ISO 8601 date-time; {hint}."
    if not re.search(r"\d[T ]\d", value):
        return None, f"a date without a time; {hint}."
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        return None, f"the year must be from {FIRST_YEAR} to {LAST_YEAR}."
    if parsed.tzinfo is not None:
        return parsed, ""
    local = parsed.replace(tzinfo=AMSTERDAM)
    if local.astimezone(dt.UTC).astimezone(AMSTERDAM).replace(tzinfo=None) != parsed:
        return None, "this local time does not exist in Europe/Amsterdam (clock change)."
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        return None, "this local time occurs twice in Europe/Amsterdam; add the offset."
    return local, ""


def parse_row(raw: Mapping[str, str], line: int) -> tuple[Observation | None, list[RowError]]:
    """One CSV row (column → cell) as an Observation, or the errors that stop it."""
    row = _Row(raw, line)
    code = row.text("municipality")
    if not CBS_CODE.match(code):
        row.fail("municipality", "not a CBS municipality code (GM followed by four digits).")
    name = row.string("municipality_name", MAX_NAME_CHARS)
    scenario = row.string("scenario", MAX_SCENARIO_CHARS)
    row.required("scenario", scenario or None, "for every row")
    channel = row.choice("channel", CHANNELS)
    row.required("channel", channel, "for every row")
    planned_at = row.instant("planned_at")
    row.required("planned_at", planned_at, "for every row")
    fields: dict[str, Any] = {}
    if channel in PHONE_CHANNELS:
        fields = _phone_fields(row, channel)
    elif channel in WRITTEN_CHANNELS:
        fields = _written_fields(row, channel)
    extra = row.choice("extra_step", YES_NO_NA)
    if row.errors or channel is None:
        return None, row.errors
    observation = Observation(
        municipality=code,
        municipality_name=name,
        scenario=scenario,
        channel=channel,
        planned_at=planned_at,
        extra_step=extra == "yes",
        **fields,
    )
    return observation, []


def _answer_fields(row: _Row, *, required: bool, why: str) -> dict[str, Any]:
    correctness = row.choice("correctness", CORRECTNESS)
    completeness = row.choice("completeness", COMPLETENESS)
    if required:
        row.required("correctness", correctness, why)
        row.required("completeness", completeness, why)
    return {"correctness": correctness, "completeness": completeness}


def _phone_fields(row: _Row, channel: str) -> dict[str, Any]:
    """Phone and counter (§2.3): attempts, reached, wait, transfers, callbacks, bejegening."""
    row.forbid(WRITTEN_ONLY, channel)
    attempts = row.integer("attempts", 1, MAX_ATTEMPTS)
    if channel == "phone":
        row.required("attempts", attempts, "for phone")
    reached = row.yes_no("reached")
    row.required("reached", reached, f"for {channel}")
    why = "when reached = yes"
    wait_s = row.integer("wait_s", 0, MAX_WAIT_S)
    transfers = row.integer("transfers", 0, MAX_TRANSFERS)
    in_one_go = row.choice("in_one_go", IN_ONE_GO)
    if reached:
        row.required("wait_s", wait_s, why)
        row.required("transfers", transfers, why)
        row.required("in_one_go", in_one_go, why)
    fields = _transfer_fields(row, transfers) | _callback_fields(row, in_one_go)
    fields |= _answer_fields(row, required=bool(reached), why=why)
    fields |= {item: row.choice(item, YES_NO_NA) for item in BEJEGENING}
    return fields | {
        "attempts": attempts,
        "reached": reached,
        "wait_s": wait_s,
        "transfers": transfers,
        "in_one_go": in_one_go,
    }


def _transfer_fields(row: _Row, transfers: int | None) -> dict[str, Any]:
    warm = row.yes_no("transfers_warm")
    reason = row.yes_no("reason_passed_on")
    if transfers == 0:
        for column, value in (("transfers_warm", warm), ("reason_passed_on", reason)):
            if value is not None:
                row.fail(column, "must be empty when transfers is 0.")
    return {"transfers_warm": warm, "reason_passed_on": reason}


def _callback_fields(row: _Row, in_one_go: str | None) -> dict[str, Any]:
    promised = row.yes_no("callback_promised")
    kept = row.yes_no("callback_kept")
    if in_one_go == "callback" and promised is not True:
        row.fail("in_one_go", "in_one_go = callback requires callback_promised = yes.")
    if kept is True and promised is not True:
        row.fail("callback_kept", "callback_kept = yes requires callback_promised = yes.")
    return {"callback_promised": promised, "callback_kept": kept}


def _written_fields(row: _Row, channel: str) -> dict[str, Any]:
    """Written channels (§2.3): sent, acknowledged and answered, tone."""
    row.forbid(PHONE_ONLY, channel)
    sent_at = row.instant("sent_at")
    row.required("sent_at", sent_at, f"for {channel}")
    acknowledged_at = row.instant("acknowledged_at")
    answered_at = row.instant("answered_at")
    for column, moment in (("acknowledged_at", acknowledged_at), ("answered_at", answered_at)):
        if sent_at is not None and moment is not None and moment < sent_at:
            row.fail(column, f"before sent_at ({row.text('sent_at')}).")
    answered = answered_at is not None
    why = "when answered_at is given"
    fields = _answer_fields(row, required=answered, why=why)
    tone = row.choice("tone", TONE)
    if answered:
        row.required("tone", tone, why)
    return fields | {
        "sent_at": sent_at,
        "acknowledged_at": acknowledged_at,
        "answered_at": answered_at,
        "tone": tone,
    }


# -- checks across rows ---------------------------------------------------------------------------


def _describe_key(key: Key) -> str:
    code, scenario, channel, planned_at = key
    return f"{code} {scenario} ({channel}) planned {planned_at.isoformat()}"


def duplicate_errors(rows: Iterable[ParsedRow]) -> list[RowError]:
    """A question (municipality, scenario, channel, planned_at) may occur once in a file."""
    first: dict[Key, int] = {}
    errors: list[RowError] = []
    for row in rows:
        seen = first.setdefault(row.key, row.line)
        if seen != row.line:
            message = f"the same question as line {seen}: {_describe_key(row.key)}."
            errors.append(RowError(row.line, "scenario", row.observation.scenario, message))
    return errors

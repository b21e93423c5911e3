"""KTO answers as a CSV (`--format survey-csv`), parsed as a pure function.

Columns: `answer_id` (required, unique per organisation and source), `contact_id` (optional:
the contact the answer is about), `channel`, `topic`, `answered_at` (required, ISO 8601;
without an offset read in `--tz`), `grade` 1–10, `csat` 1–5, `recommend` 0–10,
`answered_question` (yes/no, ja/nee), `comment`. An empty cell and "weet niet" (or its usual
variants) mean no answer. The comment is PII-masked here: the original is never kept.

Same conventions as the canonical CSV: UTF-8, comma-separated, header row required, problems
name the physical line (header = 1), the column and the value.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Final, TypeVar

from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.kpi_written import DONT_KNOW
from meetlat.calc.pii import mask_pii
from meetlat.contacts.importers.base import (
    ParsedSurveyAnswer,
    ParseResult,
    ProblemList,
    Progress,
)
from meetlat.contacts.importers.csv.cells import CellError, instant
from meetlat.contacts.importers.csv.parser import decode, failed
from meetlat.contacts.importers.events import CONTACT_ID_MAX, TEXT_MAX

__all__ = ["CHANNELS", "COLUMNS", "REQUIRED", "parse"]

COLUMNS: Final[tuple[str, ...]] = (
    "answer_id",
    "contact_id",
    "channel",
    "topic",
    "answered_at",
    "grade",
    "csat",
    "recommend",
    "answered_question",
    "comment",
)
REQUIRED: Final[tuple[str, ...]] = ("answer_id", "answered_at")
CHANNELS: Final[tuple[str, ...]] = (
    "phone",
    "email",
    "webform",
    "chat",
    "whatsapp",
    "social",
    "counter",
    "letter",
)
COMMENT_MAX: Final = 4000
PROGRESS_EVERY: Final = 1000
_SCALES: Final[Mapping[str, tuple[int, int]]] = {
    "grade": (1, 10),
    "csat": (1, 5),
    "recommend": (0, 10),
}
_YES: Final = frozenset({"yes", "ja", "j", "y"})
_NO: Final = frozenset({"no", "nee", "n"})
_NUMBER: Final = re.compile(r"[0-9]{1,3}")
T = TypeVar("T")


def parse(
    data: bytes,
    *,
    tz: dt.tzinfo = AMSTERDAM,
    default_contact_point: str = "",
    progress: Progress | None = None,
) -> ParseResult:
    """Parse a survey CSV; every answer or, with any problem, none (only the problems)."""
    problems = ProblemList()
    text = decode(data, problems)
    if text is None:
        return failed(problems)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _header(reader, problems)
    if header is None:
        return failed(problems)
    answers: list[ParsedSurveyAnswer] = []
    first_line: dict[str, int] = {}
    rows = 0
    for line, row in _rows(reader, header, problems):
        rows += 1
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
        answer = _answer(row, line, tz, problems)
        if answer is None:
            continue
        if answer.answer_id in first_line:
            first = first_line[answer.answer_id]
            problems.add(
                line, "answer_id", answer.answer_id, f"appears again (first on line {first})."
            )
            continue
        first_line[answer.answer_id] = line
        answers.append(answer)
    if progress is not None:
        progress(rows)
    if problems.count:
        return failed(problems, rows)
    return ParseResult(rows, (), (), 0, answers=tuple(answers))


def _header(reader: Iterator[list[str]], problems: ProblemList) -> list[str] | None:
    try:
        raw = next(reader)
    except (csv.Error, StopIteration):
        problems.add(1, "", "", "the header row is missing or malformed.")
        return None
    names = [name.strip().lower() for name in raw]
    start = problems.count
    seen: set[str] = set()
    for name in names:
        if name not in COLUMNS:
            problems.add(
                1, name, name, f"unknown column; the survey columns are {', '.join(COLUMNS)}."
            )
        elif name in seen:
            problems.add(1, name, name, "this column appears twice in the header.")
        seen.add(name)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        problems.add(1, "", "", f"required column(s) missing: {', '.join(missing)}.")
    return None if problems.count > start else names


def _rows(
    reader: Iterator[list[str]], header: list[str], problems: ProblemList
) -> Iterator[tuple[int, dict[str, str]]]:
    """(physical line, cells by column) of each non-blank data row of the right width."""
    while True:
        line = getattr(reader, "line_num", 0) + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.add(line, "", "", f"the CSV is malformed here ({error}); check the quotes.")
            return
        if all(not cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.add(
                line, "", "", f"the row has {len(cells)} cells but the header has {len(header)}."
            )
            continue
        yield line, {name: cell.strip() for name, cell in zip(header, cells, strict=True)}


# --- cells ----------------------------------------------------------------------------------


def _limited(limit: int, *, required: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        if required and not value:
            raise CellError("is required.")
        if len(value) > limit:
            raise CellError(f"is longer than {limit} characters ({len(value)}).")
        return value

    return check


def _channel(value: str) -> str:
    channel = value.lower()
    if channel and channel not in CHANNELS:
        raise CellError(f"must be one of {', '.join(CHANNELS)} or empty.")
    return channel


def _scale(column: str) -> Callable[[str], int | None]:
    low, high = _SCALES[column]

    def check(value: str) -> int | None:
        if value.lower() in DONT_KNOW:
            return None
        if not _NUMBER.fullmatch(value) or not low <= int(value) <= high:
            raise CellError(f"must be a whole number from {low} to {high}, 'weet niet' or empty.")
        return int(value)

    return check


def _yes_no(value: str) -> bool | None:
    answer = value.lower()
    if answer in DONT_KNOW:
        return None
    if answer in _YES or answer in _NO:
        return answer in _YES
    raise CellError("must be yes, no (ja, nee), 'weet niet' or empty.")


def _comment(value: str) -> str:
    if len(value) > COMMENT_MAX:
        raise CellError(f"is longer than {COMMENT_MAX} characters ({len(value)}).")
    return mask_pii(value)[0]


def _answer(
    row: Mapping[str, str], line: int, tz: dt.tzinfo, problems: ProblemList
) -> ParsedSurveyAnswer | None:
    """One row as an answer, or None after adding its problems."""
    before = problems.count

    def cell(column: str, convert: Callable[[str], T], empty: T) -> T:
        value = row.get(column, "")
        try:
            return convert(value)
        except CellError as error:
            problems.add(line, column, value, f"{column} {error}")
            return empty

    answer_id = cell("answer_id", _limited(CONTACT_ID_MAX, required=True), "")
    contact_ref = cell("contact_id", _limited(CONTACT_ID_MAX), "")
    channel = cell("channel", _channel, "")
    topic = cell("topic", _limited(TEXT_MAX), "")
    answered_at = cell("answered_at", lambda v: instant(v, tz), None)
    grade = cell("grade", _scale("grade"), None)
    csat = cell("csat", _scale("csat"), None)
    recommend = cell("recommend", _scale("recommend"), None)
    answered_question = cell("answered_question", _yes_no, None)
    comment = cell("comment", _comment, "")
    if problems.count > before or answered_at is None:
        return None
    return ParsedSurveyAnswer(
        line=line,
        answer_id=answer_id,
        contact_ref=contact_ref,
        channel=channel,
        topic=topic,
        answered_at=answered_at,
        grade=grade,
        csat=csat,
        recommend=recommend,
        answered_question=answered_question,
        comment_masked=comment,
    )

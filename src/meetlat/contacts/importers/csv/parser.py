"""The canonical contact CSV of DESIGN.md ("Contact import formats"), parsed as a pure function.

UTF-8 (a byte-order mark is fine), comma-separated, header row required. Every cell is text:
a cell such as `=SUM(A1)` is stored as written, never evaluated. Problems are collected per row
and name the physical line (header = 1; a line ends with LF, CR LF or a lone CR), the column
and the value found.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Final, Protocol, TypeVar

from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.kpi import OUTCOMES
from meetlat.contacts.importers.base import (
    ParsedContact,
    ParseResult,
    ProblemList,
    Progress,
)

__all__ = ["COLUMNS", "REQUIRED", "CellError", "Layout", "decode", "parse", "parse_table"]

COLUMNS: Final[tuple[str, ...]] = (
    "contact_id",
    "started_at",
    "contact_point",
    "outcome",
    "wait_s",
    "handle_s",
    "agent",
    "transfers",
    "topic",
    "customer",
    "resolved_first_contact",
)
REQUIRED: Final[tuple[str, ...]] = ("contact_id", "started_at", "outcome", "wait_s")
MAX_LENGTH: Final[Mapping[str, int]] = {
    "contact_id": 128,
    "contact_point": 100,
    "topic": 100,
    "agent": 200,
    "customer": 200,
}
MAX_INTEGER: Final = 2_147_483_647
PROGRESS_EVERY: Final = 1000
_DIGITS = re.compile(r"[0-9]+")
_LINE_END = re.compile(rb"\r\n|\r|\n")
_OFFERED: Final = frozenset({"answered", "abandoned"})
_OUTCOME_LIST: Final = ", ".join(sorted(OUTCOMES))
_YES_NO: Final[Mapping[str, bool | None]] = {"": None, "yes": True, "no": False}
T = TypeVar("T")


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why."""


def parse(
    data: bytes,
    *,
    tz: dt.tzinfo = AMSTERDAM,
    default_contact_point: str = "",
    progress: Progress | None = None,
) -> ParseResult:
    """Parse a canonical CSV file; `started_at` without an offset is read in `tz`."""
    problems = ProblemList()
    text = decode(data, problems)
    if text is None:
        return failed(problems)
    return parse_table(
        text,
        layout=CanonicalLayout(),
        tz=tz,
        default_contact_point=default_contact_point,
        progress=progress,
    )


class Layout(Protocol):
    """How a CSV layout names its columns: the canonical one, or a `--mapping`."""

    delimiter: str

    def header(self, raw: list[str], problems: ProblemList) -> list[str] | None:
        """The header's column names, or None after adding its problems."""

    def skip(self, row: Mapping[str, str]) -> bool:
        """Whether a data row is left out on purpose (not counted, not checked)."""

    def canonical(
        self, row: Mapping[str, str], line: int, problems: ProblemList
    ) -> dict[str, str] | None:
        """The row's cells under canonical names, or None after adding its problems."""

    def source_column(self, column: str) -> str:
        """The file's name of a canonical column, as problems name it."""


class CanonicalLayout:
    """The canonical columns of DESIGN.md, comma-separated."""

    delimiter = ","

    def header(self, raw: list[str], problems: ProblemList) -> list[str] | None:
        return _header(raw, problems)

    def skip(self, row: Mapping[str, str]) -> bool:
        return False

    def canonical(
        self, row: Mapping[str, str], line: int, problems: ProblemList
    ) -> dict[str, str] | None:
        return dict(row)

    def source_column(self, column: str) -> str:
        return column


def failed(problems: ProblemList, rows: int = 0) -> ParseResult:
    return ParseResult(rows, (), tuple(problems.errors), problems.count)


def parse_table(
    text: str,
    *,
    layout: Layout,
    tz: dt.tzinfo,
    default_contact_point: str = "",
    progress: Progress | None = None,
) -> ParseResult:
    """Parse decoded CSV text in a layout; problems name the physical line and source column."""
    problems = ProblemList()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter, strict=True)
    header = _header_row(reader, layout, problems)
    if header is None:
        return failed(problems)
    contacts: list[ParsedContact] = []
    first_line: dict[str, int] = {}
    rows = 0
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.add(line, "", "", f"the CSV is malformed here ({error}); check the quotes.")
            break
        if all(not cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(header):
            rows += 1
            problems.add(
                line, "", "", f"the row has {len(cells)} cells but the header has {len(header)}."
            )
            continue
        source = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        if layout.skip(source):
            continue
        rows += 1
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
        row = layout.canonical(source, line, problems)
        if row is None:
            continue
        contact = _contact(row, line, tz, default_contact_point.strip(), problems, layout)
        if contact is None:
            continue
        if contact.contact_id in first_line:
            first = first_line[contact.contact_id]
            problems.add(
                line,
                layout.source_column("contact_id"),
                contact.contact_id,
                f"appears again (first on line {first}).",
            )
            continue
        first_line[contact.contact_id] = line
        contacts.append(contact)
    if progress is not None:
        progress(rows)
    if problems.count:
        return failed(problems, rows)
    return ParseResult(rows, tuple(contacts), (), 0)


def _header_row(
    reader: Iterator[list[str]], layout: Layout, problems: ProblemList
) -> list[str] | None:
    try:
        raw = next(reader)
    except csv.Error as error:
        problems.add(1, "", "", f"the header row is malformed ({error}).")
        return None
    except StopIteration:
        problems.add(1, "", "", "the file is empty; expected a header row and contacts.")
        return None
    return layout.header(raw, problems)


def decode(data: bytes, problems: ProblemList, encoding: str = "utf-8") -> str | None:
    """The file's text (a UTF-8 byte-order mark is dropped), or None after adding a problem."""
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        byte = f"0x{data[error.start]:02x}"
        advice = (
            "Save it as UTF-8 (in Excel: 'CSV UTF-8')."
            if encoding == "utf-8"
            else "Check the encoding in the mapping."
        )
        problems.add(
            line,
            "",
            byte,
            f"the file is not {encoding.upper()} text: byte {byte} cannot be read. {advice}",
        )
        return None
    if not text.strip():
        problems.add(1, "", "", "the file is empty; expected a header row and contacts.")
        return None
    if "\x00" in text:
        line = _line_of(data, data.index(b"\x00"))
        problems.add(line, "", "", "the file contains a NUL character; is it a CSV text file?")
        return None
    return text


def _line_of(data: bytes, offset: int) -> int:
    """The physical line (from 1) of a byte offset."""
    return len(_LINE_END.findall(data, 0, offset)) + 1


def _header(raw: list[str], problems: ProblemList) -> list[str] | None:
    names = [name.strip().lower() for name in raw]
    start = problems.count
    if len(names) == 1 and ";" in names[0]:
        problems.add(
            1,
            "",
            raw[0],
            "the header is separated by semicolons; the canonical CSV uses commas "
            "(other layouts need --mapping).",
        )
        return None
    seen: set[str] = set()
    for name in names:
        if name not in COLUMNS:
            problems.add(
                1,
                name,
                name,
                f"unknown column; the canonical columns are {', '.join(COLUMNS)} "
                "(other layouts need --mapping).",
            )
        elif name in seen:
            problems.add(1, name, name, "this column appears twice in the header.")
        seen.add(name)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        problems.add(1, "", "", f"required column(s) missing: {', '.join(missing)}.")
    return None if problems.count > start else names


# --- cells ----------------------------------------------------------------------------------


def _text(value: str, column: str) -> str:
    limit = MAX_LENGTH[column]
    if len(value) > limit:
        raise CellError(f"is longer than {limit} characters ({len(value)}).")
    return value


def _contact_id(value: str) -> str:
    if not value:
        raise CellError("is required.")
    return _text(value, "contact_id")


def _instant(value: str, tz: dt.tzinfo) -> dt.datetime:
    if not value:
        raise CellError("is required.")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or len(value) <= len("2026-03-10"):
        raise CellError(
            "is not an ISO 8601 date and time (e.g. 2026-03-10T09:00:00+01:00 or, "
            "read in --tz, 2026-03-10 09:00)."
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    try:
        instant = parsed.astimezone(dt.UTC)
        instant.astimezone(AMSTERDAM)
    except (OverflowError, ValueError):
        raise CellError("is out of range.") from None
    return instant


def _outcome(value: str) -> str:
    outcome = value.lower()
    if outcome not in OUTCOMES:
        raise CellError(f"must be one of {_OUTCOME_LIST}." if value else "is required.")
    return outcome


def _whole(value: str, unit: str) -> int | None:
    if not value:
        return None
    if not _DIGITS.fullmatch(value):
        raise CellError(f"is not a whole number of {unit} (0 or more).")
    number = int(value)
    if number > MAX_INTEGER:
        raise CellError(f"is too large (at most {MAX_INTEGER}).")
    return number


def _yes_no(value: str) -> bool | None:
    try:
        return _YES_NO[value.lower()]
    except KeyError:
        raise CellError("must be yes, no or empty.") from None


def _contact(
    row: Mapping[str, str],
    line: int,
    tz: dt.tzinfo,
    default_contact_point: str,
    problems: ProblemList,
    layout: Layout,
) -> ParsedContact | None:
    """One row in canonical form, or None after adding its problems."""
    before = problems.count

    def cell(column: str, convert: Callable[[str], T], empty: T) -> T:
        value = row.get(column, "")
        try:
            return convert(value)
        except CellError as error:
            problems.add(line, layout.source_column(column), value, f"{column} {error}")
            return empty

    contact_id = cell("contact_id", _contact_id, "")
    started_at = cell("started_at", lambda v: _instant(v, tz), None)
    outcome = cell("outcome", _outcome, "")
    wait_s = cell("wait_s", lambda v: _whole(v, "seconds"), None)
    if outcome in _OFFERED and wait_s is None and not row.get("wait_s"):
        problems.add(
            line,
            layout.source_column("wait_s"),
            "",
            f"wait_s is required when the outcome is {outcome}.",
        )
    handle_s = cell("handle_s", lambda v: _whole(v, "seconds"), None)
    transfers = cell("transfers", lambda v: _whole(v, "transfers"), None)
    resolved = cell("resolved_first_contact", _yes_no, None)
    texts = {
        column: cell(column, partial(_text, column=column), "")
        for column in ("contact_point", "topic", "agent", "customer")
    }
    if problems.count > before or started_at is None:
        return None
    local = started_at.astimezone(AMSTERDAM)
    return ParsedContact(
        line=line,
        contact_id=contact_id,
        channel="phone",
        started_at=started_at,
        local_date=local.date(),
        local_hour=local.hour,
        outcome=outcome,
        wait_s=wait_s,
        handle_s=handle_s,
        transfers=transfers,
        contact_point=texts["contact_point"] or default_contact_point,
        topic=texts["topic"],
        agent=texts["agent"],
        customer=texts["customer"],
        resolved_first_contact=resolved,
    )

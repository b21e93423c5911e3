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
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Final, Protocol, TypeVar

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.base import (
    ParsedContact,
    ParseResult,
    ProblemList,
    Progress,
)
from meetlat.contacts.importers.csv.cells import (
    OFFERED,
    CellError,
    channel,
    contact_id,
    instant,
    local_date_hour,
    outcome,
    text,
    whole,
    yes_no,
)
from meetlat.contacts.importers.csv.rows import FIELDS, RowReader

__all__ = ["COLUMNS", "REQUIRED", "CellError", "Layout", "decode", "parse", "parse_table"]

COLUMNS: Final[tuple[str, ...]] = FIELDS
REQUIRED: Final[tuple[str, ...]] = ("contact_id", "started_at", "outcome", "wait_s")
PROGRESS_EVERY: Final = 1000
_LINE_END = re.compile(rb"\r\n|\r|\n")
T = TypeVar("T")


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

    def positions(self, header: Sequence[str]) -> list[int] | None:
        """Where each canonical column (`FIELDS`) is in a row, `len(header)` for one that is
        absent; None when rows are translated by `canonical` instead."""

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

    def positions(self, header: Sequence[str]) -> list[int] | None:
        return [header.index(name) if name in header else len(header) for name in FIELDS]

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
    """Parse decoded CSV text in a layout; problems name the physical line and source column.

    Valid rows take the fast path (`csv.rows.RowReader`); a row it refuses is read again by
    `_contact`, which names each problem.
    """
    problems = ProblemList()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter, strict=True)
    header = _header_row(reader, layout, problems)
    if header is None:
        return failed(problems)
    width = len(header)
    positions = layout.positions(header)
    pad = positions is not None and width in positions  # an absent column reads as ""
    default_point = default_contact_point.strip()
    fast = RowReader(positions or range(len(FIELDS)), tz, default_point)
    contacts: list[ParsedContact] = []
    first_line: dict[str, int] = {}
    rows = 0
    line = reader.line_num + 1  # where the next row starts
    try:
        for cells in reader:
            here, line = line, reader.line_num + 1
            if not cells or (not cells[0].strip() and all(not cell.strip() for cell in cells)):
                continue  # a blank line
            if len(cells) != width:
                rows += 1
                problems.add(
                    here, "", "", f"the row has {len(cells)} cells but the header has {width}."
                )
                continue
            row: Mapping[str, str] | None = None
            if positions is None:  # a mapped layout: its cells under canonical names
                source = _stripped(header, cells)
                if layout.skip(source):
                    continue
            rows += 1
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(rows)
            if positions is None:
                row = layout.canonical(source, here, problems)
                if row is None:
                    continue
                cells = [row.get(name, "") for name in FIELDS]
            elif pad:
                cells.append("")
            contact = fast.contact(cells, here)
            if contact is None:  # read again cell by cell, naming each problem
                if row is None:
                    row = _stripped(header, cells[:width])
                contact = contact_of_row(row, here, tz, default_point, problems, layout)
                if contact is None:
                    continue
            first = first_line.setdefault(contact.contact_id, here)
            if first != here:
                problems.add(
                    here,
                    layout.source_column("contact_id"),
                    contact.contact_id,
                    f"appears again (first on line {first}).",
                )
                continue
            contacts.append(contact)
    except csv.Error as error:
        problems.add(line, "", "", f"the CSV is malformed here ({error}); check the quotes.")
    if progress is not None:
        progress(rows)
    if problems.count:
        return failed(problems, rows)
    return ParseResult(rows, tuple(contacts), (), 0)


def _stripped(header: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    return {name: cell.strip() for name, cell in zip(header, cells, strict=True)}


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


def contact_of_row(
    row: Mapping[str, str],
    line: int,
    tz: dt.tzinfo,
    default_contact_point: str,
    problems: ProblemList,
    layout: Layout,
) -> ParsedContact | None:
    """One row read cell by cell, or None after adding each of its problems (the reference
    the fast `RowReader` agrees with; it reads again the rows that one refuses)."""
    before = problems.count

    def cell(column: str, convert: Callable[[str], T], empty: T) -> T:
        value = row.get(column, "")
        try:
            return convert(value)
        except CellError as error:
            problems.add(line, layout.source_column(column), value, f"{column} {error}")
            return empty

    cid = cell("contact_id", contact_id, "")
    kind = cell("channel", channel, "phone")
    started_at = cell("started_at", lambda v: instant(v, tz), None)
    result = cell("outcome", outcome, "")
    wait_s = cell("wait_s", lambda v: whole(v, "seconds"), None)
    if result in OFFERED and wait_s is None and not row.get("wait_s"):
        problems.add(
            line,
            layout.source_column("wait_s"),
            "",
            f"wait_s is required when the outcome is {result}.",
        )
    handle_s = cell("handle_s", lambda v: whole(v, "seconds"), None)
    transfers = cell("transfers", lambda v: whole(v, "transfers"), None)
    resolved = cell("resolved_first_contact", yes_no, None)
    moments = {
        column: cell(column, lambda v: instant(v, tz) if v else None, None)
        for column in ("callback_due_at", "callback_done_at", "appointment_at")
    }
    texts = {
        column: cell(column, partial(text, column=column), "")
        for column in ("contact_point", "topic", "agent", "customer")
    }
    if problems.count > before or started_at is None:
        return None
    local_date, local_hour = local_date_hour(started_at)
    return ParsedContact(
        line=line,
        contact_id=cid,
        channel=kind,
        started_at=started_at,
        local_date=local_date,
        local_hour=local_hour,
        outcome=result,
        wait_s=wait_s,
        handle_s=handle_s,
        transfers=transfers,
        contact_point=texts["contact_point"] or default_contact_point,
        topic=texts["topic"],
        agent=texts["agent"],
        customer=texts["customer"],
        resolved_first_contact=resolved,
        callback_due_at=moments["callback_due_at"],
        callback_done_at=moments["callback_done_at"],
        appointment_at=moments["appointment_at"],
    )

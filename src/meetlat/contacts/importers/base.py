"""What every contact importer returns: parsed contacts and the problems found, per row.

An importer's parser is a pure function (no Django, no database): bytes in, a `ParseResult`
out. The service (`contacts.services.contacts_import`) hashes ids, resolves contact points and
commits all rows or none. STYLE.md practice 3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple, Protocol, TypedDict

MAX_ERRORS: Final = 100
"""At most this many problems are reported (DESIGN.md: "reports up to 100 problems")."""
MAX_VALUE_SHOWN: Final = 80
"""A value quoted in a problem is cut to this many characters."""

Progress = Callable[[int], None]
"""Called now and then with the number of rows read so far."""


class RowErrorJson(TypedDict):
    line: int
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class RowError:
    """One problem: physical line in the file (header = 1), column, the value found, why."""

    line: int
    column: str
    value: str
    message: str

    def to_json(self) -> RowErrorJson:
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def describe(self, file_name: str) -> str:
        """A readable line naming file, line, column and value."""
        where = f"{file_name}, line {self.line}"
        if self.column:
            where += f", column {self.column}"
        found = f" (found {self.value!r})" if self.value else ""
        return f"{where}: {self.message}{found}"


def shown(value: str) -> str:
    """A value as quoted in a problem: cut to MAX_VALUE_SHOWN characters."""
    if len(value) <= MAX_VALUE_SHOWN:
        return value
    return value[: MAX_VALUE_SHOWN - 1] + "…"


class ParsedContact(NamedTuple):
    """One valid row, in canonical form. `agent` and `customer` are still the raw source ids:
    the service pseudonymises them and never stores them.

    A named tuple rather than a frozen dataclass: as immutable, and built some six times faster
    (an import builds a million of them).
    """

    line: int
    contact_id: str
    channel: str
    started_at: dt.datetime  # aware, UTC
    local_date: dt.date  # Europe/Amsterdam
    local_hour: int
    outcome: str
    wait_s: int | None
    handle_s: int | None
    transfers: int | None
    contact_point: str
    topic: str
    agent: str
    customer: str
    resolved_first_contact: bool | None
    # written channels and chat (METHODOLOGY.md §4.3); empty for calls
    acknowledged_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    term_notice_at: dt.datetime | None = None
    first_response_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    # a callback request: the promised moment and when it was done; a counter visit: its
    # appointment (none: a walk-in). METHODOLOGY.md §4.3
    callback_due_at: dt.datetime | None = None
    callback_done_at: dt.datetime | None = None
    appointment_at: dt.datetime | None = None
    subject_masked: str = ""


@dataclass(frozen=True)
class ParsedSurveyAnswer:
    """One valid KTO answer (`survey-csv`); the comment is already PII-masked."""

    line: int
    answer_id: str
    contact_ref: str
    channel: str
    topic: str
    answered_at: dt.datetime  # aware, UTC
    grade: int | None
    csat: int | None
    recommend: int | None
    answered_question: bool | None
    comment_masked: str


@dataclass
class ProblemList:
    """Collects problems; keeps the first MAX_ERRORS and counts the rest."""

    errors: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, line: int, column: str, value: str, message: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, shown(value), message))


@dataclass(frozen=True)
class ParseResult:
    """`rows` data rows were read; `contacts` holds them when `errors` is empty."""

    rows: int
    contacts: tuple[ParsedContact, ...]
    errors: tuple[RowError, ...]
    error_count: int
    answers: tuple[ParsedSurveyAnswer, ...] = ()
    open_calls: int = 0
    """Calls without a final outcome at the end of the file (`asterisk`): not counted."""

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class Parser(Protocol):
    def __call__(
        self,
        data: bytes,
        *,
        tz: dt.tzinfo,
        default_contact_point: str = "",
        progress: Progress | None = None,
    ) -> ParseResult: ...


class MailParser(Protocol):
    """A parser of e-mail (`eml`, `mbox`): it needs the organisation's own domains to tell
    outgoing messages from incoming ones."""

    def __call__(
        self,
        data: bytes,
        *,
        tz: dt.tzinfo,
        default_contact_point: str = "",
        progress: Progress | None = None,
        own_domains: Sequence[str] = (),
    ) -> ParseResult: ...

"""The fast path of the CSV parser: valid rows to contacts with memoised cell values.

A contact export repeats most of its values: a handful of outcomes, contact points and topics,
some hundreds of wait and handle times, tens of agents, thousands of customers, and many calls
in every hour. `RowReader` converts each distinct cell text once, with the functions of
`csv.cells`, and looks it up after that; the Amsterdam date and hour are worked out once per
UTC hour. A row with any problem gives None: the parser then reads that row again cell by cell
and reports each of its problems (so both paths share one definition of a valid value).

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Final, TypeVar

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.base import ParsedContact
from meetlat.contacts.importers.csv.cells import (
    OFFERED,
    CellError,
    channel,
    contact_id,
    instant,
    local_date_hour,
    outcome,
    text,
    utc_instant,
    whole,
    yes_no,
)

__all__ = ["FIELDS", "RowReader"]

FIELDS: Final = (
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
    "callback_due_at",
    "callback_done_at",
    "appointment_at",
    "channel",
)
"""The canonical columns a `RowReader` reads, in the order of its `positions`: contact_id and
started_at, the memoised ones (`CONVERTERS`), the optional moments (mostly empty), and the
channel (empty: phone)."""
MEMOISED: Final = slice(2, 11)
MOMENTS: Final = slice(11, 14)
CHANNEL: Final = 14
MEMO_MAX: Final = 100_000
"""A column stops memoising after this many distinct values (e.g. a customer id per call)."""
_HOUR: Final = dt.timedelta(hours=1)
_TICK: Final = dt.timedelta(microseconds=1)
T = TypeVar("T")
LocalHour = tuple[dt.date, int]


def _hour_local(moment: dt.datetime) -> LocalHour | None:
    """The Amsterdam date and hour shared by every instant of the UTC hour of `moment`.

    None when the hour has no single one: an offset of other than whole hours, a change of
    offset within the hour, or a local time out of range.
    """
    start = moment.replace(minute=0, second=0, microsecond=0)
    try:
        first = start.astimezone(AMSTERDAM)
        last = (start + _HOUR - _TICK).astimezone(AMSTERDAM)
    except (OverflowError, ValueError):
        return None
    offset = first.utcoffset()
    if offset is None or offset != last.utcoffset() or offset % _HOUR:
        return None
    return first.date(), first.hour


class RowReader:
    """Reads the valid rows of one file; `positions` are the row indices of `FIELDS`."""

    def __init__(self, positions: Sequence[int], tz: dt.tzinfo, default_contact_point: str):
        self._contact_id, self._started_at = positions[0], positions[1]
        self._pick = operator.itemgetter(*positions[MEMOISED])
        self._moments = operator.itemgetter(*positions[MOMENTS])
        self._channel = positions[CHANNEL]
        self._channels: dict[str, str] = {}
        self._tz = tz
        self._default_point = default_contact_point
        by_converter: dict[Callable[[str], Any], dict[str, Any]] = {}  # wait, handle, transfers
        self._memos = tuple(by_converter.setdefault(c, {}) for c in CONVERTERS)  # share one
        self._hours: dict[int, LocalHour | None] = {}

    def contact(self, cells: Sequence[str], line: int) -> ParsedContact | None:
        """The row's contact, or None when any cell has a problem."""
        raw = self._pick(cells)
        try:
            try:  # every value seen before: look-ups only
                values = tuple(map(operator.getitem, self._memos, raw))
            except KeyError:
                values = tuple(map(_learn, self._memos, raw, CONVERTERS))
            point, outcome_value, wait_s, handle_s, agent, transfers, topic, customer, resolved = (
                values
            )
            if wait_s is None and outcome_value in OFFERED:
                return None
            moment = utc_instant(cells[self._started_at].strip(), self._tz)
            local_date, local_hour = self._local(moment)
            due, done, appointment = self._moments(cells)
            return ParsedContact(
                line,
                contact_id(cells[self._contact_id].strip()),
                _learn(self._channels, cells[self._channel], channel),
                moment,
                local_date,
                local_hour,
                outcome_value,
                wait_s,
                handle_s,
                transfers,
                point or self._default_point,
                topic,
                agent,
                customer,
                resolved,
                callback_due_at=None if not due else self._moment(due),
                callback_done_at=None if not done else self._moment(done),
                appointment_at=None if not appointment else self._moment(appointment),
            )
        except CellError:
            return None

    def _moment(self, raw: str) -> dt.datetime | None:
        value = raw.strip()
        return instant(value, self._tz) if value else None

    def _local(self, moment: dt.datetime) -> LocalHour:
        """The Amsterdam date and hour of an instant, worked out once per UTC hour."""
        key = moment.toordinal() * 24 + moment.hour
        try:
            found = self._hours[key]
        except KeyError:
            found = self._hours[key] = _hour_local(moment)
        if found is not None:
            return found
        try:
            return local_date_hour(moment)
        except (OverflowError, ValueError):
            raise CellError("is out of range.") from None


def _learn(memo: dict[str, T], raw: str, convert: Callable[[str], T]) -> T:
    """Convert a raw cell (stripped first) and remember it; CellError for a bad one."""
    try:
        return memo[raw]
    except KeyError:
        value = convert(raw.strip())
        if len(memo) < MEMO_MAX:
            memo[raw] = value
        return value


def _number(value: str) -> int | None:
    """A count or duration; the unit only matters for the message, which the slow path gives."""
    return whole(value, "")


CONVERTERS: Final[tuple[Callable[[str], Any], ...]] = (
    partial(text, column="contact_point"),
    outcome,
    _number,
    _number,
    partial(text, column="agent"),
    _number,
    partial(text, column="topic"),
    partial(text, column="customer"),
    yes_no,
)
"""How each memoised column (`FIELDS[MEMOISED]`) is read, in that order."""

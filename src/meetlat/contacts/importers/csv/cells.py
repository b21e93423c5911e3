"""The cells of the canonical contact CSV: each read and checked by one small function.

A function takes the cell's text (already stripped) and returns its value, or raises
`CellError` whose message says why the value is not acceptable. The parser (`csv.parser`) and
its fast row reader (`csv.rows`) share these, so a value means the same on either path.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Final

from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.kpi import OUTCOMES

__all__ = [
    "MAX_INTEGER",
    "MAX_LENGTH",
    "OFFERED",
    "CellError",
    "contact_id",
    "instant",
    "local_date_hour",
    "outcome",
    "text",
    "utc_instant",
    "whole",
    "yes_no",
]

MAX_LENGTH: Final[Mapping[str, int]] = {
    "contact_id": 128,
    "contact_point": 100,
    "topic": 100,
    "agent": 200,
    "customer": 200,
}
MAX_INTEGER: Final = 2_147_483_647
OFFERED: Final = frozenset({"answered", "abandoned"})
"""Outcomes of calls that reached the queue: they need a wait_s."""
_DIGITS = re.compile(r"[0-9]+")
_OUTCOME_LIST: Final = ", ".join(sorted(OUTCOMES))
_YES_NO: Final[Mapping[str, bool | None]] = {"": None, "yes": True, "no": False}
_DATE_ONLY: Final = len("2026-03-10")


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why."""


def text(value: str, column: str) -> str:
    limit = MAX_LENGTH[column]
    if len(value) > limit:
        raise CellError(f"is longer than {limit} characters ({len(value)}).")
    return value


def contact_id(value: str) -> str:
    if not value:
        raise CellError("is required.")
    return text(value, "contact_id")


def instant(value: str, tz: dt.tzinfo) -> dt.datetime:
    """An ISO 8601 date and time as an aware UTC instant; without an offset it is read in `tz`.

    The instant must also have an Amsterdam local time (its local date is stored).
    """
    moment = utc_instant(value, tz)
    try:
        moment.astimezone(AMSTERDAM)
    except (OverflowError, ValueError):
        raise CellError("is out of range.") from None
    return moment


def utc_instant(value: str, tz: dt.tzinfo) -> dt.datetime:
    """`instant` without the check of the Amsterdam local time (the caller makes it)."""
    if not value:
        raise CellError("is required.")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or len(value) <= _DATE_ONLY:
        raise CellError(
            "is not an ISO 8601 date and time (e.g. 2026-03-10T09:00:00+01:00 or, "
            "read in --tz, 2026-03-10 09:00)."
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    try:
        return parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise CellError("is out of range.") from None


def local_date_hour(moment: dt.datetime) -> tuple[dt.date, int]:
    """The Amsterdam date and hour of an instant."""
    local = moment.astimezone(AMSTERDAM)
    return local.date(), local.hour


def outcome(value: str) -> str:
    lowered = value.lower()
    if lowered not in OUTCOMES:
        raise CellError(f"must be one of {_OUTCOME_LIST}." if value else "is required.")
    return lowered


CSV_CHANNELS: Final = ("phone", "counter")
"""The channels a canonical CSV row can be: a call (default) or a counter visit (balie)."""


def channel(value: str) -> str:
    """`phone` (also for an empty cell) or `counter`."""
    lowered = value.lower() or "phone"
    if lowered not in CSV_CHANNELS:
        raise CellError(f"must be one of {', '.join(CSV_CHANNELS)} (empty means phone).")
    return lowered


def whole(value: str, unit: str) -> int | None:
    if not value:
        return None
    if not _DIGITS.fullmatch(value):
        raise CellError(f"is not a whole number of {unit} (0 or more).")
    number = int(value)
    if number > MAX_INTEGER:
        raise CellError(f"is too large (at most {MAX_INTEGER}).")
    return number


def yes_no(value: str) -> bool | None:
    try:
        return _YES_NO[value.lower()]
    except KeyError:
        raise CellError("must be yes, no or empty.") from None

"""Shared helpers for meetlat's management commands (the CLI contract of DESIGN.md).

Exit status: 0 success, 2 bad input (a message naming file, line and field), 1 other failure.
``--json`` prints exactly one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import CommandError

BAD_INPUT = 2


def bad_input(message: str) -> NoReturn:
    raise CommandError(message, returncode=BAD_INPUT)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"Cannot serialise {type(value).__name__}")


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        bad_input(f"{option}: {value!r} is not a date (use YYYY-MM-DD).")


def parse_instant(value: str, option: str, tz: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is read in ``tz``."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        bad_input(f"{option}: {value!r} is not a date-time (use e.g. 2026-04-24T10:00:00+02:00).")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def parse_zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        bad_input(f"--tz: {value!r} is not a known time zone (e.g. Europe/Amsterdam).")

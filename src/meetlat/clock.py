"""The one place that asks for the current time. Tests freeze it with time-machine."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return dt.datetime.now(tz=dt.UTC)


def today_local(tz: ZoneInfo = AMSTERDAM) -> dt.date:
    """Today's date in the given zone (Europe/Amsterdam by default)."""
    return now().astimezone(tz).date()

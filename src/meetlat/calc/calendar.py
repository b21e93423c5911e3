"""The Dutch working-day calendar (METHODOLOGY.md §5), pure Python.

Working days are Monday to Friday except the holidays of the Algemene termijnenwet (Atw),
5 May every year, and the equal days and closing days an organisation configures. Good Friday
is a working day unless configured closed. All instants are aware datetimes; days, office
hours and deadlines are reckoned in the calendar's zone (Europe/Amsterdam by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
END_OF_DAY = dt.time(23, 59, 59)
_ONE_DAY = dt.timedelta(days=1)
_KINGS_DAY_FROM = 2014  # before 2014 the monarch's day was Queen's Day, 30 April


class Mode24h(StrEnum):
    """The three readings of "within 24 hours" (METHODOLOGY.md §4.3)."""

    CLOCK_24H = "clock_24h"
    OFFICE_HOURS_24H = "office_hours_24h"
    NEXT_WORKING_DAY = "next_working_day"


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def monarchs_day(year: int) -> dt.date:
    """King's Day: 27 April, or 26 April when the 27th is a Sunday (Queen's Day before 2014)."""
    day = 27 if year >= _KINGS_DAY_FROM else 30
    date = dt.date(year, 4, day)
    if date.weekday() == 6:  # Sunday
        date -= _ONE_DAY
    return date


@lru_cache(maxsize=256)
def atw_holidays(year: int) -> dict[dt.date, str]:
    """The general holidays of the Atw for one year, with 5 May every year."""
    easter = easter_sunday(year)
    return {
        dt.date(year, 1, 1): "Nieuwjaarsdag",
        easter + dt.timedelta(days=1): "Tweede paasdag",
        monarchs_day(year): "Koningsdag" if year >= _KINGS_DAY_FROM else "Koninginnedag",
        dt.date(year, 5, 5): "Bevrijdingsdag",
        easter + dt.timedelta(days=39): "Hemelvaartsdag",
        easter + dt.timedelta(days=50): "Tweede pinksterdag",
        dt.date(year, 12, 25): "Eerste kerstdag",
        dt.date(year, 12, 26): "Tweede kerstdag",
    }


def good_friday(year: int) -> dt.date:
    return easter_sunday(year) - dt.timedelta(days=2)


@dataclass(frozen=True)
class WorkCalendar:
    """A working-day calendar: Atw holidays plus configured closed days and office hours."""

    closed_days: frozenset[dt.date] = field(default_factory=frozenset)
    good_friday_closed: bool = False
    opens: dt.time = dt.time(8, 30)
    closes: dt.time = dt.time(17, 0)
    tz: ZoneInfo = AMSTERDAM

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ValueError(
                f"Office hours must open before they close: {self.opens}-{self.closes}"
            )

    # -- days -------------------------------------------------------------------------------

    def holiday_name(self, day: dt.date) -> str | None:
        """The reason ``day`` is not a working day, or None if it is one."""
        name = atw_holidays(day.year).get(day)
        if name is not None:
            return name
        if self.good_friday_closed and day == good_friday(day.year):
            return "Goede Vrijdag"
        if day in self.closed_days:
            return "Sluitingsdag"
        if day.weekday() >= 5:
            return "Weekend"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.holiday_name(day) is None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The Nth working day after ``day`` (``day`` itself for N = 0)."""
        if n < 0:
            raise ValueError(f"The number of working days cannot be negative: {n}")
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days from ``start`` to ``end``, both inclusive."""
        return [d for d in _days(start, end) if self.is_working_day(d)]

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """The number of working days d with start < d <= end (0 when end <= start)."""
        if end <= start:
            return 0
        return len(self.workdays(start + _ONE_DAY, end))

    # -- instants ---------------------------------------------------------------------------

    def local(self, t: dt.datetime) -> dt.datetime:
        if t.tzinfo is None:
            raise ValueError(f"A naive datetime cannot be placed on the calendar: {t}")
        return t.astimezone(self.tz)

    def is_office_time(self, t: dt.datetime) -> bool:
        """Inside office hours: opens <= time < closes on a working day."""
        lt = self.local(t)
        return self.is_working_day(lt.date()) and self.opens <= lt.time() < self.closes

    def receipt_day(self, t: dt.datetime) -> dt.date:
        """R(t): the date of t if a working day and before closing time, else the next one."""
        lt = self.local(t)
        if self.is_working_day(lt.date()) and lt.time() < self.closes:
            return lt.date()
        return self.next_working_day(lt.date())

    def due_date(self, t: dt.datetime, n: int) -> dt.date:
        return self.add_working_days(self.receipt_day(t), n)

    def due(self, t: dt.datetime, n: int) -> dt.datetime:
        """due(t, N): the end (23:59:59 local) of the Nth working day after R(t)."""
        return self.end_of_day(self.due_date(t, n))

    def end_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, END_OF_DAY, tzinfo=self.tz)

    def in_term(self, event: dt.datetime, received: dt.datetime, n: int) -> bool:
        """An event is in term when its local date is on or before the due date."""
        return self.local(event).date() <= self.due_date(received, n)

    # -- office hours -----------------------------------------------------------------------

    def _office_window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.opens, tzinfo=self.tz),
            dt.datetime.combine(day, self.closes, tzinfo=self.tz),
        )

    def _office_windows_from(self, t: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Office windows from t on, the first one clipped to start at t."""
        lt = self.local(t)
        day = lt.date()
        while True:
            if self.is_working_day(day):
                start, end = self._office_window(day)
                if end > lt:
                    yield max(start, lt), end
            day += _ONE_DAY

    def add_office_hours(self, t: dt.datetime, hours: float) -> dt.datetime:
        """The instant at which ``hours`` of office time have passed since ``t``.

        Outside office hours the count starts at the next opening.
        """
        if hours < 0:
            raise ValueError(f"Office hours to add cannot be negative: {hours}")
        remaining = dt.timedelta(hours=hours)
        for start, end in self._office_windows_from(t):
            span = end - start
            if remaining <= span:
                return start + remaining
            remaining -= span
        raise AssertionError("unreachable: office windows never end")  # pragma: no cover

    def office_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Office time between two instants (zero when b <= a)."""
        total = dt.timedelta()
        if b <= a:
            return total
        for start, end in self._office_windows_from(a):
            if start >= b:
                break
            total += min(end, b) - start
        return total

    def deadline_24h(self, t: dt.datetime, mode: Mode24h | str) -> dt.datetime:
        """The moment "within 24 hours" of ``t`` ends, in one of the three modes."""
        mode = Mode24h(mode)
        if mode is Mode24h.CLOCK_24H:  # real hours: add in UTC, across clock changes
            return (t.astimezone(dt.UTC) + dt.timedelta(hours=24)).astimezone(self.tz)
        if mode is Mode24h.OFFICE_HOURS_24H:
            return self.add_office_hours(t, 24)
        return self.due(t, 1)


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


DEFAULT_CALENDAR = WorkCalendar()

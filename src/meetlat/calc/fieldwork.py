"""Fieldwork of a mystery wave as plain data: requests, plans, rules (METHODOLOGY.md §2.2).

:mod:`meetlat.calc.planner` makes plans, :mod:`meetlat.calc.planner_rules` checks them; both
share the types and the geometry here: the five call slots, the fieldwork weeks (7-day blocks
from the first day of the window), the days and times a municipality can be called or mailed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Final

from meetlat.calc.calendar import WorkCalendar

PHONE: Final = "phone"
WRITTEN_CHANNELS: Final = frozenset({"email", "webform", "chat", "whatsapp", "social"})
PLANNED_CHANNELS: Final = ("phone", "email", "webform", "chat", "whatsapp", "social")

#: The five call slots of rule 2 (start inclusive, end exclusive), in local time.
SLOTS: Final = (
    (dt.time(8, 30), dt.time(10, 0)),
    (dt.time(10, 0), dt.time(12, 0)),
    (dt.time(12, 0), dt.time(13, 30)),
    (dt.time(13, 30), dt.time(15, 0)),
    (dt.time(15, 0), dt.time(17, 0)),
)
AFTERNOON: Final = dt.time(12, 0)
FRIDAY: Final = 4  # date.weekday()
WORKWEEK: Final = range(5)

Interval = tuple[dt.time, dt.time]
#: Opening intervals per ISO weekday (1 Monday … 7 Sunday).
WeekHours = Mapping[int, Sequence[Interval]]


class Rule(StrEnum):
    """The hard rules of METHODOLOGY.md §2.2 (1–7), plus one of meetlat's own."""

    OPENING_HOURS = "opening_hours"
    SPREAD = "spread"
    FRIDAY_AFTERNOON = "friday_afternoon"
    WEEKS = "weeks"
    GAP = "gap"
    ROTATION = "rotation"
    WRITTEN = "written"
    AUDITOR_BUSY = "auditor_busy"

    @property
    def number(self) -> str:
        """The rule's number in METHODOLOGY.md §2.2 ("+" for meetlat's own rule)."""
        return _RULE_NUMBERS[self]

    @property
    def description(self) -> str:
        return _RULE_DESCRIPTIONS[self]


_RULE_NUMBERS: Final = {rule: str(n) for n, rule in enumerate(Rule, start=1)} | {
    Rule.AUDITOR_BUSY: "+"
}
_RULE_DESCRIPTIONS: Final = {
    Rule.OPENING_HOURS: "working days of the municipality, inside the opening hours",
    Rule.SPREAD: "calls even over the weekdays and the five slots",
    Rule.FRIDAY_AFTERNOON: "at least 2 Friday calls on Friday afternoon",
    Rule.WEEKS: "calls even over the weeks",
    Rule.GAP: "no two calls to one municipality within the minimum gap",
    Rule.ROTATION: "auditor rotation: a few calls per municipality per wave, one per day",
    Rule.WRITTEN: "written questions: one a day, weeks 1-3, different weekdays and personas",
    Rule.AUDITOR_BUSY: "an auditor makes one call at a time",
}


@dataclass(frozen=True)
class PlannerSettings:
    """The settings of §2.2 (with their defaults) and a few of the planner's own."""

    max_calls_per_auditor: int = 3
    min_gap: dt.timedelta = dt.timedelta(minutes=60)
    friday_afternoon_calls: int = 2
    written_weeks: int = 3
    #: A call starts at least this long before the line closes.
    call_duration: dt.timedelta = dt.timedelta(minutes=15)
    #: Two calls of one auditor (to any municipality) start at least this far apart.
    auditor_gap: dt.timedelta = dt.timedelta(minutes=30)
    grid_minutes: int = 5
    attempts: int = 60

    def __post_init__(self) -> None:
        if self.max_calls_per_auditor < 1 or self.grid_minutes < 1 or self.attempts < 1:
            raise ValueError("max_calls_per_auditor, grid_minutes and attempts must be >= 1")


@dataclass(frozen=True)
class Question:
    """One planned question of a municipality: a key unique within it, its channel, and (for
    written questions) the persona that sends it."""

    key: str
    channel: str
    persona: str = ""


@dataclass(frozen=True)
class Municipality:
    code: str
    calendar: WorkCalendar
    questions: tuple[Question, ...]
    #: Opening hours per channel; a channel without an entry has the calendar's office hours
    #: on Monday to Friday.
    hours: Mapping[str, WeekHours] = field(default_factory=dict)

    def hours_for(self, channel: str) -> WeekHours:
        hours = self.hours.get(channel)
        if hours is not None:
            return hours
        office = ((self.calendar.opens, self.calendar.closes),)
        return {weekday: office for weekday in range(1, 6)}


@dataclass(frozen=True)
class PlannedItem:
    municipality: str
    question: str
    channel: str
    at: dt.datetime
    auditor: str | None = None
    persona: str = ""


@dataclass(frozen=True)
class PlanRequest:
    """What to plan: municipalities with their questions, auditors, the window and a seed.

    ``fixed`` items (questions already done) stay as they are and count in every rule; new
    items are planned after ``not_before``.
    """

    municipalities: tuple[Municipality, ...]
    auditors: tuple[str, ...]
    start: dt.date
    end: dt.date
    seed: int
    settings: PlannerSettings = field(default_factory=PlannerSettings)
    fixed: tuple[PlannedItem, ...] = ()
    not_before: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"The fieldwork window ends ({self.end}) before it starts.")
        codes = [m.code for m in self.municipalities]
        if len(set(codes)) != len(codes):
            raise ValueError("A municipality occurs twice in the request.")

    def municipality(self, code: str) -> Municipality:
        return next(m for m in self.municipalities if m.code == code)


@dataclass(frozen=True)
class Plan:
    request: PlanRequest
    items: tuple[PlannedItem, ...]

    def with_item(self, index: int, **changes: object) -> Plan:
        """A copy with one item changed (a manual edit), for :func:`validate_plan`."""
        items = list(self.items)
        items[index] = replace(items[index], **changes)  # type: ignore[arg-type]
        return Plan(self.request, tuple(items))


@dataclass(frozen=True)
class Violation:
    rule: Rule
    municipality: str
    message: str
    questions: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[Rule, str, tuple[str, ...]]:
        return (self.rule, self.municipality, tuple(sorted(self.questions)))


class PlanningError(Exception):
    """No valid plan exists (or none was found): names the rule that cannot be met."""

    def __init__(self, rule: Rule, message: str, municipality: str = "") -> None:
        self.rule, self.municipality, self.message = rule, municipality, message
        super().__init__(f"rule {rule.number} ({rule.description}): {message}")


# -- geometry ---------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def slot_of(time: dt.time) -> int | None:
    """The index of the slot holding a local time, or None outside 08:30–17:00."""
    return next((i for i, (a, b) in enumerate(SLOTS) if a <= time < b), None)


def is_afternoon(slot: int) -> bool:
    return SLOTS[slot][0] >= AFTERNOON


def week_of(start: dt.date, day: dt.date) -> int:
    """The fieldwork week of a day: 0 for the first 7 days of the window, 1 for the next …"""
    return (day - start).days // 7


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _grid(
    day: dt.date, interval: Interval, minutes: int, length: dt.timedelta, tz: dt.tzinfo
) -> Iterable[dt.datetime]:
    """Start times every ``minutes`` from opening, leaving ``length`` before closing (a start
    at closing time itself never counts)."""
    opens, closes = interval
    moment = dt.datetime.combine(day, opens, tzinfo=tz)
    end = dt.datetime.combine(day, closes, tzinfo=tz)
    while moment < end and moment + length <= end:
        yield moment
        moment += dt.timedelta(minutes=minutes)


@dataclass(frozen=True)
class ChannelWindow:
    """The days and candidate start times one municipality can be contacted on one channel."""

    request: PlanRequest
    municipality: Municipality
    channel: str

    @cached_property
    def intervals(self) -> dict[dt.date, tuple[Interval, ...]]:
        """Working days of the window with the channel's opening intervals that day."""
        hours = self.municipality.hours_for(self.channel)
        calendar = self.municipality.calendar
        days: dict[dt.date, tuple[Interval, ...]] = {}
        for day in _days(self.request.start, self.request.end):
            opening = tuple(hours.get(day.isoweekday(), ()))
            if opening and calendar.is_working_day(day):
                days[day] = opening
        return days

    @property
    def length(self) -> dt.timedelta:
        """How long before closing a contact must start: a call's duration, else nothing."""
        return self.request.settings.call_duration if self.channel == PHONE else dt.timedelta(0)

    def fits(self, moment: dt.datetime) -> bool:
        """Rule 1: a working day in the window, inside an opening interval (a call also ends
        before closing time)."""
        local = moment.astimezone(self.municipality.calendar.tz)
        for opens, closes in self.intervals.get(local.date(), ()):
            start = dt.datetime.combine(local.date(), opens, tzinfo=local.tzinfo)
            end = dt.datetime.combine(local.date(), closes, tzinfo=local.tzinfo)
            if start <= local < end and local + self.length <= end:
                return True
        return False

    @cached_property
    def candidates(self) -> dict[dt.date, tuple[dt.datetime, ...]]:
        """Start times on the grid that fit rule 1 (and, for phone, lie in a slot)."""
        tz = self.municipality.calendar.tz
        minutes = self.request.settings.grid_minutes
        result: dict[dt.date, tuple[dt.datetime, ...]] = {}
        for day, intervals in self.intervals.items():
            times = sorted(
                {
                    moment
                    for interval in intervals
                    for moment in _grid(day, interval, minutes, self.length, tz)
                    if self.channel != PHONE or slot_of(moment.time()) is not None
                }
            )
            if times:
                result[day] = tuple(times)
        return result

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.municipality.calendar.tz)

    @cached_property
    def usable_weekdays(self) -> tuple[int, ...]:
        return tuple(sorted({day.weekday() for day in self.candidates}))

    @cached_property
    def usable_slots(self) -> tuple[int, ...]:
        slots = {slot_of(t.time()) for times in self.candidates.values() for t in times}
        return tuple(sorted(s for s in slots if s is not None))

    @cached_property
    def usable_weeks(self) -> tuple[int, ...]:
        return tuple(sorted({week_of(self.request.start, day) for day in self.candidates}))


def uneven(counts: Mapping[int, int], usable: Sequence[int]) -> bool:
    """True when counts over the usable keys differ by more than one ("as even as possible")."""
    values = [counts.get(key, 0) for key in usable]
    return bool(values) and max(values) - min(values) > 1

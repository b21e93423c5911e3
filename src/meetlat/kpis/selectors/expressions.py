"""SQL building blocks shared by the row-based KPI queries and the rollup builder.

`phone_counters` gives one conditional aggregate per `calc.kpi_counts.PhoneCounts` field
(repeat contact excluded: it needs the look-back, see `selectors.phone`); `outside_hours`
decides in SQL whether a contact started outside its contact point's opening hours, with the
same rules as `opening.is_open_for` (the pure reference the tests compare with).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    TimeField,
    Value,
)
from django.db.models.functions import ExtractIsoWeekDay
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from meetlat.calc.calendar import AMSTERDAM, WorkCalendar
from meetlat.calc.kpi import LONG_WAIT_S
from meetlat.contacts.models import Outcome
from meetlat.organisations.models import OpeningHours, Organisation

ANSWERED: Final = Q(outcome=Outcome.ANSWERED)
ABANDONED: Final = Q(outcome=Outcome.ABANDONED)
OFFERED: Final = ANSWERED | ABANDONED

#: `PhoneCounts` field → `DailyRollup` column (`resolved_known` = flr_yes + flr_no).
ROLLUP_COLUMN: Final[Mapping[str, str]] = {
    "answered": "answered",
    "abandoned": "abandoned",
    "short_abandoned": "short_abandoned",
    "ivr_abandoned": "ivr_abandoned",
    "closed": "closed",
    "callback_requests": "callback_requests",
    "voicemails": "voicemails",
    "answered_within_t": "answered_within_t",
    "abandoned_within_t": "abandoned_within_t",
    "wait_sum_answered": "sum_wait_answered",
    "wait_sum_abandoned": "sum_wait_abandoned",
    "wait_max_offered": "max_wait",
    "wait_over_300s": "wait_over_300",
    "handled": "handled_count",
    "handle_sum": "sum_handle",
    "transfers_1": "transfers_1",
    "transfers_2": "transfers_2",
    "transfers_3_plus": "transfers_3plus",
    "resolved_yes": "flr_yes",
    "repeat_contacts": "repeat_contacts",
    "repeat_base": "repeat_base",
}


def phone_counters(sl_threshold_s: int, short_abandon_s: int) -> dict[str, Any]:
    """One conditional aggregate per `PhoneCounts` field except the repeat counts."""
    return {
        "answered": Count("pk", filter=ANSWERED),
        "abandoned": Count("pk", filter=ABANDONED),
        "short_abandoned": Count("pk", filter=ABANDONED & Q(wait_s__lt=short_abandon_s)),
        "ivr_abandoned": Count("pk", filter=Q(outcome=Outcome.IVR_ABANDONED)),
        "closed": Count("pk", filter=Q(outcome=Outcome.CLOSED)),
        "callback_requests": Count("pk", filter=Q(outcome=Outcome.CALLBACK_REQUEST)),
        "voicemails": Count("pk", filter=Q(outcome=Outcome.VOICEMAIL)),
        "answered_within_t": Count("pk", filter=ANSWERED & Q(wait_s__lte=sl_threshold_s)),
        "abandoned_within_t": Count("pk", filter=ABANDONED & Q(wait_s__lte=sl_threshold_s)),
        "wait_sum_answered": Sum("wait_s", filter=ANSWERED, default=0),
        "wait_sum_abandoned": Sum("wait_s", filter=ABANDONED, default=0),
        "wait_max_offered": Max("wait_s", filter=OFFERED),
        "wait_over_300s": Count("pk", filter=OFFERED & Q(wait_s__gt=LONG_WAIT_S)),
        "handled": Count("handle_s", filter=ANSWERED),
        "handle_sum": Sum("handle_s", filter=ANSWERED, default=0),
        "transfers_1": Count("pk", filter=ANSWERED & Q(transfers=1)),
        "transfers_2": Count("pk", filter=ANSWERED & Q(transfers=2)),
        "transfers_3_plus": Count("pk", filter=ANSWERED & Q(transfers__gte=3)),
        "resolved_yes": Count("pk", filter=ANSWERED & Q(resolved_first_contact=True)),
        "resolved_known": Count("pk", filter=ANSWERED & Q(resolved_first_contact__isnull=False)),
    }


def closed_dates(calendar: WorkCalendar, first: dt.date, last: dt.date) -> list[dt.date]:
    """Weekdays from `first` to `last` that are no working day (weekends are tested in SQL)."""
    days = (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d.isoweekday() <= 5 and not calendar.is_working_day(d)]


class LocalTime(Func):
    """The local time of day of a contact: `LocalTime(local_hour, started_at, tz)`.

    In SQL `(started_at AT TIME ZONE tz)::time` (or the backend's equivalent). On SQLite
    Django's date functions are Python callbacks, slow over a million rows; for Amsterdam time
    (whole-hour offsets) the local time is built natively from the stored local hour and the
    minutes and seconds of the stored UTC text (`YYYY-MM-DD HH:MM:SS[.ffffff]`).
    """

    output_field = TimeField()

    def __init__(self, local_hour: Any, started_at: Any, tz: ZoneInfo) -> None:
        super().__init__(local_hour, started_at)
        self.tz = tz

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[1])
        return connection.ops.datetime_cast_time_sql(sql, tuple(params), self.tz.key)  # type: ignore[no-any-return]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        if self.tz.key != AMSTERDAM.key:
            return self.as_sql(compiler, connection, **extra)
        hour, hour_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        sql = f"(substr('0' || {hour}, -2) || substr({start}, 14))"
        return sql, (*hour_params, *start_params)


class SecondsBefore(Func):
    """A datetime `seconds` earlier: `SecondsBefore(started_at, 604800)`.

    On SQLite natively (Django's datetime arithmetic there is a Python callback per row): the
    stored UTC text shifted with `datetime()` (whole seconds) plus its own fraction, which a
    shift by whole seconds leaves as it is.
    """

    output_field = DateTimeField()

    def __init__(self, moment: Any, seconds: int) -> None:
        super().__init__(moment)
        self.seconds = int(seconds)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} - %s)", (*params, dt.timedelta(seconds=self.seconds))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        shifted = f"datetime({sql}, '-{self.seconds} seconds') || substr({sql}, 20)"
        return f"({shifted})", (*params, *params)


class IsoWeekday(Func):
    """1 Monday … 7 Sunday of a date; natively on SQLite (the Julian day number mod 7)."""

    output_field = IntegerField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, Any]:
        weekday = ExtractIsoWeekDay(*self.source_expressions)  # type: ignore[arg-type]
        return compiler.compile(weekday)  # type: ignore[no-any-return]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        day, params = compiler.compile(self.source_expressions[0])
        jdn = f"CAST(julianday({day}) + 0.5 AS INTEGER)"
        return f"({jdn} - 7 * CAST({jdn} / 7 AS INTEGER) + 1)", (*params, *params, *params)


def outside_hours(organisation: Organisation, calendar: WorkCalendar, closed: list[dt.date]) -> Q:
    """Started on a day off, or outside the point's opening hours (the office hours without).

    Opening hours are matched on the contact point's name (as imported), like the reference.
    Plain expressions (no aliases), so the condition also works inside `aggregate()`.
    """
    local_time = LocalTime(F("local_hour"), F("started_at"), calendar.tz)
    hours = OpeningHours.objects.filter(
        contact_point__organisation=organisation,
        contact_point__name=OuterRef("contact_point_name"),
    )
    outer_time = LocalTime(OuterRef("local_hour"), OuterRef("started_at"), calendar.tz)
    open_now = hours.alias(at=outer_time).filter(
        weekday=IsoWeekday(OuterRef("local_date")), opens__lte=F("at"), closes__gt=F("at")
    )
    off_day = Q(GreaterThanOrEqual(IsoWeekday(F("local_date")), 6)) | Q(local_date__in=closed)
    office = Q(GreaterThanOrEqual(local_time, Value(calendar.opens))) & Q(
        LessThan(local_time, Value(calendar.closes))
    )
    known = Q(Exists(hours))
    return off_day | (known & ~Q(Exists(open_now))) | (~known & ~office)

"""Opening hours as a function `is_open(started_at, contact_point)` (`calc.kpi.IsOpen`).

A contact starts inside opening hours on a working day (METHODOLOGY.md §5) within one of its
contact point's intervals for that weekday (opens ≤ local time < closes); a contact point
without opening hours (or no contact point) uses the organisation's office hours. SQL applies
the same rules (`expressions.outside_hours`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.kpi import IsOpen
from meetlat.organisations.models import OpeningHours, Organisation

Intervals = dict[int, list[tuple[dt.time, dt.time]]]


def opening_hours_by_point(*, organisation: Organisation) -> dict[str, Intervals]:
    """Contact point name → weekday → [(opens, closes)] in one query."""
    rows = OpeningHours.objects.filter(contact_point__organisation=organisation).values_list(
        "contact_point__name", "weekday", "opens", "closes"
    )
    hours: defaultdict[str, Intervals] = defaultdict(lambda: defaultdict(list))
    for name, weekday, opens, closes in rows:
        hours[name][weekday].append((opens, closes))
    return {name: dict(days) for name, days in hours.items()}


def is_open_for(calendar: WorkCalendar, hours: dict[str, Intervals]) -> IsOpen:
    """The `is_open` of a calendar and the opening hours of `opening_hours_by_point`."""

    def is_open(started_at: dt.datetime, contact_point: str) -> bool:
        local = calendar.local(started_at)
        if not calendar.is_working_day(local.date()):
            return False
        time = local.time()
        point = hours.get(contact_point)
        if point is None:
            return calendar.opens <= time < calendar.closes
        return any(opens <= time < closes for opens, closes in point.get(local.isoweekday(), []))

    return is_open

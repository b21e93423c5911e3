"""`--group-by` keys (METHODOLOGY.md §4.1) for queries on contacts and on daily rollups.

Both tables have `channel`, `contact_point_name`, `topic`, `local_date` and `local_hour`, so a
group is one column in SQL; time keys coarser than a day are grouped on `local_date` and merged
in Python, where counts add up exactly (never a mean of means).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from django.db.models import F, QuerySet

from meetlat.calc.kpi import GROUP_BY


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _iso_week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


# --group-by → (column grouped on in SQL, its value → the key of METHODOLOGY.md §4.1)
GROUPS: Final[Mapping[str, tuple[str, Callable[[Any], str]]]] = {
    "channel": ("channel", _text),
    "contact_point": ("contact_point_name", _text),
    "topic": ("topic", _text),
    "month": ("local_date", lambda day: f"{day.year:04d}-{day.month:02d}"),
    "week": ("local_date", _iso_week),
    "day": ("local_date", lambda day: day.isoformat()),
    "hour": ("local_hour", lambda hour: f"{hour:02d}"),
    "weekday": ("local_date", lambda day: str(day.isoweekday())),
}
assert set(GROUPS) == set(GROUP_BY)
MERGED: Final = frozenset({"week", "month", "weekday"})
"""Keys made of several SQL groups (their row lists need sorting again after merging)."""


def check_group_by(group_by: str | None) -> None:
    if group_by is not None and group_by not in GROUPS:
        raise ValueError(f"unknown group_by {group_by!r}; expected one of {', '.join(GROUP_BY)}")


def grouped_rows(
    rows: QuerySet[Any], group_by: str | None, aggregates: Mapping[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, aggregates) per SQL group in one query; without grouping one row, key "".

    Several rows can share a key (time keys coarser than the SQL column): callers merge them.
    """
    if group_by is None:
        yield "", rows.aggregate(**aggregates)
        return
    column, key_of = GROUPS[group_by]
    for row in rows.values(group_value=F(column)).annotate(**aggregates).order_by().iterator():
        values: dict[str, Any] = dict(row)
        yield key_of(values.pop("group_value")), values

"""Reads of the daily rollups (METHODOLOGY.md §4.1): Σ of counts and sums, max of maxima.

A rollup row counts with the T and S it was built with; a period whose rows were built with
other values (or that has no rows) gives None, and the caller reads contact rows instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Min, QuerySet, Sum

from meetlat.calc.kpi_counts import PhoneCounts
from meetlat.kpis.models import ALL_COUNTERS, DailyRollup
from meetlat.kpis.selectors.expressions import ROLLUP_COLUMN
from meetlat.kpis.selectors.groups import grouped_rows
from meetlat.organisations.models import Organisation

Tally = tuple[PhoneCounts, int]


def rollup_list(
    *, organisation: Organisation, channel: str, date_from: dt.date, date_to: dt.date
) -> QuerySet[DailyRollup]:
    return DailyRollup.objects.filter(
        organisation=organisation,
        channel=channel,
        local_date__gte=date_from,
        local_date__lte=date_to,
    ).order_by()


def rollup_sums() -> dict[str, Any]:
    """Σ of every counter, max of `max_wait`, and the range of T and S the rows were built with."""
    return {
        **{column: Sum(column, default=0) for column in ALL_COUNTERS},
        "max_wait": Max("max_wait"),
        "rows": Count("pk"),
        "t_low": Min("sl_threshold_s"),
        "t_high": Max("sl_threshold_s"),
        "s_low": Min("short_abandon_s"),
        "s_high": Max("short_abandon_s"),
    }


def built_with(row: dict[str, Any], thresholds: tuple[int, int]) -> bool:
    """Every rollup row behind `row` was built with exactly these T and S (vacuously, none)."""
    if not row["rows"]:
        return True
    t, s = thresholds
    return bool(row["t_low"] == row["t_high"] == t and row["s_low"] == row["s_high"] == s)


def phone_counts_of(row: dict[str, Any]) -> PhoneCounts:
    """The `PhoneCounts` of summed rollup columns (repeat counts left at 0)."""
    values = {name: row[column] for name, column in ROLLUP_COLUMN.items()}
    return PhoneCounts(**values, resolved_known=row["flr_yes"] + row["flr_no"])


def phone_rollup_counts(
    *,
    organisation: Organisation,
    channel: str,
    date_from: dt.date,
    date_to: dt.date,
    group_by: str | None,
    thresholds: tuple[int, int],
) -> dict[str, Tally] | None:
    """Counts and `outside_opening_hours` per group key in one query, or None when the rows
    of the period were built with another T or S or there are none."""
    rows = rollup_list(
        organisation=organisation, channel=channel, date_from=date_from, date_to=date_to
    )
    merged: dict[str, Tally] = {}
    seen = 0
    for key, row in grouped_rows(rows, group_by, rollup_sums()):
        if not built_with(row, thresholds):
            return None
        seen += row["rows"]
        counts, outside = merged.get(key, (PhoneCounts(), 0))
        merged[key] = (counts + phone_counts_of(row), outside + row["outside_opening_hours"])
    return merged if seen else None

"""Dashboard reads from the daily rollups only: one query, whatever the rows or groups.

`dashboard_kpis_get` returns the `meetlat kpis` shape (`org, channel, from, to,
sl_threshold_s, short_abandon_s, kpis, groups`, plus `source: "rollups"`) from Σ counts. What
rollups cannot hold is null here: the wait percentiles and `repeat_contact_rate` (they need
contact rows: `phone_kpis_get`), and the calendar-dependent ratios of written channels (their
rollups hold `received`, `replied`, `outside_opening_hours`; use `written_kpis_get`).
T and S are those the rollups were built with (null when the period mixes rollups built with
different values: a norm changed and only part was rebuilt).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from meetlat.calc.kpi_counts import phone_kpis_from_counts
from meetlat.kpis.selectors.groups import check_group_by, grouped_rows
from meetlat.kpis.selectors.phone import PHONE
from meetlat.kpis.selectors.rollups import phone_counts_of, rollup_list, rollup_sums
from meetlat.organisations.models import Organisation

_WRITTEN = ("contacts", "received", "replied", "outside_opening_hours")


def _merge(before: dict[str, Any] | None, row: dict[str, Any]) -> dict[str, Any]:
    if before is None:
        return row
    merged = {key: before[key] + row[key] for key in row if isinstance(row[key], int)}
    maxima = [v for v in (before["max_wait"], row["max_wait"]) if v is not None]
    merged["max_wait"] = max(maxima, default=None)
    for key in ("t_low", "s_low"):
        merged[key] = min(v for v in (before[key], row[key]) if v is not None)
    for key in ("t_high", "s_high"):
        merged[key] = max(v for v in (before[key], row[key]) if v is not None)
    return merged


def _kpis(channel: str, row: dict[str, Any]) -> dict[str, Any]:
    if channel != PHONE:
        return {key: row[key] for key in _WRITTEN}
    counts = phone_counts_of(row)
    return dict(
        phone_kpis_from_counts(
            counts, answered_waits=[], outside_opening_hours=row["outside_opening_hours"]
        )
    )


def _threshold(row: dict[str, Any] | None, low: str, high: str) -> int | None:
    if row is None or row[low] is None or row[low] != row[high]:
        return None
    return int(row[low])


def dashboard_kpis_get(
    *,
    organisation: Organisation,
    channel: str,
    date_from: dt.date,
    date_to: dt.date,
    group_by: str | None = None,
) -> dict[str, Any]:
    """KPIs of a channel and period from the rollups, overall and per group: one query."""
    check_group_by(group_by)
    rows = rollup_list(
        organisation=organisation, channel=channel, date_from=date_from, date_to=date_to
    )
    sums: dict[str, dict[str, Any]] = {}
    for key, row in grouped_rows(rows, group_by, rollup_sums()):
        if row["rows"] or group_by is None:
            sums[key] = _merge(sums.get(key), row)
    total: dict[str, Any] | None = None
    for row in sums.values():
        total = _merge(total, row)
    if total is None:  # grouped, and no rollups in the period
        total = next(grouped_rows(rows.none(), None, rollup_sums()))[1]
    return {
        "org": organisation.code,
        "channel": channel,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "sl_threshold_s": _threshold(total, "t_low", "t_high"),
        "short_abandon_s": _threshold(total, "s_low", "s_high"),
        "kpis": _kpis(channel, total),
        "groups": [{"key": key, "kpis": _kpis(channel, sums[key])} for key in sorted(sums)]
        if group_by
        else [],
        "source": "rollups",
    }

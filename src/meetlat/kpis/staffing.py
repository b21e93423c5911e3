"""Staffing from the measured load: agents per hour of the week (Erlang C, METHODOLOGY.md §4.4).

The load of each (weekday, hour) cell is the mean number of offered calls on the days of the
period that had calls in that hour, with the mean handle time of its answered calls (the
period's mean where a cell has none). One aggregate query (`week_hour_load`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetlat.calc.erlang import HourStaffing, StaffingResult, evaluate, required_agents
from meetlat.calc.erlang import staffing_per_hour as erlang_per_hour
from meetlat.calc.kpi import ratio
from meetlat.kpis.dashboard import week_hour_load
from meetlat.organisations.models import Organisation


@dataclass(frozen=True)
class StaffingInput:
    calls: float
    interval_s: float
    aht_s: float
    target_sl: float  # fraction
    target_t_s: float
    shrinkage: float  # fraction
    agents: int | None = None


def staffing_calculate(*, data: StaffingInput) -> StaffingResult:
    """`meetlat staffing` for the web form: a given number of agents, or the number needed."""
    if data.agents is not None:
        return evaluate(
            calls=data.calls,
            interval_s=data.interval_s,
            aht_s=data.aht_s,
            target_t_s=data.target_t_s,
            agents=data.agents,
            shrinkage=data.shrinkage,
        )
    return required_agents(
        calls=data.calls,
        interval_s=data.interval_s,
        aht_s=data.aht_s,
        target_sl=data.target_sl,
        target_t_s=data.target_t_s,
        shrinkage=data.shrinkage,
    )


def staffing_per_hour_get(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    target_sl: float,
    target_t_s: int,
    shrinkage: float,
) -> list[HourStaffing]:
    """Required and scheduled agents per (weekday, hour) with calls in the period."""
    cells = week_hour_load(
        organisation=organisation, date_from=date_from, date_to=date_to, sl_threshold_s=target_t_s
    )
    calls = {key: cell["offered"] / cell["days"] for key, cell in cells.items()}
    handle = {
        key: cell["handle_sum"] / cell["handled"] for key, cell in cells.items() if cell["handled"]
    }
    overall = ratio(
        sum(c["handle_sum"] for c in cells.values()), sum(c["handled"] for c in cells.values())
    )
    return erlang_per_hour(
        calls_per_hour=calls,
        aht_s=handle,
        target_sl=target_sl,
        target_t_s=target_t_s,
        shrinkage=shrinkage,
        default_aht_s=overall or 300.0,
    )

"""Erlang C staffing, exactly as METHODOLOGY.md §4.4 (`meetlat staffing`).

Traffic A = calls · AHT / interval. The probability of waiting is computed through the Erlang B
recursion (B₀ = 1, Bₖ = A·Bₖ₋₁ / (k + A·Bₖ₋₁)), which never forms Aᴺ or N! and so stays
stable for thousands of agents. With N ≤ A the queue grows without bound: P(wait) 1, SL 0 and
no ASA.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "HourStaffing",
    "StaffingResult",
    "evaluate",
    "required_agents",
    "scheduled_agents",
    "staffing_per_hour",
    "traffic",
]


@dataclass(frozen=True)
class StaffingResult:
    """Erlang C figures for one interval and one number of agents."""

    traffic_erlangs: float
    agents: int
    p_wait: float
    service_level: float
    asa_s: float | None
    occupancy: float
    scheduled_agents: int

    def to_json(self) -> dict[str, float | int | None]:
        """The `meetlat staffing --json` object (DESIGN.md)."""
        return {
            "traffic_erlangs": self.traffic_erlangs,
            "agents": self.agents,
            "p_wait": self.p_wait,
            "service_level": self.service_level,
            "asa_s": self.asa_s,
            "occupancy": self.occupancy,
            "scheduled_agents": self.scheduled_agents,
        }


@dataclass(frozen=True)
class HourStaffing:
    """Staffing for one (weekday, hour) cell; weekday 1 = Monday … 7 = Sunday.

    A cell without calls needs nobody: `agents` and `scheduled_agents` are 0 and `result` is None.
    """

    weekday: int
    hour: int
    calls: float
    aht_s: float | None
    agents: int
    scheduled_agents: int
    result: StaffingResult | None


# --- validation -----------------------------------------------------------------------------


def _check_finite(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")


def _check_load(calls: float, interval_s: float, aht_s: float) -> None:
    _check_finite("calls", calls)
    _check_finite("interval_s", interval_s)
    _check_finite("aht_s", aht_s)
    if calls < 0:
        raise ValueError(f"calls must be 0 or more, got {calls!r}")
    if interval_s <= 0:
        raise ValueError(f"interval_s must be more than 0 seconds, got {interval_s!r}")
    if aht_s <= 0:
        raise ValueError(f"aht_s (average handle time) must be more than 0 seconds, got {aht_s!r}")


def _check_target_t(target_t_s: float) -> None:
    _check_finite("target_t_s", target_t_s)
    if target_t_s < 0:
        raise ValueError(f"target_t_s must be 0 seconds or more, got {target_t_s!r}")


def _check_shrinkage(shrinkage: float) -> None:
    _check_finite("shrinkage", shrinkage)
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage must be a fraction with 0 <= shrinkage < 1, got {shrinkage!r}")


def _check_target_sl(target_sl: float) -> None:
    _check_finite("target_sl", target_sl)
    if not 0 < target_sl < 1:
        raise ValueError(
            f"target_sl must be a fraction with 0 < target_sl < 1 (0.8 for 80 %), got {target_sl!r}"
        )


def _check_agents(agents: int) -> None:
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 1:
        raise ValueError(f"agents must be a whole number of at least 1, got {agents!r}")


# --- formulas -------------------------------------------------------------------------------


def traffic(calls: float, interval_s: float, aht_s: float) -> float:
    """Offered traffic in erlangs: A = calls · AHT / interval_s."""
    _check_load(calls, interval_s, aht_s)
    return calls * aht_s / interval_s


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """⌈N / (1 − shrinkage)⌉, exact for the shrinkage as written (21 agents at 0.3 → 30).

    Plain float division would turn 21 / 0.7 into 30.000000000000004 and schedule one too many,
    so the shrinkage is read as the decimal its shortest representation shows.
    """
    _check_shrinkage(shrinkage)
    return math.ceil(Fraction(agents) / (1 - Fraction(repr(float(shrinkage)))))


def _erlang_b_steps(a: float) -> Iterator[tuple[int, float]]:
    """Yields (k, Bₖ) for k = 1, 2, … by the Erlang B recursion."""
    b = 1.0
    k = 0
    while True:
        k += 1
        b = a * b / (k + a * b)
        yield k, b


def _result(
    a: float, n: int, b_n: float, *, aht_s: float, target_t_s: float, shrinkage: float
) -> StaffingResult:
    """Erlang C figures for N agents, given B_N."""
    if n <= a:
        p_wait, service_level, asa_s = 1.0, 0.0, None
    else:
        p_wait = min(1.0, n * b_n / (n - a * (1 - b_n)))
        service_level = 1 - p_wait * math.exp(-(n - a) * target_t_s / aht_s)
        asa_s = p_wait * aht_s / (n - a)
    return StaffingResult(
        traffic_erlangs=a,
        agents=n,
        p_wait=p_wait,
        service_level=service_level,
        asa_s=asa_s,
        occupancy=a / n,
        scheduled_agents=scheduled_agents(n, shrinkage),
    )


def evaluate(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    target_t_s: float,
    agents: int,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Erlang C for a given number of agents (`meetlat staffing --agents N`)."""
    a = traffic(calls, interval_s, aht_s)
    _check_target_t(target_t_s)
    _check_agents(agents)
    _check_shrinkage(shrinkage)
    b_n = 1.0
    for k, b in _erlang_b_steps(a):
        b_n = b
        if k == agents:
            break
    return _result(a, agents, b_n, aht_s=aht_s, target_t_s=target_t_s, shrinkage=shrinkage)


def required_agents(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    target_sl: float,
    target_t_s: float,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """The smallest N > A (and at least 1) with SL(T) ≥ target_sl, with its figures.

    One pass of the Erlang B recursion serves every candidate N, so the search is linear in N.
    """
    a = traffic(calls, interval_s, aht_s)
    _check_target_sl(target_sl)
    _check_target_t(target_t_s)
    _check_shrinkage(shrinkage)
    for k, b in _erlang_b_steps(a):
        if k <= a:
            continue
        result = _result(a, k, b, aht_s=aht_s, target_t_s=target_t_s, shrinkage=shrinkage)
        if result.service_level >= target_sl:
            return result
    raise AssertionError(
        "unreachable: the service level tends to 1 as agents grow"
    )  # pragma: no cover


def _check_cell(cell: tuple[int, int]) -> None:
    weekday, hour = cell
    if not 1 <= weekday <= 7:
        raise ValueError(f"weekday must be 1 (Monday) to 7 (Sunday), got {weekday!r}")
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0 to 23, got {hour!r}")


def staffing_per_hour(
    *,
    calls_per_hour: Mapping[tuple[int, int], float],
    aht_s: Mapping[tuple[int, int], float],
    target_sl: float,
    target_t_s: float,
    shrinkage: float = 0.0,
    default_aht_s: float | None = None,
) -> list[HourStaffing]:
    """Required and scheduled agents per (weekday, hour) cell, sorted by weekday and hour.

    `calls_per_hour` gives the (mean) calls in each cell, `aht_s` the mean handle time there;
    a cell with calls but no handle time uses `default_aht_s`, or is an error without it.
    Cells with 0 calls need 0 agents.
    """
    _check_target_sl(target_sl)
    _check_target_t(target_t_s)
    _check_shrinkage(shrinkage)
    cells: list[HourStaffing] = []
    for cell in sorted(calls_per_hour):
        _check_cell(cell)
        calls = calls_per_hour[cell]
        handle = aht_s.get(cell, default_aht_s)
        if calls == 0:
            _check_finite("calls", calls)
            cells.append(HourStaffing(cell[0], cell[1], calls, handle, 0, 0, None))
            continue
        if handle is None:
            raise ValueError(f"no handle time for weekday {cell[0]} hour {cell[1]:02d}")
        result = required_agents(
            calls=calls,
            interval_s=3600,
            aht_s=handle,
            target_sl=target_sl,
            target_t_s=target_t_s,
            shrinkage=shrinkage,
        )
        cells.append(
            HourStaffing(
                cell[0], cell[1], calls, handle, result.agents, result.scheduled_agents, result
            )
        )
    return cells

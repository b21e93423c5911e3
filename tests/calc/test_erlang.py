"""Erlang C staffing (METHODOLOGY.md §4.4)."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetlat.calc.erlang import (
    evaluate,
    required_agents,
    scheduled_agents,
    staffing_per_hour,
    traffic,
)

# METHODOLOGY.md §4.4 worked example: 96 calls per 1800 s, AHT 270 s, 80 % in 20 s.
EXAMPLE = {"calls": 96, "interval_s": 1800, "aht_s": 270}


def _closed_form_p_wait(a: float, n: int) -> float:
    """The textbook Erlang C formula, only usable for small N."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


# --- the worked example -----------------------------------------------------------------------


def test_worked_example_traffic_is_14_4_erlangs() -> None:
    assert traffic(96, 1800, 270) == pytest.approx(14.4)


def test_worked_example_with_18_agents_misses_the_target() -> None:
    result = evaluate(**EXAMPLE, target_t_s=20, agents=18)
    assert result.p_wait == pytest.approx(0.2790, abs=5e-5)
    assert result.service_level == pytest.approx(0.7863, abs=5e-5)
    assert result.asa_s == pytest.approx(20.9, abs=0.05)
    assert result.service_level < 0.8


def test_worked_example_with_19_agents_meets_the_target() -> None:
    result = evaluate(**EXAMPLE, target_t_s=20, agents=19)
    assert result.p_wait == pytest.approx(0.1836, abs=5e-5)
    assert result.service_level == pytest.approx(0.8694, abs=5e-5)
    assert result.asa_s == pytest.approx(10.8, abs=0.05)
    assert result.occupancy == pytest.approx(0.758, abs=5e-4)


def test_worked_example_requires_19_agents_and_schedules_28_with_30_percent_shrinkage() -> None:
    result = required_agents(**EXAMPLE, target_sl=0.8, target_t_s=20, shrinkage=0.3)
    assert result.agents == 19
    assert result.scheduled_agents == 28
    assert result.traffic_erlangs == pytest.approx(14.4)


def test_json_has_exactly_the_staffing_keys() -> None:
    data = required_agents(**EXAMPLE, target_sl=0.8, target_t_s=20).to_json()
    assert set(data) == {
        "traffic_erlangs",
        "agents",
        "p_wait",
        "service_level",
        "asa_s",
        "occupancy",
        "scheduled_agents",
    }
    assert data["agents"] == 19
    assert data["scheduled_agents"] == 19


# --- edge cases ---------------------------------------------------------------------------------


def test_too_few_agents_always_wait_with_no_service_level_and_no_asa() -> None:
    for agents in (1, 14):
        result = evaluate(**EXAMPLE, target_t_s=20, agents=agents)
        assert (result.p_wait, result.service_level, result.asa_s) == (1.0, 0.0, None)


def test_agents_equal_to_traffic_count_as_too_few() -> None:
    result = evaluate(calls=10, interval_s=3600, aht_s=360, target_t_s=20, agents=1)
    assert result.traffic_erlangs == 1.0
    assert (result.p_wait, result.service_level, result.asa_s) == (1.0, 0.0, None)


def test_no_calls_need_one_agent_who_never_keeps_anyone_waiting() -> None:
    result = required_agents(calls=0, interval_s=1800, aht_s=270, target_sl=0.8, target_t_s=20)
    assert result.agents == 1
    assert result.p_wait == 0.0
    assert result.service_level == 1.0
    assert result.asa_s == 0.0


def test_required_agents_are_more_than_the_traffic_even_for_a_low_target() -> None:
    # A = 1 erlang: one agent is "too few" (N <= A), two already meet a 1 % target.
    result = required_agents(calls=100, interval_s=3600, aht_s=36, target_sl=0.01, target_t_s=0)
    assert result.agents > result.traffic_erlangs
    assert result.agents == 2


def test_two_thousand_agents_stay_numerically_stable() -> None:
    result = evaluate(calls=20_000, interval_s=1800, aht_s=180, target_t_s=10, agents=2050)
    assert result.traffic_erlangs == 2000
    assert 0 < result.p_wait < 1
    assert 0 < result.service_level < 1
    assert result.asa_s is not None and math.isfinite(result.asa_s)


def test_required_agents_for_large_traffic_is_found_and_minimal() -> None:
    load = {"calls": 20_000, "interval_s": 1800, "aht_s": 180}
    result = required_agents(**load, target_sl=0.9, target_t_s=10)
    fewer = evaluate(**load, target_t_s=10, agents=result.agents - 1)
    assert result.service_level >= 0.9 > fewer.service_level


def test_scheduled_agents_do_not_round_up_on_float_noise() -> None:
    # 21 / 0.7 is 30.000000000000004 in floating point; the answer is exactly 30.
    assert scheduled_agents(21, 0.3) == 30
    assert scheduled_agents(19, 0.3) == 28
    assert scheduled_agents(19, 0.0) == 19


# --- input validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"calls": -1}, "calls"),
        ({"interval_s": 0}, "interval_s"),
        ({"aht_s": 0}, "aht_s"),
        ({"aht_s": float("nan")}, "aht_s"),
        ({"target_sl": 0}, "target_sl"),
        ({"target_sl": 1}, "target_sl"),
        ({"target_sl": 80}, "target_sl"),
        ({"shrinkage": 1}, "shrinkage"),
        ({"shrinkage": -0.1}, "shrinkage"),
        ({"target_t_s": -1}, "target_t_s"),
    ],
)
def test_required_agents_rejects_bad_input_by_name(change: dict[str, float], message: str) -> None:
    kwargs: dict[str, float] = {**EXAMPLE, "target_sl": 0.8, "target_t_s": 20, **change}
    with pytest.raises(ValueError, match=message):
        required_agents(**kwargs)


@pytest.mark.parametrize("agents", [0, -3, True, 2.5])
def test_evaluate_rejects_anything_but_a_whole_number_of_agents(agents: int) -> None:
    with pytest.raises(ValueError, match="agents"):
        evaluate(**EXAMPLE, target_t_s=20, agents=agents)


# --- per-hour staffing --------------------------------------------------------------------------


def test_staffing_per_hour_sizes_each_cell_and_sorts_them() -> None:
    cells = staffing_per_hour(
        calls_per_hour={(2, 10): 192, (1, 9): 0, (1, 10): 96},
        aht_s={(2, 10): 270, (1, 10): 270},
        target_sl=0.8,
        target_t_s=20,
        shrinkage=0.3,
    )
    assert [(c.weekday, c.hour) for c in cells] == [(1, 9), (1, 10), (2, 10)]
    quiet, monday, tuesday = cells
    assert (quiet.agents, quiet.scheduled_agents, quiet.result) == (0, 0, None)
    # 96 calls an hour is the example's traffic halved: 7.2 erlangs.
    expected = required_agents(
        calls=96, interval_s=3600, aht_s=270, target_sl=0.8, target_t_s=20, shrinkage=0.3
    )
    assert monday.result == expected
    assert (monday.agents, monday.scheduled_agents) == (expected.agents, expected.scheduled_agents)
    # 192 calls an hour is the example's traffic (14.4 erlangs).
    assert (tuesday.agents, tuesday.scheduled_agents) == (19, 28)


def test_staffing_per_hour_uses_the_default_handle_time_for_cells_without_one() -> None:
    cells = staffing_per_hour(
        calls_per_hour={(3, 14): 192}, aht_s={}, target_sl=0.8, target_t_s=20, default_aht_s=270
    )
    assert cells[0].agents == 19
    assert cells[0].aht_s == 270


def test_staffing_per_hour_refuses_a_busy_cell_without_handle_time() -> None:
    with pytest.raises(ValueError, match="handle time"):
        staffing_per_hour(calls_per_hour={(3, 14): 5}, aht_s={}, target_sl=0.8, target_t_s=20)


@pytest.mark.parametrize("cell", [(0, 9), (8, 9), (1, 24), (1, -1)])
def test_staffing_per_hour_refuses_cells_outside_the_week(cell: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="weekday|hour"):
        staffing_per_hour(calls_per_hour={cell: 5}, aht_s={cell: 200}, target_sl=0.8, target_t_s=20)


# --- properties ---------------------------------------------------------------------------------

loads = st.fixed_dictionaries(
    {
        "calls": st.integers(min_value=0, max_value=2000),
        "interval_s": st.sampled_from([900, 1800, 3600]),
        "aht_s": st.integers(min_value=10, max_value=900),
    }
)


@given(load=loads, agents=st.integers(min_value=1, max_value=400), t=st.integers(0, 120))
def test_results_are_probabilities_and_consistent(
    load: dict[str, int], agents: int, t: int
) -> None:
    result = evaluate(**load, target_t_s=t, agents=agents)
    assert 0 <= result.p_wait <= 1
    assert 0 <= result.service_level <= 1
    assert result.occupancy == pytest.approx(result.traffic_erlangs / agents)
    if agents > result.traffic_erlangs:
        assert result.asa_s is not None and result.asa_s >= 0
        assert result.service_level >= 1 - result.p_wait - 1e-12
    else:
        assert result.asa_s is None


@given(load=loads, agents=st.integers(min_value=1, max_value=300), t=st.integers(0, 120))
def test_service_level_rises_and_waiting_falls_with_each_extra_agent(
    load: dict[str, int], agents: int, t: int
) -> None:
    fewer = evaluate(**load, target_t_s=t, agents=agents)
    more = evaluate(**load, target_t_s=t, agents=agents + 1)
    assert more.service_level >= fewer.service_level
    assert more.p_wait <= fewer.p_wait


@given(
    a=st.floats(min_value=0.1, max_value=30, allow_nan=False),
    extra=st.integers(min_value=1, max_value=20),
)
def test_erlang_b_recursion_matches_the_closed_formula(a: float, extra: int) -> None:
    n = math.floor(a) + extra
    result = evaluate(calls=a, interval_s=1, aht_s=1, target_t_s=0, agents=n)
    assert result.p_wait == pytest.approx(_closed_form_p_wait(a, n), rel=1e-9)


@given(
    load=loads,
    target_sl=st.floats(min_value=0.05, max_value=0.99),
    t=st.integers(0, 60),
    shrinkage=st.floats(min_value=0, max_value=0.6),
)
def test_required_agents_is_the_smallest_number_meeting_the_target(
    load: dict[str, int], target_sl: float, t: int, shrinkage: float
) -> None:
    result = required_agents(**load, target_sl=target_sl, target_t_s=t, shrinkage=shrinkage)
    assert result.service_level >= target_sl
    assert result.agents > result.traffic_erlangs
    if result.agents > 1:
        fewer = evaluate(**load, target_t_s=t, agents=result.agents - 1)
        assert fewer.service_level < target_sl or fewer.agents <= fewer.traffic_erlangs
    assert result.scheduled_agents >= result.agents
    assert result.scheduled_agents * (1 - shrinkage) >= result.agents - 1e-9


def test_a_staffing_result_cannot_be_changed() -> None:
    result = evaluate(**EXAMPLE, target_t_s=20, agents=19)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.agents = 20  # type: ignore[misc]

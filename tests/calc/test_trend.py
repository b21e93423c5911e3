"""Trend between waves of a mystery study (METHODOLOGY.md §2.8)."""

from __future__ import annotations

import dataclasses
import statistics

import pytest

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.scoring import channel_result
from meetlat.calc.trend import (
    aspect_means,
    aspect_trends,
    common_municipalities,
    trend_flag,
    trend_from_stats,
    wave_values,
)
from tests.calc.test_scoring import EXAMPLE_A, EXAMPLE_B, T1, T4

CAL = WorkCalendar()


def sample(n: int, mean: float, sd: float) -> list[float]:
    """n values with exactly this mean and sample standard deviation (up to rounding)."""
    raw = [float(i * i % 7 + i) for i in range(n)]
    m, s = statistics.fmean(raw), statistics.stdev(raw)
    return [mean + sd * (x - m) / s for x in raw]


def test_example_from_summary_statistics_is_within_sampling_noise() -> None:
    trend = trend_from_stats(15, 5.68, 2.9, 15, 7.10, 2.2)
    assert trend.flag == "none"
    assert trend.delta == pytest.approx(1.42)
    assert round(trend.se or 0, 3) == 0.940
    assert round(1.96 * (trend.se or 0), 2) == 1.84


def test_example_from_samples_with_those_means_and_sds_is_within_sampling_noise() -> None:
    wave1, wave2 = sample(15, 5.68, 2.9), sample(15, 7.10, 2.2)
    assert statistics.stdev(wave1) == pytest.approx(2.9)
    trend = trend_flag(wave1, wave2)
    assert trend.flag == "none"
    assert trend.delta == pytest.approx(1.42)
    assert trend.se == pytest.approx((2.9**2 / 15 + 2.2**2 / 15) ** 0.5)


def test_a_rise_beyond_1_96_se_is_up_and_a_fall_is_down() -> None:
    low, high = sample(15, 5.0, 1.0), sample(15, 6.0, 1.0)  # SE 0.365, 1.96·SE 0.716
    assert trend_flag(low, high).flag == "up"
    assert trend_flag(high, low).flag == "down"
    assert trend_flag(low, sample(15, 5.7, 1.0)).flag == "none"


def test_fewer_than_5_values_in_a_wave_is_insufficient() -> None:
    trend = trend_flag([1.0, 2.0, 3.0, 4.0], sample(15, 9.0, 0.1))
    assert trend.flag == "insufficient"
    assert trend.delta == pytest.approx(6.5)
    assert trend.se is not None
    assert trend_flag([], [1.0] * 5) == trend_flag([], [1.0] * 5)
    assert trend_flag([], [1.0] * 5).delta is None
    assert trend_from_stats(1, 5.0, 0.0, 15, 6.0, 1.0).se is None


def test_with_zero_se_any_change_flags() -> None:
    assert trend_flag([5.0] * 5, [5.0 + 1e-9] * 5).flag == "up"
    assert trend_flag([5.0] * 5, [4.9] * 5).flag == "down"
    assert trend_flag([5.0] * 5, [5.0] * 5).flag == "none"
    assert trend_flag([0.1, 0.2, 0.3, 0.4, 0.5], [0.5, 0.4, 0.3, 0.2, 0.1]).flag == "none"


def test_phone_aspect_means_count_unreached_as_zero_only_for_reachability() -> None:
    means = aspect_means(EXAMPLE_A, "phone", CAL)
    assert means["reachability"] == pytest.approx((1 + 0.5 + 0.5 + 0 + 1) / 5)
    assert means["in_one_go"] == pytest.approx((1 + 0.5 + 0 + 1) / 4)
    assert means["bejegening"] == pytest.approx((0.75 + 0.8 + 0.4) / 3)
    assert means["grade"] == pytest.approx(channel_result(EXAMPLE_A, "phone", CAL).grade)


def test_written_aspect_means_count_unanswered_as_zero_for_acknowledgement_and_timeliness() -> None:
    means = aspect_means(EXAMPLE_B, "email", CAL)
    assert means["acknowledgement"] == pytest.approx((1 + 0 + 0.5 + 0 + 0) / 5)
    assert means["timeliness"] == pytest.approx((1 + 0.75 + 0.5 + 0 + 0) / 5)
    assert means["tone"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert means["grade"] == pytest.approx(5.05)


def test_wave_values_hold_one_value_per_counted_question() -> None:
    values = wave_values(EXAMPLE_A, "phone", CAL)
    assert [len(values[k]) for k in ("reachability", "correctness", "bejegening", "grade")] == [
        5,
        4,
        3,
        5,
    ]
    assert aspect_means([], "email", CAL)["tone"] is None


def test_aspect_trends_flag_each_aspect() -> None:
    wave1 = [T4] * 5
    wave2 = [T1] * 5
    trends = aspect_trends(wave1, wave2, "phone", CAL)
    assert trends["reachability"].flag == "up"
    assert trends["grade"].flag == "up"
    assert trends["correctness"].flag == "insufficient"  # nobody reached in wave 1


def test_study_trend_pools_only_municipalities_present_in_both_waves() -> None:
    other = dataclasses.replace(T1, municipality="GM9902")
    third = dataclasses.replace(T1, municipality="GM9903")
    wave1, wave2 = common_municipalities([*EXAMPLE_A, other], [T1, third, *EXAMPLE_B], "phone")
    assert {o.municipality for o in wave1} == {o.municipality for o in wave2} == {"GM9901"}
    assert (len(wave1), len(wave2)) == (5, 1)

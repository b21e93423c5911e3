"""Trend between two waves of a mystery study (METHODOLOGY.md §2.8), pure Python.

Per municipality, channel and aspect (and for the question grades): Δ = x̄₂ − x̄₁ with
SE = √(s₁²/n₁ + s₂²/n₂) from sample variances; `up` if Δ > 1.96·SE, `down` if Δ < −1.96·SE,
else `none`; `insufficient` when a wave has fewer than 5 values.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.scoring import (
    DEFAULT_WEIGHTS,
    PHONE_ASPECTS,
    PHONE_CHANNELS,
    UNANSWERED,
    WRITTEN_ASPECTS,
    Observation,
    Weights,
    phone_aspects,
    question_grade,
    written_aspects,
)

TrendFlag = Literal["up", "down", "none", "insufficient"]

MIN_VALUES: Final = 5
Z: Final = 1.96
#: Aspects averaged over all planned questions, unreached or unanswered counting 0 (§2.8);
#: the other aspects are averaged over reached or answered questions only.
PLANNED_ASPECTS: Final = frozenset({"reachability", "acknowledgement", "timeliness"})
#: The key under which :func:`wave_values` puts the question grades S.
GRADE: Final = "grade"


@dataclass(frozen=True)
class Trend:
    """A trend flag with Δ and SE (None where a wave has too few values to define them)."""

    flag: TrendFlag
    delta: float | None
    se: float | None


def _flag(delta: float, se: float) -> TrendFlag:
    """`up`/`down` beyond 1.96·SE; with SE = 0 any Δ ≠ 0 flags."""
    if delta > Z * se:
        return "up"
    if delta < -Z * se:
        return "down"
    return "none"


def _trend(
    n1: int, mean1: float, var1: float | None, n2: int, mean2: float, var2: float | None
) -> Trend:
    delta = mean2 - mean1 if n1 and n2 else None
    se = math.sqrt(var1 / n1 + var2 / n2) if var1 is not None and var2 is not None else None
    if n1 < MIN_VALUES or n2 < MIN_VALUES or delta is None or se is None:
        return Trend("insufficient", delta, se)
    return Trend(_flag(delta, se), delta, se)


def trend_from_stats(n1: int, mean1: float, sd1: float, n2: int, mean2: float, sd2: float) -> Trend:
    """The trend from summary statistics (sd = sample standard deviation, n − 1)."""
    var1 = sd1 * sd1 if n1 >= 2 else None
    var2 = sd2 * sd2 if n2 >= 2 else None
    return _trend(n1, mean1, var1, n2, mean2, var2)


def _summary(values: Sequence[float]) -> tuple[int, float, float | None]:
    n = len(values)
    mean = statistics.fmean(values) if n else 0.0
    var = statistics.variance(values) if n >= 2 else None
    return n, mean, var


def trend_flag(values_wave1: Sequence[float], values_wave2: Sequence[float]) -> Trend:
    """The trend from one value per question in each wave (§2.8)."""
    return _trend(*_summary(values_wave1), *_summary(values_wave2))


def wave_values(
    observations: Iterable[Observation],
    channel: str,
    calendar: WorkCalendar,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[str, list[float]]:
    """Per aspect (and ``"grade"``) the values one wave contributes to the trend.

    Reachability, acknowledgement and timeliness: every planned question, unreached or
    unanswered as 0. Other aspects: reached or answered questions where the aspect is not
    left out. ``"grade"``: S of every planned question.
    """
    phone = channel in PHONE_CHANNELS
    names = PHONE_ASPECTS if phone else WRITTEN_ASPECTS
    values: dict[str, list[float]] = {name: [] for name in (*names, GRADE)}
    for obs in observations:
        if obs.channel != channel:
            continue
        values[GRADE].append(question_grade(obs, calendar, weights))
        if phone:
            aspects = phone_aspects(obs, counter=channel == "counter")
        else:
            written = written_aspects(obs, calendar)
            aspects = dict.fromkeys(names) if written is UNANSWERED else dict(written)
        for name in names:
            score = aspects[name]
            if score is None and name in PLANNED_ASPECTS:
                score = 0.0
            if score is not None:
                values[name].append(score)
    return values


def aspect_means(
    observations: Iterable[Observation],
    channel: str,
    calendar: WorkCalendar,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[str, float | None]:
    """Mean per aspect (and ``"grade"``, the channel grade) of :func:`wave_values`."""
    values = wave_values(observations, channel, calendar, weights)
    return {name: statistics.fmean(v) if v else None for name, v in values.items()}


def aspect_trends(
    wave1: Iterable[Observation],
    wave2: Iterable[Observation],
    channel: str,
    calendar: WorkCalendar,
    weights1: Weights = DEFAULT_WEIGHTS,
    weights2: Weights = DEFAULT_WEIGHTS,
) -> dict[str, Trend]:
    """The trend per aspect and for ``"grade"``; each wave is scored with its own weights."""
    values1 = wave_values(wave1, channel, calendar, weights1)
    values2 = wave_values(wave2, channel, calendar, weights2)
    return {name: trend_flag(values1[name], values2[name]) for name in values1}


def common_municipalities(
    wave1: Iterable[Observation], wave2: Iterable[Observation], channel: str
) -> tuple[list[Observation], list[Observation]]:
    """The questions of ``channel`` of municipalities with such questions in both waves.

    The study-level trend pools these (§2.8).
    """
    own1 = [obs for obs in wave1 if obs.channel == channel]
    own2 = [obs for obs in wave2 if obs.channel == channel]
    both = {obs.municipality for obs in own1} & {obs.municipality for obs in own2}
    return (
        [obs for obs in own1 if obs.municipality in both],
        [obs for obs in own2 if obs.municipality in both],
    )

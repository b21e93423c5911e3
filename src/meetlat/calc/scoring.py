"""Mystery research scoring (METHODOLOGY.md §2.3-2.5), pure Python.

One :class:`Observation` per planned question becomes aspect scores in [0, 1], a question grade
S = 1 + 9 * sum(w * s), a channel grade (mean S over all planned questions), a potential grade,
an overall grade, a band and a rank, and the structure of ``study score --json``. Grades stay
unrounded floats. The trend between waves lives in :mod:`meetlat.calc.trend`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import math
import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from types import MappingProxyType
from typing import Any, Final, Literal, TypeVar

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.observations import CHANNELS as CHANNELS
from meetlat.calc.observations import DEFAULT_WEIGHTS as DEFAULT_WEIGHTS
from meetlat.calc.observations import PHONE_CHANNELS as PHONE_CHANNELS
from meetlat.calc.observations import WRITTEN_CHANNELS as WRITTEN_CHANNELS
from meetlat.calc.observations import Completeness as Completeness
from meetlat.calc.observations import Correctness as Correctness
from meetlat.calc.observations import InOneGo as InOneGo
from meetlat.calc.observations import Observation as Observation
from meetlat.calc.observations import ObservationError as ObservationError
from meetlat.calc.observations import PhoneWeights as PhoneWeights
from meetlat.calc.observations import Tone as Tone
from meetlat.calc.observations import Weights as Weights
from meetlat.calc.observations import WrittenWeights as WrittenWeights
from meetlat.calc.observations import YesNoNa as YesNoNa

Band = Literal["onvoldoende", "voldoende", "norm", "goed", "best_practice"]

NORM: Final = 7.0
GRADE_MIN: Final = 1.0
GRADE_SPAN: Final = 9.0
DEFAULT_CHANNEL_WEIGHTS: Final[Mapping[str, float]] = MappingProxyType({"phone": 2.0})
OTHER_CHANNEL_WEIGHT: Final = 1.0
#: Lower bounds of the bands, highest first (§2.5); below the last bound is `onvoldoende`.
BANDS: Final[tuple[tuple[float, Band], ...]] = (
    (8.5, "best_practice"),
    (8.0, "goed"),
    (7.0, "norm"),
    (5.5, "voldoende"),
)
RANK_DECIMALS: Final = 9

CORRECTNESS_SCORE: Final[Mapping[str, float]] = MappingProxyType(
    {"correct": 1.0, "partly": 0.5, "wrong": 0.0, "none": 0.0}
)
COMPLETENESS_SCORE: Final[Mapping[str, float]] = MappingProxyType(
    {"complete": 1.0, "more": 1.0, "partial": 0.5, "none": 0.0}
)
TONE_SCORE: Final[Mapping[str, float]] = MappingProxyType({"good": 1.0, "fair": 0.5, "poor": 0.0})
BEJEGENING_SCORE: Final[Mapping[str, float]] = MappingProxyType({"yes": 1.0, "no": 0.0})
PHONE_ASPECTS: Final = tuple(PhoneWeights().as_dict())
WRITTEN_ASPECTS: Final = tuple(WrittenWeights().as_dict())
#: Aspects the potential grade sets to 1 (§2.5).
POTENTIAL_ASPECTS: Final = ("reachability", "in_one_go", "transfers")

#: A written question answered after due(sent, 10) is unanswered (§2.4).
ANSWER_CUTOFF_DAYS: Final = 10
_HOUR: Final = dt.timedelta(hours=1)
_DAY: Final = dt.timedelta(hours=24)
#: Timeliness tiers after the 24-hour clock tier: (working days N, score) (§2.4).
_TIMELINESS_TIERS: Final = ((2, 0.75), (5, 0.5), (ANSWER_CUTOFF_DAYS, 0.25))


class Unanswered(enum.Enum):
    """Marker: a written question not answered by due(sent, 10) (§2.4)."""

    UNANSWERED = "unanswered"


UNANSWERED: Final = Unanswered.UNANSWERED

# -- phone and counter aspects ------------------------------------------------------------------


def reachability_score(obs: Observation, *, counter: bool = False) -> float:
    """Reachability (§2.4); counter: by the wait only (meetlat default, not pinned)."""
    if not obs.require(obs.reached, "reached"):
        return 0.0
    wait_s = obs.require(obs.wait_s, "wait_s")
    if counter:
        return 1.0 if wait_s <= 300 else 0.5 if wait_s <= 900 else 0.0
    attempts = obs.require(obs.attempts, "attempts")
    if attempts == 1 and wait_s <= 20:
        return 1.0
    if (attempts == 1 and wait_s <= 60) or attempts == 2:
        return 0.5
    return 0.0


def in_one_go_score(obs: Observation) -> float:
    in_one_go = obs.require(obs.in_one_go, "in_one_go")
    if in_one_go == "yes":
        return 1.0
    if in_one_go == "callback" and obs.callback_kept is True:
        return 0.5
    return 0.0


def transfers_score(obs: Observation) -> float:
    transfers = obs.require(obs.transfers, "transfers")
    if transfers == 0:
        return 1.0
    if transfers <= 2:
        warm = obs.transfers_warm is True and obs.reason_passed_on is True
        return 1.0 if warm else 0.5
    return 0.0


def bejegening_score(obs: Observation) -> float | None:
    """Mean of the five items (yes 1, no 0); None when all are `na` or empty."""
    scores = [BEJEGENING_SCORE[i] for i in obs.bejegening_items if i is not None and i != "na"]
    return statistics.fmean(scores) if scores else None


def phone_aspects(obs: Observation, counter: bool = False) -> dict[str, float | None]:
    """Phone (or counter) aspect scores; None for aspects left out.

    Unreached: reachability 0 and every other aspect None (the question grade is 1 anyway).
    """
    reachability = reachability_score(obs, counter=counter)
    if not obs.reached:
        aspects: dict[str, float | None] = dict.fromkeys(PHONE_ASPECTS)
        aspects["reachability"] = reachability
        return aspects
    return {
        "reachability": reachability,
        "in_one_go": in_one_go_score(obs),
        "transfers": transfers_score(obs),
        "correctness": CORRECTNESS_SCORE[obs.require(obs.correctness, "correctness")],
        "completeness": COMPLETENESS_SCORE[obs.require(obs.completeness, "completeness")],
        "bejegening": bejegening_score(obs),
        "extra_step": 1.0 if obs.extra_step else 0.0,
    }


# -- written aspects ----------------------------------------------------------------------------


def acknowledgement_score(obs: Observation, calendar: WorkCalendar) -> float:
    """a = first of acknowledgement and answer: 1 within 1 h; 0.5 by due(sent, 0); else 0.

    Computed from the timestamps alone, whether or not the question counts as answered.
    """
    sent = obs.require(obs.sent_at, "sent_at")
    present = [t for t in (obs.acknowledged_at, obs.answered_at) if t is not None]
    if not present:
        return 0.0
    first = min(present)
    if first - sent <= _HOUR:
        return 1.0
    return 0.5 if calendar.in_term(first, sent, 0) else 0.0


def timeliness_score(obs: Observation, calendar: WorkCalendar) -> float | None:
    """1 within 24 clock hours, then 0.75 / 0.5 / 0.25 by due(sent, 2 / 5 / 10); None unanswered."""
    sent = obs.require(obs.sent_at, "sent_at")
    answered = obs.answered_at
    if answered is None:
        return None
    if answered - sent <= _DAY:
        return 1.0
    for days, score in _TIMELINESS_TIERS:
        if calendar.in_term(answered, sent, days):
            return score
    return None


def is_answered(obs: Observation, calendar: WorkCalendar) -> bool:
    """Phone/counter: reached; written: answered by due(sent, 10)."""
    if obs.channel in PHONE_CHANNELS:
        return obs.require(obs.reached, "reached")
    return timeliness_score(obs, calendar) is not None


def written_aspects(obs: Observation, calendar: WorkCalendar) -> dict[str, float] | Unanswered:
    """Written aspect scores, or :data:`UNANSWERED` when not answered by due(sent, 10)."""
    timeliness = timeliness_score(obs, calendar)
    if timeliness is None:
        return UNANSWERED
    return {
        "acknowledgement": acknowledgement_score(obs, calendar),
        "timeliness": timeliness,
        "correctness": CORRECTNESS_SCORE[obs.require(obs.correctness, "correctness")],
        "completeness": COMPLETENESS_SCORE[obs.require(obs.completeness, "completeness")],
        "tone": TONE_SCORE[obs.require(obs.tone, "tone")],
        "extra_step": 1.0 if obs.extra_step else 0.0,
    }


# -- grades -------------------------------------------------------------------------------------


def weighted_sum(aspects: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """Σ w·s; aspects left out (None) drop out and the rest is divided by its weights' sum."""
    if set(aspects) != set(weights):
        raise ValueError(f"Aspects {sorted(aspects)} do not match weights {sorted(weights)}")
    present = [(weights[name], score) for name, score in aspects.items() if score is not None]
    total = math.fsum(w * s for w, s in present)
    if len(present) == len(aspects):
        return total
    weight_sum = math.fsum(w for w, _ in present)
    if weight_sum == 0:
        raise ValueError("No weighted aspect is left to grade")
    return total / weight_sum


def grade_from_aspects(aspects: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """S = 1 + 9 · Σ w·s (with the re-normalisation of :func:`weighted_sum`)."""
    return GRADE_MIN + GRADE_SPAN * weighted_sum(aspects, weights)


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; expected one of {CHANNELS}")


def question_grade(
    obs: Observation, calendar: WorkCalendar, weights: Weights = DEFAULT_WEIGHTS
) -> float:
    """S for one question; 1 when not reached or (written) unanswered."""
    if obs.channel in PHONE_CHANNELS:
        if not obs.require(obs.reached, "reached"):
            return GRADE_MIN
        aspects = phone_aspects(obs, counter=obs.channel == "counter")
        return grade_from_aspects(aspects, weights.phone.as_dict())
    written = written_aspects(obs, calendar)
    if written is UNANSWERED:
        return GRADE_MIN
    return grade_from_aspects(written, weights.written.as_dict())


def potential_question_grade(
    obs: Observation, calendar: WorkCalendar, weights: Weights = DEFAULT_WEIGHTS
) -> float | None:
    """S counted in the potential grade; None for questions it leaves out (§2.5).

    Phone/counter: reached questions with reachability, in one go and transfers set to 1.
    Written: answered questions with their own S.
    """
    if obs.channel in WRITTEN_CHANNELS:
        return question_grade(obs, calendar, weights) if is_answered(obs, calendar) else None
    if not obs.require(obs.reached, "reached"):
        return None
    aspects = phone_aspects(obs, counter=obs.channel == "counter")
    aspects.update(dict.fromkeys(POTENTIAL_ASPECTS, 1.0))
    return grade_from_aspects(aspects, weights.phone.as_dict())


@dataclass(frozen=True)
class ChannelResult:
    """One channel of one municipality; grade and potential are None without questions."""

    grade: float | None
    potential: float | None
    planned: int
    answered: int

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def channel_result(
    observations: Iterable[Observation],
    channel: str,
    calendar: WorkCalendar,
    weights: Weights = DEFAULT_WEIGHTS,
) -> ChannelResult:
    """G_c over all planned questions of ``channel``, P_c, planned and answered counts."""
    _check_channel(channel)
    own = [obs for obs in observations if obs.channel == channel]
    grades = [question_grade(obs, calendar, weights) for obs in own]
    potentials = [
        p for obs in own if (p := potential_question_grade(obs, calendar, weights)) is not None
    ]
    return ChannelResult(
        grade=_mean(grades),
        potential=_mean(potentials),
        planned=len(own),
        answered=sum(is_answered(obs, calendar) for obs in own),
    )


def overall(
    channel_grades: Mapping[str, float | None],
    channel_weights: Mapping[str, float] = DEFAULT_CHANNEL_WEIGHTS,
) -> float | None:
    """G = Σ v·G_c / Σ v over channels with a grade; channels absent from the weights weigh 1."""
    pairs = [
        (channel_weights.get(channel, OTHER_CHANNEL_WEIGHT), grade)
        for channel, grade in channel_grades.items()
        if grade is not None
    ]
    for v, _ in pairs:
        if not v >= 0:
            raise ValueError(f"Channel weights must be non-negative, got {v}")
    weight_sum = math.fsum(v for v, _ in pairs)
    if weight_sum == 0:
        return None
    return math.fsum(v * g for v, g in pairs) / weight_sum


def band(overall_grade: float) -> Band:
    """The band of an unrounded overall grade (§2.5)."""
    for lower, name in BANDS:
        if overall_grade >= lower:
            return name
    return "onvoldoende"


K = TypeVar("K", bound=Hashable)


def rank(values: Mapping[K, float | None]) -> dict[K, int | None]:
    """Competition ranks, highest first (1, 2, 2, 4); values compare rounded to 9 decimals.

    Keys with None (or NaN) get no rank.
    """
    rounded = {
        key: round(value, RANK_DECIMALS)
        for key, value in values.items()
        if value is not None and not math.isnan(value)
    }
    ascending = sorted(rounded.values())
    result: dict[K, int | None] = {}
    for key in values:
        if key in rounded:
            higher = len(ascending) - bisect.bisect_right(ascending, rounded[key])
            result[key] = 1 + higher
        else:
            result[key] = None
    return result


# -- study score (``study score --json``) -------------------------------------------------------

#: The channels every municipality lists, with `null` when it has no questions in them.
CORE_CHANNELS: Final = ("phone", "email")


def reference_figures() -> dict[str, Any]:
    """The national reference figures of §2.5 and §2.8 (a fresh copy on every call)."""
    return {
        "norm": NORM,
        "ezk_0_meting": {
            "phone": {"grade": 6.3, "potential": 7.01},
            "email": {"grade": 6.39, "potential": 8.01, "answered_share": 0.76},
        },
        "ezk_1_meting": {
            "phone": {"grade": 7.02, "potential": 7.48},
            "email": {"grade": 6.5},
            "overall": 6.8,
        },
    }


@dataclass(frozen=True)
class MunicipalityScore:
    """One municipality's grades; ``channels`` maps a channel to None when it has no questions."""

    code: str
    name: str
    channels: Mapping[str, ChannelResult | None]
    overall: float | None
    band: Band | None
    rank: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The element of ``municipalities`` in ``study score --json``."""
        result: dict[str, Any] = {"code": self.code, "name": self.name}
        for channel, channel_res in self.channels.items():
            result[channel] = channel_res.as_dict() if channel_res is not None else None
        result.update(overall=self.overall, band=self.band, rank=self.rank)
        return result


def study_channels(observations: Iterable[Observation]) -> tuple[str, ...]:
    """Phone and e-mail always, then every other channel the observations have."""
    present = {obs.channel for obs in observations}
    return tuple(c for c in CHANNELS if c in CORE_CHANNELS or c in present)


def municipality_score(
    code: str,
    observations: Iterable[Observation],
    calendar: WorkCalendar,
    *,
    name: str | None = None,
    channels: Iterable[str] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    channel_weights: Mapping[str, float] = DEFAULT_CHANNEL_WEIGHTS,
) -> MunicipalityScore:
    """Grades of municipality ``code`` (other municipalities' observations are ignored).

    ``channels`` lists the channel keys to report (default: :func:`study_channels` of its own
    observations); ``name`` defaults to the first non-empty ``municipality_name``.
    """
    own = [obs for obs in observations if obs.municipality == code]
    keys = study_channels(own) if channels is None else tuple(channels)
    results = {c: channel_result(own, c, calendar, weights) for c in keys}
    grade = overall({c: r.grade for c, r in results.items()}, channel_weights)
    if name is None:
        name = next((obs.municipality_name for obs in own if obs.municipality_name), "")
    return MunicipalityScore(
        code=code,
        name=name,
        channels={c: r if r.planned else None for c, r in results.items()},
        overall=grade,
        band=band(grade) if grade is not None else None,
    )


def _channel_means(scores: list[MunicipalityScore], channel: str) -> dict[str, float | None] | None:
    results = [r for s in scores if (r := s.channels.get(channel)) is not None]
    if not results:
        return None
    return {
        "grade": _mean([r.grade for r in results if r.grade is not None]),
        "potential": _mean([r.potential for r in results if r.potential is not None]),
    }


def study_score(
    study: str,
    observations: Iterable[Observation],
    calendar: WorkCalendar,
    *,
    calendars: Mapping[str, WorkCalendar] | None = None,
    names: Mapping[str, str] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    channel_weights: Mapping[str, float] = DEFAULT_CHANNEL_WEIGHTS,
) -> dict[str, Any]:
    """The object ``study score --json`` prints, municipalities ordered by code.

    ``calendars`` gives a municipality its own calendar (closing days); the others use
    ``calendar``. ``reference.study`` holds the means over municipalities (§2.5).
    """
    rows = list(observations)
    channels = study_channels(rows)
    by_code: dict[str, list[Observation]] = {}
    for obs in rows:
        by_code.setdefault(obs.municipality, []).append(obs)
    scores = [
        municipality_score(
            code,
            own,
            (calendars or {}).get(code, calendar),
            name=(names or {}).get(code),
            channels=channels,
            weights=weights,
            channel_weights=channel_weights,
        )
        for code, own in sorted(by_code.items())
    ]
    ranks = rank({s.code: s.overall for s in scores})
    study_means: dict[str, Any] = {c: _channel_means(scores, c) for c in channels}
    study_means["overall"] = _mean([s.overall for s in scores if s.overall is not None])
    return {
        "study": study,
        "municipalities": [replace(s, rank=ranks[s.code]).as_dict() for s in scores],
        "reference": {**reference_figures(), "study": study_means},
    }

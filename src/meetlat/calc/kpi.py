"""Phone KPIs, percentiles and grouping: the reference for METHODOLOGY.md §0, §4.1 and §4.2.

The database computes the same figures in SQL; tests cross-check the two against this module.
Ratios with a zero denominator, and the mean, maximum or percentile of an empty set, are None
(JSON `null`); counts are 0. Durations are differences of UTC instants; grouping uses local time.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypedDict, get_args
from zoneinfo import ZoneInfo

from meetlat.calc.calendar import AMSTERDAM

__all__ = [
    "GROUP_BY",
    "GroupBy",
    "OUTCOMES",
    "Outcome",
    "PhoneCall",
    "PhoneGroup",
    "PhoneKpis",
    "ServiceLevel",
    "group_key",
    "grouped_phone_kpis",
    "mean",
    "percentile_cont",
    "phone_kpis",
    "ratio",
    "repeat_flags",
]

Outcome = Literal[
    "answered", "abandoned", "ivr_abandoned", "closed", "callback_request", "voicemail"
]
OUTCOMES: Final[frozenset[str]] = frozenset(get_args(Outcome))
GroupBy = Literal["channel", "contact_point", "topic", "month", "week", "day", "hour", "weekday"]
GROUP_BY: Final[tuple[str, ...]] = get_args(GroupBy)
REPEAT_WINDOW_S: Final = 7 * 24 * 3600
LONG_WAIT_S: Final = 300
IsOpen = Callable[[dt.datetime, str], bool]
"""Opening hours: (started_at, contact_point) → open? (opening hours differ per contact point)."""


# --- generic helpers ------------------------------------------------------------------------


def percentile_cont(values: Iterable[float], p: float) -> float | None:
    """Linear-interpolation percentile exactly like PostgreSQL `percentile_cont(p)`.

    Sorted x₀…xₙ₋₁, h = (n−1)·p: x⌊h⌋ + (h − ⌊h⌋)·(x⌈h⌉ − x⌊h⌋). None for no values.
    """
    if not 0 <= p <= 1:
        raise ValueError(f"percentile p must be between 0 and 1, got {p!r}")
    xs = sorted(values)
    if not xs:
        return None
    h = (len(xs) - 1) * p
    lo, hi = math.floor(h), math.ceil(h)
    if lo == hi:
        return float(xs[lo])
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None for a zero denominator."""
    return numerator / denominator if denominator else None


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None


def utc(t: dt.datetime) -> dt.datetime:
    """The same instant in UTC; naive datetimes are refused.

    Aware datetimes that share a tzinfo subtract and compare by wall clock in Python, which is
    wrong across a daylight-saving change, so every duration is taken between UTC values.
    """
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {t.isoformat()}")
    return t.astimezone(dt.UTC)


# --- phone ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneCall:
    """One phone contact as imported (DESIGN.md canonical columns)."""

    contact_id: str
    started_at: dt.datetime
    outcome: Outcome
    wait_s: int | None
    handle_s: int | None
    transfers: int | None
    customer: str | None
    resolved_first_contact: bool | None
    contact_point: str = ""
    topic: str = ""
    channel: str = "phone"

    @property
    def offered(self) -> bool:
        return self.outcome in ("answered", "abandoned")


class ServiceLevel(TypedDict):
    answered: float | None
    offered: float | None
    offered_excl_short_abandons: float | None
    answered_and_abandoned: float | None


TransferDistribution = TypedDict("TransferDistribution", {"0": int, "1": int, "2": int, "3+": int})


class PhoneKpis(TypedDict):
    """The phone `kpis` object: DESIGN.md's keys plus METHODOLOGY.md §4.2's extras."""

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    ivr_abandoned: int
    abandon_rate: float | None
    answer_rate: float | None
    asa_s: float | None
    mean_wait_abandoned_s: float | None
    max_wait_s: int | None
    service_level: ServiceLevel
    mean_handle_s: float | None
    transfer_rate: float | None
    repeat_contact_rate: float | None
    wait_over_300s_rate: float | None
    wait_p50_s: float | None
    wait_p90_s: float | None
    transfer_distribution: TransferDistribution
    first_line_resolution: float | None
    first_line_resolution_coverage: float | None
    first_line_resolution_proxy: float | None
    callback_requests: int
    voicemails: int
    closed: int
    outside_opening_hours: int | None


class PhoneGroup(TypedDict):
    key: str
    kpis: PhoneKpis


def _check_call(call: PhoneCall) -> None:
    where = f"call {call.contact_id!r}"
    if call.outcome not in OUTCOMES:
        raise ValueError(f"{where}: unknown outcome {call.outcome!r}")
    utc(call.started_at)
    if call.offered and call.wait_s is None:
        raise ValueError(f"{where}: wait_s is required when the outcome is {call.outcome}")
    for name in ("wait_s", "handle_s", "transfers"):
        value = getattr(call, name)
        if value is not None and value < 0:
            raise ValueError(f"{where}: {name} cannot be negative, got {value!r}")


def _customer_key(call: PhoneCall) -> tuple[str, str] | None:
    if call.customer is None or not call.customer.strip():
        return None
    return (call.channel, call.customer)


def repeat_flags(
    calls: Sequence[PhoneCall],
    *,
    history: Iterable[PhoneCall] = (),
    repeat_window_s: int = REPEAT_WINDOW_S,
) -> list[bool | None]:
    """Per call: is it a repeat contact (METHODOLOGY.md §4.2, pinned)?

    None for calls that do not count (not offered, or no customer key); True when the same
    customer key has another offered call on the same channel that started 0 < Δ ≤ window
    earlier, in `calls` or `history`. Δ is taken between UTC instants. O(n log n).
    """
    if repeat_window_s < 0:
        raise ValueError(f"repeat_window_s cannot be negative, got {repeat_window_s!r}")
    window = dt.timedelta(seconds=repeat_window_s)
    starts: defaultdict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    for call in (*history, *calls):
        key = _customer_key(call)
        if call.offered and key is not None:
            starts[key].append(utc(call.started_at))
    for times in starts.values():
        times.sort()
    flags: list[bool | None] = []
    for call in calls:
        key = _customer_key(call)
        if not call.offered or key is None:
            flags.append(None)
            continue
        at = utc(call.started_at)
        times = starts[key]
        earlier = bisect_left(times, at)  # calls strictly before `at`
        flags.append(earlier > 0 and at - times[earlier - 1] <= window)
    return flags


def _waits(calls: Iterable[PhoneCall]) -> list[int]:
    return [c.wait_s for c in calls if c.wait_s is not None]


def _service_level(
    answered: Sequence[PhoneCall],
    abandoned: Sequence[PhoneCall],
    short_abandoned: int,
    threshold_s: int,
) -> ServiceLevel:
    offered = len(answered) + len(abandoned)
    answered_in_t = sum(1 for w in _waits(answered) if w <= threshold_s)
    abandoned_in_t = sum(1 for w in _waits(abandoned) if w <= threshold_s)
    return {
        "answered": ratio(answered_in_t, len(answered)),
        "offered": ratio(answered_in_t, offered),
        "offered_excl_short_abandons": ratio(answered_in_t, offered - short_abandoned),
        "answered_and_abandoned": ratio(answered_in_t + abandoned_in_t, offered),
    }


def _transfer_distribution(answered: Sequence[PhoneCall]) -> TransferDistribution:
    counts = {"0": 0, "1": 0, "2": 0, "3+": 0}
    for call in answered:
        n = call.transfers or 0
        counts["3+" if n >= 3 else str(n)] += 1
    return {"0": counts["0"], "1": counts["1"], "2": counts["2"], "3+": counts["3+"]}


def _first_line(answered: Sequence[PhoneCall]) -> tuple[float | None, float | None]:
    yes = sum(1 for c in answered if c.resolved_first_contact is True)
    known = sum(1 for c in answered if c.resolved_first_contact is not None)
    return ratio(yes, known), ratio(known, len(answered))


def _outside_hours(calls: Sequence[PhoneCall], is_open: IsOpen | None) -> int | None:
    if is_open is None:
        return None
    return sum(1 for c in calls if not is_open(c.started_at, c.contact_point))


def _kpis(
    calls: Sequence[PhoneCall],
    flags: Sequence[bool | None],
    *,
    sl_threshold_s: int,
    short_abandon_s: int,
    is_open: IsOpen | None,
) -> PhoneKpis:
    """The KPIs of `calls`, given each call's repeat flag."""
    by_outcome: defaultdict[str, list[PhoneCall]] = defaultdict(list)
    for call in calls:
        by_outcome[call.outcome].append(call)
    answered, abandoned = by_outcome["answered"], by_outcome["abandoned"]
    offered = len(answered) + len(abandoned)
    answer_waits = _waits(answered)
    offered_waits = answer_waits + _waits(abandoned)
    short = sum(1 for w in _waits(abandoned) if w < short_abandon_s)
    handles = [c.handle_s for c in answered if c.handle_s is not None]
    transferred = sum(1 for c in answered if (c.transfers or 0) >= 1)
    repeat_base = [f for f in flags if f is not None]
    first_line, coverage = _first_line(answered)
    return {
        "offered": offered,
        "answered": len(answered),
        "abandoned": len(abandoned),
        "short_abandoned": short,
        "ivr_abandoned": len(by_outcome["ivr_abandoned"]),
        "abandon_rate": ratio(len(abandoned), offered),
        "answer_rate": ratio(len(answered), offered),
        "asa_s": mean(answer_waits),
        "mean_wait_abandoned_s": mean(_waits(abandoned)),
        "max_wait_s": max(offered_waits, default=None),
        "service_level": _service_level(answered, abandoned, short, sl_threshold_s),
        "mean_handle_s": mean(handles),
        "transfer_rate": ratio(transferred, len(answered)),
        "repeat_contact_rate": ratio(sum(repeat_base), len(repeat_base)),
        "wait_over_300s_rate": ratio(sum(1 for w in offered_waits if w > LONG_WAIT_S), offered),
        "wait_p50_s": percentile_cont(answer_waits, 0.5),
        "wait_p90_s": percentile_cont(answer_waits, 0.9),
        "transfer_distribution": _transfer_distribution(answered),
        "first_line_resolution": first_line,
        "first_line_resolution_coverage": coverage,
        "first_line_resolution_proxy": ratio(len(answered) - transferred, len(answered)),
        "callback_requests": len(by_outcome["callback_request"]),
        "voicemails": len(by_outcome["voicemail"]),
        "closed": len(by_outcome["closed"]),
        "outside_opening_hours": _outside_hours(calls, is_open),
    }


def _check_thresholds(sl_threshold_s: int, short_abandon_s: int) -> None:
    if sl_threshold_s < 0:
        raise ValueError(f"sl_threshold_s cannot be negative, got {sl_threshold_s!r}")
    if short_abandon_s < 0:
        raise ValueError(f"short_abandon_s cannot be negative, got {short_abandon_s!r}")


def phone_kpis(
    calls: Sequence[PhoneCall],
    *,
    sl_threshold_s: int = 20,
    short_abandon_s: int = 5,
    history: Iterable[PhoneCall] = (),
    repeat_window_s: int = REPEAT_WINDOW_S,
    is_open: IsOpen | None = None,
) -> PhoneKpis:
    """The phone KPIs of the calls that started in the period (METHODOLOGY.md §4.2).

    `history` holds earlier calls the repeat look-back may reach; they are not counted
    otherwise. `is_open(started_at, contact_point)` gives opening hours; without it
    `outside_opening_hours` is None.
    """
    _check_thresholds(sl_threshold_s, short_abandon_s)
    history = tuple(history)
    for call in (*calls, *history):
        _check_call(call)
    flags = repeat_flags(calls, history=history, repeat_window_s=repeat_window_s)
    return _kpis(
        calls,
        flags,
        sl_threshold_s=sl_threshold_s,
        short_abandon_s=short_abandon_s,
        is_open=is_open,
    )


# --- grouping -------------------------------------------------------------------------------


def group_key(
    started_at: dt.datetime,
    contact_point: str,
    topic: str,
    channel: str,
    group_by: str,
    tz: ZoneInfo = AMSTERDAM,
) -> str:
    """The `--group-by` key of a contact (METHODOLOGY.md §4.1); an empty value gives "".

    Time keys use the local start in `tz`; a naive `started_at` is taken as local time there.
    """
    if group_by == "channel":
        return channel or ""
    if group_by == "contact_point":
        return contact_point or ""
    if group_by == "topic":
        return topic or ""
    local = started_at.astimezone(tz) if started_at.tzinfo is not None else started_at
    if group_by == "month":
        return f"{local.year:04d}-{local.month:02d}"
    if group_by == "week":
        iso = local.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if group_by == "day":
        return local.date().isoformat()
    if group_by == "hour":
        return f"{local.hour:02d}"
    if group_by == "weekday":
        return str(local.isoweekday())
    raise ValueError(f"unknown group_by {group_by!r}; expected one of {', '.join(GROUP_BY)}")


def grouped_phone_kpis(
    calls: Sequence[PhoneCall],
    *,
    group_by: str,
    tz: ZoneInfo = AMSTERDAM,
    sl_threshold_s: int = 20,
    short_abandon_s: int = 5,
    history: Iterable[PhoneCall] = (),
    repeat_window_s: int = REPEAT_WINDOW_S,
    is_open: IsOpen | None = None,
) -> list[PhoneGroup]:
    """Phone KPIs per group, sorted by key; only groups with calls appear.

    Repeat contact is a property of the call, so the look-back spans all calls and the
    history, not only the call's own group.
    """
    _check_thresholds(sl_threshold_s, short_abandon_s)
    if group_by not in GROUP_BY:
        raise ValueError(f"unknown group_by {group_by!r}; expected one of {', '.join(GROUP_BY)}")
    history = tuple(history)
    for call in (*calls, *history):
        _check_call(call)
    flags = repeat_flags(calls, history=history, repeat_window_s=repeat_window_s)
    groups: defaultdict[str, tuple[list[PhoneCall], list[bool | None]]] = defaultdict(
        lambda: ([], [])
    )
    for call, flag in zip(calls, flags, strict=True):
        key = group_key(call.started_at, call.contact_point, call.topic, call.channel, group_by, tz)
        groups[key][0].append(call)
        groups[key][1].append(flag)
    return [
        {
            "key": key,
            "kpis": _kpis(
                group_calls,
                group_flags,
                sl_threshold_s=sl_threshold_s,
                short_abandon_s=short_abandon_s,
                is_open=is_open,
            ),
        }
        for key, (group_calls, group_flags) in sorted(groups.items())
    ]

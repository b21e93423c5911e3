"""Phone KPIs from counts, sums and maxima (METHODOLOGY.md §4.1 "rollups without bias", §4.2).

The database sums what a query or a daily rollup can hold (`PhoneCounts`); this module turns
those into the `kpis` object. Every ratio and mean is Σ numerators / Σ denominators, never a
mean of means; a maximum is the maximum of maxima. Percentiles need the waits themselves, so
they come in separately. `phone_counts` computes the same counts from `PhoneCall`s: tests use it
to check that `phone_kpis_from_counts` agrees with `calc.kpi.phone_kpis`.

Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from meetlat.calc.kpi import (
    LONG_WAIT_S,
    REPEAT_WINDOW_S,
    PhoneCall,
    PhoneKpis,
    percentile_cont,
    ratio,
    repeat_flags,
)

__all__ = ["PhoneCounts", "mean_of_sum", "phone_counts", "phone_kpis_from_counts"]


def mean_of_sum(total: int, n: int) -> float | None:
    """total / n, the mean of n values summing to total; None for no values."""
    return total / n if n else None


@dataclass(frozen=True)
class PhoneCounts:
    """Counts, sums and maxima of phone contacts, for thresholds T (SL) and S (short abandon).

    `answered_waits_*`/`abandoned_waits_*` sum `wait_s`; `handled` counts answered calls with
    a `handle_s`; `transfers_n` count answered calls by their number of transfers (empty = 0);
    `resolved_known` counts answered calls with `resolved_first_contact` yes or no;
    `repeat_base` counts offered calls with a customer key, `repeat_contacts` those of them that
    are repeat contacts (the same key called within the window before, look-back included).
    """

    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    ivr_abandoned: int = 0
    closed: int = 0
    callback_requests: int = 0
    voicemails: int = 0
    answered_within_t: int = 0
    abandoned_within_t: int = 0
    wait_sum_answered: int = 0
    wait_sum_abandoned: int = 0
    wait_max_offered: int | None = None
    wait_over_300s: int = 0
    handled: int = 0
    handle_sum: int = 0
    transfers_1: int = 0
    transfers_2: int = 0
    transfers_3_plus: int = 0
    resolved_yes: int = 0
    resolved_known: int = 0
    repeat_contacts: int = 0
    repeat_base: int = 0

    @property
    def offered(self) -> int:
        return self.answered + self.abandoned

    @property
    def transferred(self) -> int:
        return self.transfers_1 + self.transfers_2 + self.transfers_3_plus

    def __add__(self, other: PhoneCounts) -> PhoneCounts:
        """Combine two disjoint sets of contacts (two days of a rollup, say)."""
        values: dict[str, int | None] = {}
        for field in fields(self):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            if field.name == "wait_max_offered":
                present = [v for v in (mine, theirs) if v is not None]
                values[field.name] = max(present) if present else None
            else:
                values[field.name] = mine + theirs
        return PhoneCounts(**values)  # type: ignore[arg-type]


def phone_counts(
    calls: Sequence[PhoneCall],
    *,
    sl_threshold_s: int = 20,
    short_abandon_s: int = 5,
    history: Iterable[PhoneCall] = (),
    repeat_window_s: int = REPEAT_WINDOW_S,
) -> PhoneCounts:
    """The counts of `calls` (the reference for what SQL computes).

    `history` holds earlier calls the repeat look-back may reach; they are not counted otherwise.
    """
    totals: dict[str, int] = {
        f.name: 0 for f in fields(PhoneCounts) if f.name != "wait_max_offered"
    }
    waits: list[int] = []
    outcome_field = {
        "ivr_abandoned": "ivr_abandoned",
        "closed": "closed",
        "callback_request": "callback_requests",
        "voicemail": "voicemails",
    }
    for call in calls:
        if call.outcome in outcome_field:
            totals[outcome_field[call.outcome]] += 1
            continue
        wait = call.wait_s
        if wait is None or not call.offered:
            raise ValueError(f"call {call.contact_id!r}: offered calls need a wait_s")
        waits.append(wait)
        totals["wait_over_300s"] += wait > LONG_WAIT_S
        if call.outcome == "abandoned":
            totals["abandoned"] += 1
            totals["short_abandoned"] += wait < short_abandon_s
            totals["abandoned_within_t"] += wait <= sl_threshold_s
            totals["wait_sum_abandoned"] += wait
            continue
        _count_answered(totals, call, wait, sl_threshold_s)
    flags = repeat_flags(calls, history=history, repeat_window_s=repeat_window_s)
    totals["repeat_contacts"] = sum(1 for flag in flags if flag)
    totals["repeat_base"] = sum(1 for flag in flags if flag is not None)
    return PhoneCounts(**totals, wait_max_offered=max(waits, default=None))


def _count_answered(totals: dict[str, int], call: PhoneCall, wait: int, threshold: int) -> None:
    totals["answered"] += 1
    totals["answered_within_t"] += wait <= threshold
    totals["wait_sum_answered"] += wait
    if call.handle_s is not None:
        totals["handled"] += 1
        totals["handle_sum"] += call.handle_s
    transfers = call.transfers or 0
    if transfers >= 1:
        totals["transfers_3_plus" if transfers >= 3 else f"transfers_{transfers}"] += 1
    if call.resolved_first_contact is not None:
        totals["resolved_known"] += 1
        totals["resolved_yes"] += call.resolved_first_contact


def phone_kpis_from_counts(
    counts: PhoneCounts,
    *,
    answered_waits: Sequence[float],
    outside_opening_hours: int | None = None,
) -> PhoneKpis:
    """The phone `kpis` object (same keys and values as `calc.kpi.phone_kpis`).

    `answered_waits` are the `wait_s` of the answered calls (for the percentiles).
    """
    c = counts
    offered = c.offered
    return {
        "offered": offered,
        "answered": c.answered,
        "abandoned": c.abandoned,
        "short_abandoned": c.short_abandoned,
        "ivr_abandoned": c.ivr_abandoned,
        "abandon_rate": ratio(c.abandoned, offered),
        "answer_rate": ratio(c.answered, offered),
        "asa_s": mean_of_sum(c.wait_sum_answered, c.answered),
        "mean_wait_abandoned_s": mean_of_sum(c.wait_sum_abandoned, c.abandoned),
        "max_wait_s": c.wait_max_offered,
        "service_level": {
            "answered": ratio(c.answered_within_t, c.answered),
            "offered": ratio(c.answered_within_t, offered),
            "offered_excl_short_abandons": ratio(c.answered_within_t, offered - c.short_abandoned),
            "answered_and_abandoned": ratio(c.answered_within_t + c.abandoned_within_t, offered),
        },
        "mean_handle_s": mean_of_sum(c.handle_sum, c.handled),
        "transfer_rate": ratio(c.transferred, c.answered),
        "repeat_contact_rate": ratio(c.repeat_contacts, c.repeat_base),
        "wait_over_300s_rate": ratio(c.wait_over_300s, offered),
        "wait_p50_s": percentile_cont(answered_waits, 0.5),
        "wait_p90_s": percentile_cont(answered_waits, 0.9),
        "transfer_distribution": {
            "0": c.answered - c.transferred,
            "1": c.transfers_1,
            "2": c.transfers_2,
            "3+": c.transfers_3_plus,
        },
        "first_line_resolution": ratio(c.resolved_yes, c.resolved_known),
        "first_line_resolution_coverage": ratio(c.resolved_known, c.answered),
        "first_line_resolution_proxy": ratio(c.answered - c.transferred, c.answered),
        "callback_requests": c.callback_requests,
        "voicemails": c.voicemails,
        "closed": c.closed,
        "outside_opening_hours": outside_opening_hours,
    }

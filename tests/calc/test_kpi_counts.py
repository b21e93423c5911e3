"""Phone KPIs from counts (calc.kpi_counts) equal those from calls (calc.kpi)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetlat.calc.kpi import Outcome, PhoneCall, phone_kpis
from meetlat.calc.kpi_counts import PhoneCounts, phone_counts, phone_kpis_from_counts

START = dt.datetime(2026, 3, 25, 8, 0, tzinfo=dt.UTC)


@st.composite
def calls(draw: st.DrawFn) -> list[PhoneCall]:
    result = []
    for i in range(draw(st.integers(0, 30))):
        outcome: Outcome = draw(
            st.sampled_from(
                [
                    "answered",
                    "abandoned",
                    "ivr_abandoned",
                    "closed",
                    "callback_request",
                    "voicemail",
                ]
            )
        )
        offered = outcome in ("answered", "abandoned")
        result.append(
            PhoneCall(
                contact_id=str(i),
                started_at=START + dt.timedelta(minutes=draw(st.integers(0, 20_000))),
                outcome=outcome,
                wait_s=draw(st.integers(0, 400) if offered else st.none()),
                handle_s=draw(st.none() | st.integers(0, 600)),
                transfers=draw(st.none() | st.integers(0, 5)),
                customer=draw(st.none() | st.sampled_from(["a", "b", "c"])),
                resolved_first_contact=draw(st.none() | st.booleans()),
            )
        )
    return result


@given(calls(), st.integers(0, 60), st.integers(0, 10))
def test_kpis_from_counts_equal_kpis_from_calls(
    sample: list[PhoneCall], threshold: int, short: int
) -> None:
    period, history = sample[: len(sample) // 2], sample[len(sample) // 2 :]
    options = {"sl_threshold_s": threshold, "short_abandon_s": short, "history": history}
    counts = phone_counts(period, **options)  # type: ignore[arg-type]
    waits = sorted(c.wait_s for c in period if c.outcome == "answered" and c.wait_s is not None)
    got = phone_kpis_from_counts(counts, answered_waits=waits)
    assert got == phone_kpis(period, **options)  # type: ignore[arg-type]


@given(calls())
def test_counts_of_two_sets_add_up_to_the_counts_of_both(sample: list[PhoneCall]) -> None:
    first, second = sample[::2], sample[1::2]
    # each part looks back into the other part too, as a rollup of two days would
    assert phone_counts(first, history=second) + phone_counts(second, history=first) == (
        phone_counts(sample)
    )


def test_no_calls_give_zero_counts_and_null_ratios() -> None:
    assert phone_counts([]) == PhoneCounts()
    kpis = phone_kpis_from_counts(PhoneCounts(), answered_waits=[])
    assert kpis["offered"] == 0 and kpis["max_wait_s"] is None and kpis["asa_s"] is None


def test_an_offered_call_without_a_wait_is_refused() -> None:
    call = PhoneCall("x", START, "answered", None, None, None, None, None)
    with pytest.raises(ValueError, match="offered calls need a wait_s"):
        phone_counts([call])

"""Phone KPIs, percentiles and grouping (METHODOLOGY.md §0, §4.1, §4.2)."""

from __future__ import annotations

import ast
import datetime as dt
import itertools
import statistics
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetlat.calc import erlang, kpi, kpi_written
from meetlat.calc.kpi import (
    OUTCOMES,
    PhoneCall,
    group_key,
    grouped_phone_kpis,
    percentile_cont,
    phone_kpis,
    repeat_flags,
)

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
MONDAY_9 = dt.datetime(2026, 1, 12, 9, 0, tzinfo=AMS)
_ids = itertools.count()

DESIGN_KEYS = {
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "ivr_abandoned",
    "abandon_rate",
    "answer_rate",
    "asa_s",
    "mean_wait_abandoned_s",
    "max_wait_s",
    "service_level",
    "mean_handle_s",
    "transfer_rate",
    "repeat_contact_rate",
}
EXTRA_KEYS = {
    "wait_over_300s_rate",
    "wait_p50_s",
    "wait_p90_s",
    "transfer_distribution",
    "first_line_resolution",
    "first_line_resolution_coverage",
    "first_line_resolution_proxy",
    "callback_requests",
    "voicemails",
    "closed",
    "outside_opening_hours",
}


def call(
    outcome: str = "answered",
    wait_s: int | None = None,
    *,
    at: dt.datetime = MONDAY_9,
    customer: str | None = None,
    handle_s: int | None = None,
    transfers: int | None = None,
    resolved: bool | None = None,
    contact_point: str = "",
    topic: str = "",
    channel: str = "phone",
) -> PhoneCall:
    if wait_s is None and outcome in ("answered", "abandoned"):
        wait_s = 10
    return PhoneCall(
        contact_id=f"c{next(_ids)}",
        started_at=at,
        outcome=outcome,  # type: ignore[arg-type]
        wait_s=wait_s,
        handle_s=handle_s,
        transfers=transfers,
        customer=customer,
        resolved_first_contact=resolved,
        contact_point=contact_point,
        topic=topic,
        channel=channel,
    )


def example_calls() -> list[PhoneCall]:
    """METHODOLOGY.md §4.2: answered waits 5 … 310, abandoned 3 and 45."""
    answered = [call("answered", w) for w in (5, 12, 18, 20, 25, 40, 70, 310)]
    return answered + [call("abandoned", 3), call("abandoned", 45)]


# --- percentile_cont ----------------------------------------------------------------------------


def test_percentile_interpolates_like_postgresql() -> None:
    waits = [5, 12, 18, 20, 25, 40, 70, 310]
    assert percentile_cont(waits, 0.5) == pytest.approx(22.5)
    assert percentile_cont(waits, 0.9) == pytest.approx(142)  # h = 6.3 → 70 + 0.3 × 240


def test_percentile_does_not_depend_on_input_order() -> None:
    assert percentile_cont([310, 5, 70, 12], 0.5) == percentile_cont([5, 12, 70, 310], 0.5)


def test_percentile_of_nothing_is_none() -> None:
    assert percentile_cont([], 0.5) is None


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile_cont([7], 0.9) == 7.0


@pytest.mark.parametrize("p", [-0.1, 1.1])
def test_percentile_refuses_p_outside_zero_to_one(p: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile_cont([1, 2], p)


values = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40)
fractions = st.floats(min_value=0, max_value=1)


@given(xs=values, p=fractions, q=fractions)
def test_percentile_is_monotone_in_p(xs: list[int], p: float, q: float) -> None:
    low, high = sorted((p, q))
    a, b = percentile_cont(xs, low), percentile_cont(xs, high)
    assert a is not None and b is not None
    assert a <= b + 1e-9


@given(xs=values, p=fractions)
def test_percentile_lies_between_the_smallest_and_largest_value(xs: list[int], p: float) -> None:
    result = percentile_cont(xs, p)
    assert result is not None
    assert min(xs) - 1e-9 <= result <= max(xs) + 1e-9
    assert percentile_cont(xs, 0) == min(xs)
    assert percentile_cont(xs, 1) == max(xs)


@given(xs=st.lists(st.integers(0, 1000), min_size=2, max_size=40), i=st.integers(1, 99))
def test_percentile_agrees_with_the_inclusive_quantile_method(xs: list[int], i: int) -> None:
    expected = statistics.quantiles(xs, n=100, method="inclusive")[i - 1]
    assert percentile_cont(xs, i / 100) == pytest.approx(expected, rel=1e-9, abs=1e-9)


# --- the §4.2 worked example --------------------------------------------------------------------


def test_worked_example_counts_offered_abandoned_and_short_abandoned() -> None:
    k = phone_kpis(example_calls(), sl_threshold_s=20, short_abandon_s=5)
    assert (k["offered"], k["answered"], k["abandoned"], k["short_abandoned"]) == (10, 8, 2, 1)
    assert k["abandon_rate"] == pytest.approx(0.2)
    assert k["answer_rate"] == pytest.approx(0.8)


def test_worked_example_waits() -> None:
    k = phone_kpis(example_calls())
    assert k["asa_s"] == pytest.approx(62.5)
    assert k["mean_wait_abandoned_s"] == pytest.approx(24)
    assert k["max_wait_s"] == 310
    assert k["wait_over_300s_rate"] == pytest.approx(0.1)
    assert k["wait_p50_s"] == pytest.approx(22.5)
    assert k["wait_p90_s"] == pytest.approx(142)


def test_worked_example_service_levels() -> None:
    sl = phone_kpis(example_calls(), sl_threshold_s=20, short_abandon_s=5)["service_level"]
    assert sl["answered"] == pytest.approx(0.5)
    assert sl["offered"] == pytest.approx(0.4)
    assert sl["offered_excl_short_abandons"] == pytest.approx(4 / 9)
    assert sl["answered_and_abandoned"] == pytest.approx(0.5)


def test_service_level_counts_a_wait_equal_to_the_threshold_as_within() -> None:
    k = phone_kpis([call("answered", 20), call("answered", 21)], sl_threshold_s=20)
    assert k["service_level"]["answered"] == pytest.approx(0.5)


def test_short_abandon_is_strictly_below_the_short_abandon_threshold() -> None:
    k = phone_kpis([call("abandoned", 4), call("abandoned", 5)], short_abandon_s=5)
    assert k["short_abandoned"] == 1


def test_kpis_hold_exactly_the_design_and_methodology_keys() -> None:
    k = phone_kpis(example_calls())
    assert set(k) == DESIGN_KEYS | EXTRA_KEYS
    assert set(k["service_level"]) == {
        "answered",
        "offered",
        "offered_excl_short_abandons",
        "answered_and_abandoned",
    }
    assert set(k["transfer_distribution"]) == {"0", "1", "2", "3+"}


def test_no_calls_give_zero_counts_and_null_ratios() -> None:
    k = phone_kpis([])
    assert k["offered"] == k["answered"] == k["closed"] == 0
    assert k["transfer_distribution"] == {"0": 0, "1": 0, "2": 0, "3+": 0}
    nullable = [
        "abandon_rate",
        "answer_rate",
        "asa_s",
        "mean_wait_abandoned_s",
        "max_wait_s",
        "mean_handle_s",
        "transfer_rate",
        "repeat_contact_rate",
        "wait_over_300s_rate",
        "wait_p50_s",
        "wait_p90_s",
        "first_line_resolution",
        "first_line_resolution_coverage",
        "first_line_resolution_proxy",
    ]
    assert [k[name] for name in nullable] == [None] * len(nullable)  # type: ignore[literal-required]
    assert set(k["service_level"].values()) == {None}


def test_only_abandons_give_no_answer_figures_but_an_abandon_rate() -> None:
    k = phone_kpis([call("abandoned", 2), call("abandoned", 30)], short_abandon_s=5)
    assert k["abandon_rate"] == 1.0
    assert k["asa_s"] is None
    assert k["service_level"]["answered"] is None
    assert k["service_level"]["offered"] == 0.0
    assert k["service_level"]["offered_excl_short_abandons"] == 0.0


def test_offered_excluding_short_abandons_is_null_when_all_offered_were_short_abandons() -> None:
    k = phone_kpis([call("abandoned", 1)], short_abandon_s=5)
    assert k["service_level"]["offered_excl_short_abandons"] is None


def test_closed_ivr_callback_and_voicemail_are_counted_apart_and_never_offered() -> None:
    calls = [
        call("closed", None),
        call("closed", None),
        call("ivr_abandoned", None),
        call("callback_request", 30),
        call("voicemail", None),
        call("answered", 10),
    ]
    k = phone_kpis(calls)
    assert (k["offered"], k["closed"], k["ivr_abandoned"]) == (1, 2, 1)
    assert (k["callback_requests"], k["voicemails"]) == (1, 1)
    assert k["max_wait_s"] == 10  # the callback request's 30 s is not an offered wait


def test_handle_time_is_the_mean_over_answered_calls_that_have_one() -> None:
    calls = [call(handle_s=100), call(handle_s=200), call(handle_s=None), call("abandoned")]
    assert phone_kpis(calls)["mean_handle_s"] == pytest.approx(150)


def test_transfers_give_rate_distribution_and_proxy_with_empty_as_zero() -> None:
    calls = [call(transfers=t) for t in (None, 0, 1, 2, 3, 5)] + [call("abandoned")]
    k = phone_kpis(calls)
    assert k["transfer_distribution"] == {"0": 2, "1": 1, "2": 1, "3+": 2}
    assert k["transfer_rate"] == pytest.approx(4 / 6)
    assert k["first_line_resolution_proxy"] == pytest.approx(2 / 6)


def test_first_line_resolution_uses_known_answers_and_reports_coverage() -> None:
    calls = [call(resolved=True), call(resolved=True), call(resolved=False), call(resolved=None)]
    calls.append(call("abandoned", 40))
    k = phone_kpis(calls)
    assert k["first_line_resolution"] == pytest.approx(2 / 3)
    assert k["first_line_resolution_coverage"] == pytest.approx(3 / 4)


def test_outside_opening_hours_counts_any_outcome_per_contact_point() -> None:
    def is_open(at: dt.datetime, contact_point: str) -> bool:
        closes = 12 if contact_point == "balie-noord" else 17
        return 8 <= at.astimezone(AMS).hour < closes

    evening = MONDAY_9.replace(hour=19)
    afternoon = MONDAY_9.replace(hour=14)
    calls = [
        call("closed", None, at=evening),
        call("answered", at=afternoon, contact_point="balie-noord"),
        call("answered", at=afternoon),
        call("abandoned", at=MONDAY_9),
    ]
    assert phone_kpis(calls, is_open=is_open)["outside_opening_hours"] == 2
    assert phone_kpis(calls)["outside_opening_hours"] is None


@pytest.mark.parametrize("outcome", ["answered", "abandoned"])
def test_an_offered_call_without_wait_is_refused(outcome: str) -> None:
    bad = PhoneCall("x1", MONDAY_9, outcome, None, None, None, None, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="wait_s is required"):
        phone_kpis([bad])


def test_negative_durations_unknown_outcomes_and_naive_times_are_refused() -> None:
    naive = dt.datetime(2026, 1, 12, 9, 0)
    with pytest.raises(ValueError, match="negative"):
        phone_kpis([call("answered", -1)])
    with pytest.raises(ValueError, match="unknown outcome"):
        phone_kpis([call("hung_up", 3)])
    with pytest.raises(ValueError, match="timezone-aware"):
        phone_kpis([call(at=naive)])
    with pytest.raises(ValueError, match="sl_threshold_s"):
        phone_kpis([], sl_threshold_s=-1)


def test_negative_thresholds_and_windows_are_refused() -> None:
    with pytest.raises(ValueError, match="short_abandon_s"):
        phone_kpis([], short_abandon_s=-1)
    with pytest.raises(ValueError, match="repeat_window_s"):
        phone_kpis([], repeat_window_s=-1)


# --- repeat contact -----------------------------------------------------------------------------

# METHODOLOGY.md §4.2: clocks moved on 29 March 2026, so the wall clock shows 7 days 45 minutes
# but only 167.75 hours passed.
MARCH_27 = dt.datetime(2026, 3, 27, 10, 0, tzinfo=AMS)  # CET
APRIL_3 = dt.datetime(2026, 4, 3, 10, 45, tzinfo=AMS)  # CEST


def test_repeat_example_across_the_clock_change_is_a_repeat() -> None:
    assert (APRIL_3.astimezone(UTC) - MARCH_27.astimezone(UTC)) == dt.timedelta(hours=167.75)
    calls = [call(at=MARCH_27, customer="K"), call(at=APRIL_3, customer="K")]
    assert repeat_flags(calls) == [False, True]
    assert phone_kpis(calls)["repeat_contact_rate"] == pytest.approx(0.5)


def test_repeat_look_back_reaches_into_history_before_the_period() -> None:
    history = [call(at=MARCH_27, customer="K")]
    k = phone_kpis([call(at=APRIL_3, customer="K")], history=history)
    assert k["repeat_contact_rate"] == 1.0
    assert k["offered"] == 1  # history is not counted


def test_a_call_just_past_seven_times_24_hours_is_not_a_repeat() -> None:
    exactly = dt.datetime(2026, 4, 3, 11, 0, tzinfo=AMS)  # 168 h after 27 March 10:00 CET
    assert repeat_flags([call(at=MARCH_27, customer="K"), call(at=exactly, customer="K")])[1]
    later = exactly + dt.timedelta(seconds=1)
    assert not repeat_flags([call(at=MARCH_27, customer="K"), call(at=later, customer="K")])[1]


def test_repeat_window_is_a_parameter() -> None:
    calls = [
        call(at=MONDAY_9, customer="K"),
        call(at=MONDAY_9 + dt.timedelta(hours=2), customer="K"),
    ]
    assert phone_kpis(calls, repeat_window_s=3600)["repeat_contact_rate"] == 0.0
    assert phone_kpis(calls, repeat_window_s=7200)["repeat_contact_rate"] == 0.5


def test_calls_at_the_same_instant_are_not_repeats_of_each_other() -> None:
    calls = [call(customer="K"), call(customer="K")]
    assert repeat_flags(calls) == [False, False]


def test_only_offered_calls_on_the_same_channel_count_for_repeats() -> None:
    later = MONDAY_9 + dt.timedelta(hours=1)
    assert repeat_flags([call("closed", None, customer="K"), call(at=later, customer="K")]) == [
        None,
        False,
    ]
    other_channel = call(customer="K", channel="whatsapp")
    assert repeat_flags([other_channel, call(at=later, customer="K")]) == [False, False]


def test_calls_without_a_customer_key_are_left_out_of_the_repeat_rate() -> None:
    calls = [call(customer=None), call(customer="  "), call(at=MARCH_27, customer="K")]
    assert repeat_flags(calls) == [None, None, False]
    assert phone_kpis([call(customer=None)])["repeat_contact_rate"] is None


def _naive_repeat_flags(calls: list[PhoneCall], window_s: int) -> list[bool | None]:
    """The pinned definition written out in O(n²), as an oracle."""
    flags: list[bool | None] = []
    for c in calls:
        if c.outcome not in ("answered", "abandoned") or not (c.customer or "").strip():
            flags.append(None)
            continue
        flags.append(
            any(
                o.outcome in ("answered", "abandoned")
                and o.customer == c.customer
                and o.channel == c.channel
                and 0
                < (c.started_at.astimezone(UTC) - o.started_at.astimezone(UTC)).total_seconds()
                <= window_s
                for o in calls
            )
        )
    return flags


# Instants around the 2026 spring and autumn clock changes, in mixed zones.
instants = st.builds(
    lambda minutes, zone: (
        dt.datetime(2026, 3, 20, tzinfo=UTC) + dt.timedelta(minutes=minutes)
    ).astimezone(zone),
    st.integers(0, 60 * 24 * 230),
    st.sampled_from([UTC, AMS]),
)
offered_or_not = st.sampled_from(["answered", "abandoned", "closed", "voicemail"])
random_calls = st.lists(
    st.builds(
        lambda outcome, at, customer, channel: call(
            outcome, None, at=at, customer=customer, channel=channel
        ),
        offered_or_not,
        instants,
        st.sampled_from([None, "", "A", "B", "C"]),
        st.sampled_from(["phone", "whatsapp"]),
    ),
    max_size=30,
)


@given(calls=random_calls, window_h=st.sampled_from([1, 24, 168, 24 * 60]))
def test_fast_repeat_flags_match_the_quadratic_definition(
    calls: list[PhoneCall], window_h: int
) -> None:
    assert repeat_flags(calls, repeat_window_s=window_h * 3600) == _naive_repeat_flags(
        calls, window_h * 3600
    )


# --- properties of the phone KPIs ---------------------------------------------------------------

phone_calls = st.lists(
    st.builds(
        lambda outcome, wait, handle, transfers, resolved: call(
            outcome,
            wait,
            handle_s=handle,
            transfers=transfers,
            resolved=resolved,
        ),
        st.sampled_from(sorted(OUTCOMES)),
        st.integers(0, 900),
        st.none() | st.integers(0, 3600),
        st.none() | st.integers(0, 6),
        st.none() | st.booleans(),
    ),
    max_size=40,
)


def _ratios(k: kpi.PhoneKpis) -> list[float | None]:
    return [
        k["abandon_rate"],
        k["answer_rate"],
        k["transfer_rate"],
        k["repeat_contact_rate"],
        k["wait_over_300s_rate"],
        k["first_line_resolution"],
        k["first_line_resolution_coverage"],
        k["first_line_resolution_proxy"],
        k["service_level"]["answered"],
        k["service_level"]["offered"],
        k["service_level"]["offered_excl_short_abandons"],
        k["service_level"]["answered_and_abandoned"],
    ]


@given(calls=phone_calls, t=st.integers(0, 60), s=st.integers(0, 10))
def test_phone_kpi_invariants_hold_for_any_calls(calls: list[PhoneCall], t: int, s: int) -> None:
    k = phone_kpis(calls, sl_threshold_s=t, short_abandon_s=s)
    assert k["offered"] == k["answered"] + k["abandoned"]
    assert k["short_abandoned"] <= k["abandoned"]
    assert all(r is None or 0 <= r <= 1 for r in _ratios(k))
    distribution = k["transfer_distribution"]
    transfers = distribution["0"] + distribution["1"] + distribution["2"] + distribution["3+"]
    assert transfers == k["answered"]
    total = k["offered"] + k["ivr_abandoned"] + k["closed"] + k["callback_requests"]
    assert total + k["voicemails"] == len(calls)
    sl = k["service_level"]
    if k["offered"]:
        assert sl["offered"] is not None and sl["answered_and_abandoned"] is not None
        assert sl["offered"] <= sl["answered_and_abandoned"]
        if sl["offered_excl_short_abandons"] is not None:
            assert sl["offered"] <= sl["offered_excl_short_abandons"]
    if k["answered"]:
        assert sl["offered"] is not None and sl["answered"] is not None
        assert sl["offered"] <= sl["answered"]
        assert k["wait_p50_s"] is not None and k["wait_p90_s"] is not None
        assert k["wait_p50_s"] <= k["wait_p90_s"]
        assert k["max_wait_s"] is not None and k["wait_p90_s"] <= k["max_wait_s"]


@given(calls=phone_calls, t=st.integers(0, 60))
def test_a_higher_threshold_never_lowers_the_service_level(calls: list[PhoneCall], t: int) -> None:
    low = phone_kpis(calls, sl_threshold_s=t)["service_level"]
    high = phone_kpis(calls, sl_threshold_s=t + 10)["service_level"]
    for name in ("answered", "offered", "offered_excl_short_abandons", "answered_and_abandoned"):
        a, b = low[name], high[name]
        assert (a is None) == (b is None)
        assert a is None or b is None or a <= b


# --- grouping -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("channel", "phone"),
        ("contact_point", "KCC"),
        ("topic", "paspoort"),
        ("month", "2026-01"),
        ("week", "2026-W03"),
        ("day", "2026-01-15"),
        ("hour", "00"),
        ("weekday", "4"),
    ],
)
def test_group_keys_use_the_local_start(group_by: str, expected: str) -> None:
    # 23:30 UTC on Wednesday 14 January is 00:30 on Thursday 15 January in Amsterdam.
    at = dt.datetime(2026, 1, 14, 23, 30, tzinfo=UTC)
    assert group_key(at, "KCC", "paspoort", "phone", group_by, AMS) == expected


def test_group_keys_follow_iso_weeks_over_new_year() -> None:
    new_year = dt.datetime(2027, 1, 1, 12, tzinfo=AMS)  # a Friday in ISO week 2026-W53
    assert group_key(new_year, "", "", "phone", "week", AMS) == "2026-W53"
    assert group_key(new_year, "", "", "phone", "month", AMS) == "2027-01"


def test_group_key_hour_follows_daylight_saving_time() -> None:
    after_change = dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert group_key(after_change, "", "", "phone", "hour", AMS) == "03"
    assert group_key(after_change, "", "", "phone", "weekday", AMS) == "7"


def test_an_empty_group_value_gives_an_empty_key() -> None:
    assert group_key(MONDAY_9, "", "", "", "contact_point", AMS) == ""
    assert group_key(MONDAY_9, "", "", "", "topic", AMS) == ""


def test_a_naive_start_is_read_as_local_time() -> None:
    assert group_key(dt.datetime(2026, 1, 15, 9, 5), "", "", "", "hour", AMS) == "09"


def test_an_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="group_by"):
        group_key(MONDAY_9, "", "", "phone", "quarter", AMS)
    with pytest.raises(ValueError, match="group_by"):
        grouped_phone_kpis([], group_by="quarter")


def test_groups_are_sorted_by_key_and_add_up_to_the_whole() -> None:
    calls = [
        call(contact_point="Stadhuis"),
        call("abandoned", 3, contact_point=""),
        call(contact_point="KCC"),
        call("abandoned", 30, contact_point="KCC"),
    ]
    groups = grouped_phone_kpis(calls, group_by="contact_point")
    assert [g["key"] for g in groups] == ["", "KCC", "Stadhuis"]
    assert sum(g["kpis"]["offered"] for g in groups) == phone_kpis(calls)["offered"]
    assert groups[1]["kpis"]["abandon_rate"] == pytest.approx(0.5)


def test_a_group_sees_repeats_of_calls_in_other_groups() -> None:
    calls = [call(at=MARCH_27, customer="K"), call(at=APRIL_3, customer="K")]
    groups = grouped_phone_kpis(calls, group_by="day")
    assert [g["key"] for g in groups] == ["2026-03-27", "2026-04-03"]
    assert [g["kpis"]["repeat_contact_rate"] for g in groups] == [0.0, 1.0]


@given(calls=random_calls, group_by=st.sampled_from(list(kpi.GROUP_BY)))
def test_grouped_counts_always_add_up_to_the_total(calls: list[PhoneCall], group_by: str) -> None:
    total = phone_kpis(calls)
    groups = grouped_phone_kpis(calls, group_by=group_by)
    assert [g["key"] for g in groups] == sorted(g["key"] for g in groups)
    for name in ("offered", "answered", "abandoned", "closed", "voicemails"):
        assert sum(g["kpis"][name] for g in groups) == total[name]


# --- purity -------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [kpi, kpi_written, erlang])
def test_calc_module_imports_neither_django_nor_a_meetlat_app(module: object) -> None:
    source = Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8")
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    assert names, "the module should import something"
    assert not {n for n in names if n == "django" or n.startswith("django.")}
    assert not {n for n in names if n.startswith("meetlat.") and not n.startswith("meetlat.calc")}

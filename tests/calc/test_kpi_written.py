"""Callbacks, e-mail and web form, chat, counter and KTO (METHODOLOGY.md §4.3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.kpi_written import (
    Callback,
    ChatConversation,
    CounterVisit,
    KtoAnswer,
    Thread,
    callback_kpis,
    chat_kpis,
    counter_kpis,
    counter_wait,
    email_kpis,
    kto_kpis,
    kto_kpis_by_channel_aspect,
)

AMS = ZoneInfo("Europe/Amsterdam")
CAL = WorkCalendar()
LATER = dt.datetime(2026, 12, 31, 12, tzinfo=AMS)  # "now" long after every deadline


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=AMS)


FRI_24_APR_14 = at(4, 24, 14)  # METHODOLOGY.md §4.3: the 24-hour modes example


def email(threads: list[Thread], now: dt.datetime = LATER, **options: object) -> dict[str, object]:
    return dict(email_kpis(threads, calendar=CAL, now=now, **options))  # type: ignore[arg-type]


# --- e-mail: the 24-hour modes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "last_in_time", "first_too_late"),
    [
        ("clock_24h", at(4, 25, 14), at(4, 25, 14, 0, 1)),
        # 3 + 8.5 + 8.5 + 4 office hours, King's Day (Monday 27 April) skipped.
        ("office_hours_24h", at(4, 30, 12, 30), at(4, 30, 12, 31)),
        # End of Tuesday 28 April: the first working day after Friday, King's Day skipped.
        ("next_working_day", at(4, 28, 23, 59, 59), at(4, 29, 0, 0, 1)),
    ],
)
def test_the_24_hour_modes_of_the_worked_example(
    mode: str, last_in_time: dt.datetime, first_too_late: dt.datetime
) -> None:
    in_time = Thread(FRI_24_APR_14, answered_at=last_in_time)
    too_late = Thread(FRI_24_APR_14, answered_at=first_too_late)
    assert email([in_time], mode_24h=mode)["answered_within_24h_rate"] == 1.0
    assert email([too_late], mode_24h=mode)["answered_within_24h_rate"] == 0.0
    assert email([in_time, too_late], mode_24h=mode)["mode_24h"] == mode


def test_clock_24_hours_are_real_hours_across_the_clock_change() -> None:
    received = at(3, 28, 12)  # Saturday, CET
    real_23_5_hours = at(3, 29, 12, 30)  # Sunday, CEST: the wall clock shows 24.5 hours
    real_24_5_hours = at(3, 29, 13, 30)
    assert email([Thread(received, answered_at=real_23_5_hours)])["answered_within_24h_rate"] == 1
    assert email([Thread(received, answered_at=real_24_5_hours)])["answered_within_24h_rate"] == 0


def test_an_unknown_24_hour_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="calendar_day"):
        email([], mode_24h="calendar_day")


# --- e-mail: term, acknowledgement, open ---------------------------------------------------------


def test_answered_within_term_uses_due_on_working_days() -> None:
    received = at(4, 24, 10)  # §5: due(Fri 24 Apr 10:00, 2) = Wed 29 Apr, King's Day skipped
    threads = [
        Thread(received, answered_at=at(4, 29, 23, 30)),
        Thread(received, answered_at=at(4, 30, 8)),
    ]
    k = email(threads)
    assert k["answered_within_term_rate"] == pytest.approx(0.5)
    assert k["term_wd"] == 2


def test_the_term_is_a_setting() -> None:
    threads = [Thread(at(4, 24, 10), answered_at=at(4, 30, 8))]
    assert email(threads, term_wd=3)["answered_within_term_rate"] == 1.0
    assert email(threads, term_wd=3)["term_wd"] == 3


def test_threads_neither_answered_nor_due_are_left_out_of_the_ratios() -> None:
    pending = Thread(at(4, 24, 10), acknowledged_at=at(4, 24, 10, 5))
    before_due = email([pending], now=at(4, 29, 12))
    assert before_due["answered_within_term_rate"] is None
    assert before_due["ack_within_1h_rate"] == 1.0
    assert before_due["open"] == 1
    after_due = email([pending], now=at(4, 30, 0, 0, 1))
    assert after_due["answered_within_term_rate"] == 0.0


def test_an_answer_after_now_has_not_happened_yet() -> None:
    thread = Thread(at(4, 24, 10), answered_at=at(4, 28, 9))
    k = email([thread], now=at(4, 27, 12))
    assert k["open"] == 1
    assert k["answered_within_term_rate"] is None
    assert k["doorlooptijd_wd_p50"] is None


def test_acknowledgement_is_the_first_autoreply_or_answer_within_an_hour() -> None:
    received = at(4, 22, 9)
    threads = [
        Thread(received, acknowledged_at=at(4, 22, 9, 59)),
        Thread(received, answered_at=at(4, 22, 10)),  # the answer acknowledges too
        Thread(received, acknowledged_at=at(4, 22, 10, 1)),
        Thread(received, acknowledged_at=at(4, 22, 11), answered_at=at(4, 22, 9, 30)),
    ]
    assert email(threads)["ack_within_1h_rate"] == pytest.approx(3 / 4)


def test_a_thread_unacknowledged_after_an_hour_already_misses_the_hour() -> None:
    thread = Thread(at(4, 22, 9))
    assert email([thread], now=at(4, 22, 9, 30))["ack_within_1h_rate"] is None
    assert email([thread], now=at(4, 22, 10, 30))["ack_within_1h_rate"] == 0.0


def test_term_notice_rate_covers_threads_not_answered_within_term() -> None:
    received = at(4, 23, 10)  # §5: due(…, 2) = Tue 28 Apr; due(…, 10) = Mon 11 May
    threads = [
        Thread(received, answered_at=at(4, 28, 15)),  # in term: not in the base
        Thread(received, answered_at=at(4, 29, 9)),  # late, but by 10 working days
        Thread(received, term_notice_at=at(4, 29, 9), answered_at=at(5, 20, 9)),  # notice
        Thread(received),  # never answered, no notice
        Thread(received, answered_at=at(5, 12, 9)),  # after 10 working days
        Thread(received, term_notice_at=at(5, 11, 23, 59)),  # notice on the last day
    ]
    assert email(threads)["term_notice_within_10wd_rate"] == pytest.approx(3 / 5)


def test_term_notice_rate_waits_for_the_ten_working_days() -> None:
    unanswered = Thread(at(4, 23, 10))
    assert email([unanswered], now=at(5, 4, 12))["term_notice_within_10wd_rate"] is None
    assert email([unanswered], now=at(5, 12, 0, 0, 1))["term_notice_within_10wd_rate"] == 0.0
    # Before due(…, 2) has passed, the thread is not yet known to be late.
    assert email([unanswered], now=at(4, 27, 12))["term_notice_within_10wd_rate"] is None


def test_doorlooptijd_counts_working_days_after_the_receipt_day() -> None:
    threads = [
        Thread(FRI_24_APR_14, answered_at=at(4, 24, 16)),  # same day: 0
        Thread(FRI_24_APR_14, answered_at=at(4, 28, 9)),  # King's Day skipped: 1
        Thread(FRI_24_APR_14, answered_at=at(4, 29, 9)),  # 2
        Thread(at(4, 24, 18), answered_at=at(4, 25, 10)),  # receipt day Tue 28 Apr: 0
        Thread(FRI_24_APR_14),  # open
    ]
    k = email(threads)
    assert k["doorlooptijd_wd_p50"] == pytest.approx(0.5)  # 0, 0, 1, 2
    assert k["doorlooptijd_wd_p90"] == pytest.approx(1.7)  # h = 2.7 → 1 + 0.7 × 1
    assert (k["received"], k["open"]) == (5, 1)


def test_no_threads_give_zero_counts_and_null_ratios() -> None:
    k = email([], mode_24h="next_working_day")
    assert k == {
        "received": 0,
        "ack_within_1h_rate": None,
        "answered_within_term_rate": None,
        "answered_within_24h_rate": None,
        "term_notice_within_10wd_rate": None,
        "doorlooptijd_wd_p50": None,
        "doorlooptijd_wd_p90": None,
        "open": 0,
        "mode_24h": "next_working_day",
        "term_wd": 2,
        "outside_opening_hours": None,
    }


def test_email_counts_threads_received_outside_opening_hours() -> None:
    threads = [Thread(at(4, 24, 10)), Thread(at(4, 25, 10)), Thread(at(4, 24, 20))]
    k = email(threads, is_open=lambda t, _point: CAL.is_office_time(t))
    assert k["outside_opening_hours"] == 2


offsets = st.none() | st.integers(min_value=0, max_value=60 * 24 * 30)


# Instants are built in UTC: wall-clock arithmetic on Amsterdam times is wrong across DST.
START = at(3, 2).astimezone(dt.UTC)


def _thread(received_min: int, ack: int | None, answer: int | None, notice: int | None) -> Thread:
    base = START + dt.timedelta(minutes=received_min)

    def plus(minutes: int | None) -> dt.datetime | None:
        return None if minutes is None else base + dt.timedelta(minutes=minutes)

    return Thread(base, plus(ack), plus(answer), plus(notice))


threads_strategy = st.lists(
    st.builds(_thread, st.integers(0, 60 * 24 * 60), offsets, offsets, offsets), max_size=25
)


@given(
    threads=threads_strategy,
    now_min=st.integers(0, 60 * 24 * 120),
    mode=st.sampled_from(["clock_24h", "office_hours_24h", "next_working_day"]),
)
def test_email_ratios_stay_fractions_and_counts_add_up(
    threads: list[Thread], now_min: int, mode: str
) -> None:
    now = START + dt.timedelta(minutes=now_min)
    k = email(threads, now=now, mode_24h=mode)
    for name in (
        "ack_within_1h_rate",
        "answered_within_term_rate",
        "answered_within_24h_rate",
        "term_notice_within_10wd_rate",
    ):
        value = k[name]
        assert value is None or (isinstance(value, float) and 0 <= value <= 1)
    answered = sum(1 for t in threads if t.answered_at is not None and t.answered_at <= now)
    assert k["open"] == len(threads) - answered
    p50, p90 = k["doorlooptijd_wd_p50"], k["doorlooptijd_wd_p90"]
    assert (p50 is None) == (answered == 0)
    if isinstance(p50, float) and isinstance(p90, float):
        assert 0 <= p50 <= p90


# --- chat ---------------------------------------------------------------------------------------


def test_chat_example_is_due_tuesday_28_april_at_11() -> None:
    started = at(4, 24, 15, 30)  # 1.5 h on Friday, King's Day skipped, 2.5 h on Tuesday
    in_time = ChatConversation(started, first_response_at=at(4, 28, 11))
    too_late = ChatConversation(started, first_response_at=at(4, 28, 11, 1))
    k = chat_kpis([in_time, too_late], calendar=CAL)
    assert k["first_response_within_norm_rate"] == pytest.approx(0.5)
    assert chat_kpis([in_time], calendar=CAL)["first_response_office_min_p50"] == pytest.approx(240)


def test_chat_response_times_are_office_minutes() -> None:
    started = at(4, 24, 15, 30)
    conversations = [
        ChatConversation(started, first_response_at=at(4, 24, 15, 40)),  # 10
        ChatConversation(started, first_response_at=at(4, 24, 16, 30)),  # 60
        ChatConversation(started, first_response_at=at(4, 28, 9, 30)),  # 90 + 60 = 150
        ChatConversation(at(5, 2, 10), first_response_at=at(5, 4, 9)),  # Saturday: 30
    ]
    k = chat_kpis(conversations, calendar=CAL)
    assert k["first_response_office_min_p50"] == pytest.approx(45)
    assert k["first_response_office_min_p90"] == pytest.approx(123)  # h = 2.7 → 60 + 0.7 × 90
    assert k["first_response_within_norm_rate"] == 1.0


def test_an_unanswered_chat_misses_the_norm_unless_still_in_time() -> None:
    waiting = ChatConversation(at(4, 24, 15, 30))
    assert chat_kpis([waiting], calendar=CAL)["first_response_within_norm_rate"] == 0.0
    in_time = chat_kpis([waiting], calendar=CAL, now=at(4, 28, 10))
    assert in_time["first_response_within_norm_rate"] is None
    assert in_time["conversations"] == 1
    late = chat_kpis([waiting], calendar=CAL, now=at(4, 28, 11, 1))
    assert late["first_response_within_norm_rate"] == 0.0


def test_the_chat_norm_is_a_setting() -> None:
    chat = ChatConversation(at(4, 22, 9), first_response_at=at(4, 22, 11))
    assert (
        chat_kpis([chat], calendar=CAL, norm_office_hours=1)["first_response_within_norm_rate"] == 0
    )
    assert (
        chat_kpis([chat], calendar=CAL, norm_office_hours=2)["first_response_within_norm_rate"] == 1
    )


def test_no_chats_give_null_figures() -> None:
    k = chat_kpis([], calendar=CAL)
    assert k["conversations"] == 0
    assert k["first_response_within_norm_rate"] is None
    assert k["first_response_office_min_p50"] is None


# --- counter ------------------------------------------------------------------------------------


def test_counter_wait_starts_at_the_later_of_arrival_and_appointment() -> None:
    early = CounterVisit(at(4, 22, 9, 50), called_at=at(4, 22, 10, 5), appointment_at=at(4, 22, 10))
    late = CounterVisit(at(4, 22, 10, 2), called_at=at(4, 22, 10, 8), appointment_at=at(4, 22, 10))
    walk_in = CounterVisit(at(4, 22, 10), called_at=at(4, 22, 10, 15))
    assert counter_wait(early) == dt.timedelta(minutes=5)
    assert counter_wait(late) == dt.timedelta(minutes=6)
    assert counter_wait(walk_in) == dt.timedelta(minutes=15)
    assert counter_wait(CounterVisit(at(4, 22, 10))) is None


def test_counter_rates_are_each_over_their_own_visits() -> None:
    appointment = at(4, 22, 10)
    visits = [
        CounterVisit(at(4, 22, 9, 50), called_at=at(4, 22, 10, 5), appointment_at=appointment),
        CounterVisit(at(4, 22, 10, 2), called_at=at(4, 22, 10, 8), appointment_at=appointment),
        CounterVisit(at(4, 22, 9, 40), called_at=at(4, 22, 9, 58), appointment_at=appointment),
        CounterVisit(at(4, 22, 10), called_at=at(4, 22, 10, 15)),
        CounterVisit(at(4, 22, 10), called_at=at(4, 22, 10, 16)),
        CounterVisit(at(4, 22, 10)),  # left without being called
    ]
    k = counter_kpis(visits)
    assert (k["visits"], k["appointments"], k["walk_ins"]) == (6, 3, 3)
    assert k["served_within_5min_appointment_rate"] == pytest.approx(2 / 3)
    assert k["served_within_15min_walk_in_rate"] == pytest.approx(1 / 3)


def test_counter_without_appointments_has_no_appointment_rate() -> None:
    k = counter_kpis([CounterVisit(at(4, 22, 10), called_at=at(4, 22, 10, 1))])
    assert k["served_within_5min_appointment_rate"] is None
    assert k["served_within_15min_walk_in_rate"] == 1.0


# --- KTO ----------------------------------------------------------------------------------------


def test_kto_grade_mean_leaves_out_empty_and_dont_know() -> None:
    answers = [KtoAnswer("grade", v) for v in (8, "7", "weet niet", "", None, "Weet niet ", 10)]
    k = kto_kpis(answers)
    assert k["grade_mean"] == pytest.approx(25 / 3)
    assert k["grade_n"] == 3


def test_kto_csat_is_the_share_of_fours_and_fives() -> None:
    k = kto_kpis([KtoAnswer("csat", v) for v in (5, 4, 3, "2", "weet niet")])
    assert k["csat_rate"] == pytest.approx(0.5)
    assert k["csat_n"] == 4


def test_kto_nps_is_promoters_minus_detractors_in_points() -> None:
    assert kto_kpis([KtoAnswer("recommend", v) for v in (10, 10, 9, 6)])["nps"] == pytest.approx(50)
    balanced = kto_kpis([KtoAnswer("recommend", v) for v in (10, 9, 8, 7, 6, 0)])
    assert balanced["nps"] == pytest.approx(0)
    assert balanced["nps_n"] == 6


def test_kto_nps_is_null_when_the_recommend_question_was_not_asked() -> None:
    k = kto_kpis([KtoAnswer("grade", 8), KtoAnswer("csat", 5)])
    assert k["nps"] is None
    assert k["nps_n"] == 0
    assert k["grade_mean"] == 8


@pytest.mark.parametrize(
    "answer",
    [
        KtoAnswer("grade", 0),
        KtoAnswer("grade", "11"),
        KtoAnswer("csat", 6),
        KtoAnswer("grade", "acht"),
    ],
)
def test_kto_answers_off_the_scale_are_refused(answer: KtoAnswer) -> None:
    with pytest.raises(ValueError, match="KTO"):
        kto_kpis([answer])


def test_kto_groups_by_channel_and_aspect() -> None:
    answers = [
        KtoAnswer("grade", 9, channel="phone", aspect="overall"),
        KtoAnswer("grade", 6, channel="email", aspect="overall"),
        KtoAnswer("grade", 7, channel="phone", aspect="overall"),
        KtoAnswer("csat", 5, channel="phone", aspect="friendliness"),
    ]
    groups = kto_kpis_by_channel_aspect(answers)
    assert [(g["channel"], g["aspect"]) for g in groups] == [
        ("email", "overall"),
        ("phone", "friendliness"),
        ("phone", "overall"),
    ]
    assert groups[2]["kpis"]["grade_mean"] == pytest.approx(8)
    assert groups[1]["kpis"]["grade_mean"] is None


@given(
    grades=st.lists(st.integers(1, 10) | st.just("weet niet")),
    csat=st.lists(st.integers(1, 5)),
    recommend=st.lists(st.integers(0, 10)),
)
def test_kto_figures_stay_on_their_scales(
    grades: list[int | str], csat: list[int], recommend: list[int]
) -> None:
    answers = [KtoAnswer("grade", g) for g in grades]
    answers += [KtoAnswer("csat", c) for c in csat] + [KtoAnswer("recommend", r) for r in recommend]
    k = kto_kpis(answers)
    assert k["grade_mean"] is None or 1 <= k["grade_mean"] <= 10
    assert k["csat_rate"] is None or 0 <= k["csat_rate"] <= 1
    assert k["nps"] is None or -100 <= k["nps"] <= 100
    assert k["grade_n"] == sum(1 for g in grades if g != "weet niet")
    assert (k["csat_n"], k["nps_n"]) == (len(csat), len(recommend))


def test_negative_terms_norms_and_unknown_questions_are_refused() -> None:
    with pytest.raises(ValueError, match="term_wd"):
        email([], term_wd=-1)
    with pytest.raises(ValueError, match="norm_office_hours"):
        chat_kpis([], calendar=CAL, norm_office_hours=-1)
    with pytest.raises(ValueError, match="unknown KTO question"):
        kto_kpis([KtoAnswer("effort", 3)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="KTO grade"):
        kto_kpis([KtoAnswer("grade", True)])


# --- callbacks ----------------------------------------------------------------------------------


def callbacks(
    items: list[Callback], now: dt.datetime = LATER, *, strict_24h: bool = False, done: bool = True
) -> dict[str, object]:
    """Callback KPIs for April 2026."""
    return dict(
        callback_kpis(
            items,
            calendar=CAL,
            now=now,
            period_from=dt.date(2026, 4, 1),
            period_to=dt.date(2026, 4, 30),
            strict_24h=strict_24h,
            done_recorded=done,
        )
    )


def test_callback_norm_is_two_working_days_without_a_promise() -> None:
    created = at(4, 24, 10)  # due(…, 2) = Wed 29 Apr, King's Day skipped
    items = [Callback(created, done_at=at(4, 29, 16)), Callback(created, done_at=at(4, 30, 9))]
    k = callbacks(items)
    assert k["callback_within_norm_rate"] == pytest.approx(0.5)
    assert k["callback_kept_rate"] == 1.0  # both were done, one late
    assert k["callbacks"] == 2


def test_strict_callback_norm_is_24_real_hours() -> None:
    created = at(4, 24, 10)
    items = [Callback(created, done_at=at(4, 25, 9)), Callback(created, done_at=at(4, 25, 11))]
    assert callbacks(items, strict_24h=True)["callback_within_norm_rate"] == pytest.approx(0.5)
    assert callbacks(items)["callback_within_norm_rate"] == 1.0


def test_a_promised_moment_is_the_norm() -> None:
    promised = at(4, 28, 10)
    items = [
        Callback(at(4, 24, 10), promised_at=promised, done_at=at(4, 28, 9, 55)),
        Callback(at(4, 24, 10), promised_at=promised, done_at=at(4, 28, 10, 30)),
    ]
    assert callbacks(items)["callback_within_norm_rate"] == pytest.approx(0.5)


def test_callbacks_count_in_the_period_of_their_norm_moment() -> None:
    march = Callback(at(3, 31, 10), done_at=at(4, 1, 9))  # due Thu 2 Apr: in April
    may = Callback(at(4, 30, 10))  # due Mon 4 May: not in April's norm rate
    k = callbacks([march, may])
    assert k["callback_within_norm_rate"] == 1.0
    assert k["callbacks"] == 1  # only the April one was created in April
    assert k["callback_kept_rate"] == 0.0  # created in April, norm passed, never done


def test_open_callbacks_before_their_norm_moment_are_left_out() -> None:
    pending = Callback(at(4, 28, 10))  # Tue 28 Apr, due Thu 30 Apr
    k = callbacks([pending], now=at(4, 29, 12))
    assert k["callback_within_norm_rate"] is None
    assert k["callback_kept_rate"] is None
    assert k["callbacks"] == 1


def test_callback_rates_are_null_without_a_done_register() -> None:
    k = callbacks([Callback(at(4, 24, 10))], done=False)
    assert k["callback_within_norm_rate"] is None
    assert k["callback_kept_rate"] is None

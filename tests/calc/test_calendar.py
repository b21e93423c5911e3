"""The Dutch working-day calendar against METHODOLOGY.md §5 and the holidays package."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetlat.calc.calendar import (
    AMSTERDAM,
    DEFAULT_CALENDAR,
    Mode24h,
    WorkCalendar,
    atw_holidays,
    easter_sunday,
    good_friday,
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_the_2026_holidays_are_exactly_those_of_methodology() -> None:
    assert sorted(atw_holidays(2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 6),
        dt.date(2026, 4, 27),
        dt.date(2026, 5, 5),
        dt.date(2026, 5, 14),
        dt.date(2026, 5, 25),
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
    ]


def test_april_2026_has_20_working_days_and_may_18() -> None:
    april = DEFAULT_CALENDAR.workdays(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    may = DEFAULT_CALENDAR.workdays(dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert (len(april), len(may)) == (20, 18)


# METHODOLOGY §5 due table: received, N, receipt day, due date.
DUE_TABLE = [
    ("2026-04-24T10:00:00+02:00", 2, "2026-04-24", "2026-04-29"),  # King's Day skipped
    ("2026-04-26T09:00:00+02:00", 2, "2026-04-28", "2026-04-30"),  # weekend, King's Day
    ("2026-05-04T16:00:00+02:00", 2, "2026-05-04", "2026-05-07"),  # 5 May skipped
    ("2026-05-04T17:45:00+02:00", 2, "2026-05-06", "2026-05-08"),  # after hours; 5 May off
    ("2026-05-13T11:00:00+02:00", 2, "2026-05-13", "2026-05-18"),  # Ascension; Fri counts
    ("2026-05-22T15:00:00+02:00", 2, "2026-05-22", "2026-05-27"),  # Whit Monday
    ("2026-04-23T10:00:00+02:00", 10, "2026-04-23", "2026-05-11"),  # 27 Apr and 5 May
    ("2026-04-02T10:00:00+02:00", 2, "2026-04-02", "2026-04-07"),  # Good Friday counts
    ("2026-04-24T07:15:00+02:00", 2, "2026-04-24", "2026-04-29"),  # 07:15 same day
    ("2026-05-04T15:45:00+00:00", 2, "2026-05-06", "2026-05-08"),  # same instant in UTC
]


@pytest.mark.parametrize(("received", "n", "receipt", "due"), DUE_TABLE)
def test_due_dates_follow_the_methodology_table(
    received: str, n: int, receipt: str, due: str
) -> None:
    t = at(received)
    assert DEFAULT_CALENDAR.receipt_day(t).isoformat() == receipt
    deadline = DEFAULT_CALENDAR.due(t, n)
    assert deadline.date().isoformat() == due
    assert deadline.time() == dt.time(23, 59, 59)
    assert deadline.utcoffset() == dt.timedelta(hours=2)


def test_an_organisation_bridge_day_moves_the_deadline() -> None:
    calendar = WorkCalendar(closed_days=frozenset({dt.date(2026, 5, 15)}))
    assert calendar.due(at("2026-05-13T11:00:00+02:00"), 2).date() == dt.date(2026, 5, 19)


def test_good_friday_closed_moves_the_deadline_a_day() -> None:
    calendar = WorkCalendar(good_friday_closed=True)
    assert calendar.due(at("2026-04-02T10:00:00+02:00"), 2).date() == dt.date(2026, 4, 8)
    assert calendar.holiday_name(dt.date(2026, 4, 3)) == "Goede Vrijdag"


def test_due_zero_is_the_end_of_the_receipt_day() -> None:
    assert DEFAULT_CALENDAR.due(at("2026-05-04T17:45:00+02:00"), 0).date() == dt.date(2026, 5, 6)


def test_kings_day_moves_to_saturday_26_april_when_the_27th_is_a_sunday() -> None:
    assert dt.date(2025, 4, 26) in atw_holidays(2025)
    assert dt.date(2025, 4, 27) not in atw_holidays(2025)


def test_in_term_compares_the_local_date_with_the_due_date() -> None:
    received = at("2026-04-24T16:00:00+02:00")  # due2 Wed 29 Apr
    assert DEFAULT_CALENDAR.in_term(at("2026-04-29T23:30:00+02:00"), received, 2)
    assert not DEFAULT_CALENDAR.in_term(at("2026-04-29T22:30:00+00:00"), received, 2)


def test_the_three_24_hour_modes_of_methodology() -> None:
    t = at("2026-04-24T14:00:00+02:00")
    assert DEFAULT_CALENDAR.deadline_24h(t, Mode24h.CLOCK_24H) == at("2026-04-25T14:00:00+02:00")
    assert DEFAULT_CALENDAR.deadline_24h(t, "office_hours_24h") == at("2026-04-30T12:30:00+02:00")
    assert DEFAULT_CALENDAR.deadline_24h(t, Mode24h.NEXT_WORKING_DAY) == at(
        "2026-04-28T23:59:59+02:00"
    )


def test_clock_24h_counts_real_hours_across_the_clock_change() -> None:
    t = at("2026-03-28T12:00:00+01:00")
    deadline = DEFAULT_CALENDAR.deadline_24h(t, Mode24h.CLOCK_24H)
    assert deadline - t == dt.timedelta(hours=24)
    assert deadline.astimezone(AMSTERDAM).hour == 13


def test_a_chat_on_friday_afternoon_is_due_after_four_office_hours() -> None:
    due = DEFAULT_CALENDAR.add_office_hours(at("2026-04-24T15:30:00+02:00"), 4)
    assert due == at("2026-04-28T11:00:00+02:00")


def test_office_time_between_skips_nights_weekends_and_holidays() -> None:
    start, end = at("2026-04-24T15:30:00+02:00"), at("2026-04-28T11:00:00+02:00")
    assert DEFAULT_CALENDAR.office_time_between(start, end) == dt.timedelta(hours=4)
    assert DEFAULT_CALENDAR.office_time_between(end, start) == dt.timedelta(0)


def test_working_days_after_counts_the_doorlooptijd() -> None:
    assert DEFAULT_CALENDAR.working_days_after(dt.date(2026, 4, 24), dt.date(2026, 4, 24)) == 0
    assert DEFAULT_CALENDAR.working_days_after(dt.date(2026, 4, 24), dt.date(2026, 4, 29)) == 2


def test_office_time_is_half_open() -> None:
    assert DEFAULT_CALENDAR.is_office_time(at("2026-04-28T08:30:00+02:00"))
    assert not DEFAULT_CALENDAR.is_office_time(at("2026-04-28T17:00:00+02:00"))
    assert not DEFAULT_CALENDAR.is_office_time(at("2026-04-27T10:00:00+02:00"))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        DEFAULT_CALENDAR.receipt_day(dt.datetime(2026, 4, 24, 10))  # noqa: DTZ001
    with pytest.raises(ValueError, match="negative"):
        DEFAULT_CALENDAR.add_working_days(dt.date(2026, 4, 24), -1)
    with pytest.raises(ValueError, match="negative"):
        DEFAULT_CALENDAR.add_office_hours(at("2026-04-24T10:00:00+02:00"), -1)
    with pytest.raises(ValueError, match="open before"):
        WorkCalendar(opens=dt.time(17), closes=dt.time(9))


@pytest.mark.parametrize("year", range(2014, 2041))
def test_atw_and_the_holidays_package_differ_only_where_the_atw_says_so(year: int) -> None:
    """holidays.NL marks 5 May only in lustrum years and may list Good Friday; the Atw makes
    5 May a holiday every year and Good Friday a working day."""
    package = {d for d in holidays.country_holidays("NL", years=year) if d.weekday() < 7}
    ours = set(atw_holidays(year))
    extra_in_package = package - ours
    missing_in_package = ours - package
    assert extra_in_package <= {
        good_friday(year),
        easter_sunday(year),
        easter_sunday(year) + dt.timedelta(days=49),
    }
    liberation = dt.date(year, 5, 5)
    ascension = easter_sunday(year) + dt.timedelta(days=39)
    assert missing_in_package <= {liberation}
    if year % 5 != 0 and liberation != ascension:  # 2016: 5 May was Ascension Day
        assert missing_in_package == {liberation}


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_the_due_date_is_a_working_day_n_working_days_later(day: dt.date, n: int) -> None:
    t = dt.datetime.combine(day, dt.time(10), tzinfo=AMSTERDAM)
    receipt = DEFAULT_CALENDAR.receipt_day(t)
    due = DEFAULT_CALENDAR.due_date(t, n)
    assert DEFAULT_CALENDAR.is_working_day(due)
    assert DEFAULT_CALENDAR.working_days_after(receipt, due) == n
    assert due >= receipt >= day


@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    st.floats(min_value=0, max_value=200, allow_nan=False),
)
def test_adding_office_hours_adds_exactly_that_office_time(
    start: dt.datetime, hours: float
) -> None:
    t = start.replace(tzinfo=AMSTERDAM)
    end = DEFAULT_CALENDAR.add_office_hours(t, hours)
    measured = DEFAULT_CALENDAR.office_time_between(t, end)
    assert abs(measured.total_seconds() - hours * 3600) < 1e-3

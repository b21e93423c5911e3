"""The demo study is realistic (lunch and Friday dips, unanswered e-mails, cold transfers)
and loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from meetlat import clock
from meetlat.research.demo import PLANNED_WAVE, demo_rows, planned_wave_start
from meetlat.research.models import Assignment, Observation, Study, WaveStatus
from meetlat.web.demo import demo_load

CODES = [(f"GM97{n:02d}", f"Gemeente Demo {n}") for n in range(8)]


def _reach_rate(rows: list[dict[str, str]]) -> float:
    first_time = [r for r in rows if r["attempts"] == "1"]
    return len(first_time) / len(rows)


def _hard(row: dict[str, str]) -> bool:
    moment = dt.datetime.fromisoformat(row["planned_at"])
    return moment.time() >= dt.time(12) and (
        moment.time() < dt.time(13, 30) or moment.weekday() == 4
    )


def test_demo_rows_are_the_same_for_the_same_seed() -> None:
    assert demo_rows(CODES, 0) == demo_rows(CODES, 0)
    assert demo_rows(CODES, 0) != demo_rows(CODES, 1)


def test_lunch_and_friday_afternoon_calls_are_reached_less_often() -> None:
    phone = [r for wave in (0, 1) for r in demo_rows(CODES, wave) if r["channel"] == "phone"]
    hard = [r for r in phone if _hard(r)]
    easy = [r for r in phone if not _hard(r)]
    assert len(hard) >= 30
    assert _reach_rate(hard) < _reach_rate(easy) - 0.1


def test_some_emails_stay_unanswered_and_some_transfers_are_cold() -> None:
    rows = demo_rows(CODES, 0)
    emails = [r for r in rows if r["channel"] == "email"]
    assert any("answered_at" not in r for r in emails)
    assert any(r.get("transfers_warm") == "no" for r in rows)


@pytest.mark.django_db
def test_the_demo_holds_a_published_two_wave_study_and_is_idempotent() -> None:
    demo_load()
    count = Observation.objects.count()
    assignments = list(Assignment.objects.values_list("id", "planned_at", "auditor_id"))
    demo_load()
    study = Study.objects.get()
    assert Observation.objects.count() == count == 8 * 20 * 2
    assert list(Assignment.objects.values_list("id", "planned_at", "auditor_id")) == assignments
    assert list(study.waves.order_by("order").values_list("name", "status")) == [
        ("0-meting", WaveStatus.PUBLISHED),
        ("1-meting", WaveStatus.PUBLISHED),
        ("2-meting", WaveStatus.PLANNED),
    ]
    assert study.owner is not None and study.owner.code == "DEMO-BUREAU"


@pytest.mark.django_db
def test_the_demo_plans_the_next_wave_in_the_future_for_the_demo_auditors() -> None:
    demo_load()
    wave = Study.objects.get().waves.get(name=PLANNED_WAVE)
    assert wave.fieldwork_start is not None
    assert wave.fieldwork_start > clock.now().date()
    assert wave.fieldwork_start.weekday() < 5
    assert wave.assignments.count() == 8 * 20
    auditors = set(wave.assignments.values_list("auditor__username", flat=True))
    assert auditors == {"auditor", "auditor2", "auditor3", "auditor4", "auditor5"}
    assert not wave.observations.exists()


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2026, 11, 25), dt.date(2026, 12, 7)),  # a Wednesday
        (dt.date(2026, 11, 30), dt.date(2026, 12, 14)),  # a Monday: not this one, the next
        (dt.date(2027, 3, 21), dt.date(2027, 3, 30)),  # Easter Monday 2027: the Tuesday
    ],
)
def test_the_planned_wave_starts_a_week_after_next_monday(today: dt.date, start: dt.date) -> None:
    assert planned_wave_start(today) == start

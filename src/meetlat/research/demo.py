"""A finished two-wave demo study over eight fictional municipalities.

The observations are generated with a fixed seed and imported through the same service as a
real observations file, so they pass every validation. The variation is realistic: calls at
lunch (12:00–13:30) and on Friday afternoon are reached less often and wait longer, some
transfers are cold, some e-mails are never answered, and most municipalities improve a little
between the 0-meting and the 1-meting.

A third wave, the 2-meting, is planned but not measured yet: its fieldwork starts a week after
next Monday (relative to :func:`meetlat.clock.now`) and the planner has given the demo
auditors their calls.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from meetlat import clock
from meetlat.accounts.models import User
from meetlat.calc.calendar import AMSTERDAM, DEFAULT_CALENDAR
from meetlat.organisations.models import Organisation
from meetlat.research.models import MANUAL_ITEMS, SELF_ASSESSMENT_ITEMS, Study, Wave, WaveStatus
from meetlat.research.parsing import COLUMNS
from meetlat.research.services import observations_import
from meetlat.research.services.findings import AssessmentInput, assessments_save
from meetlat.research.services.planning import wave_plan
from meetlat.research.services.studies import wave_create

DEMO_STUDY = "Bereikbaarheid gemeenten 2026 (demo)"
SEED = 2026

#: (name, first working day of the fieldwork window): four weeks each.
WAVES: tuple[tuple[str, dt.date], ...] = (
    ("0-meting", dt.date(2026, 1, 12)),
    ("1-meting", dt.date(2026, 9, 7)),
)
SLOTS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 30), dt.time(10, 0)),
    (dt.time(10, 0), dt.time(12, 0)),
    (dt.time(12, 0), dt.time(13, 30)),
    (dt.time(13, 30), dt.time(15, 0)),
    (dt.time(15, 0), dt.time(17, 0)),
)
#: The planned wave after the two measured ones, and the length of its fieldwork window.
PLANNED_WAVE = "2-meting"
PLANNED_WAVE_DAYS = 25  # Monday to the Friday of the fourth week
PHONE_QUESTIONS = 15
EMAIL_QUESTIONS = 5
Row = dict[str, str]


@dataclass(frozen=True)
class Profile:
    """How well a municipality does: 0 (poorly) to 1 (very well), per wave."""

    reach: float
    knowledge: float
    manner: float
    mail: float


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(AMSTERDAM).isoformat(timespec="minutes")


def _workdays(start: dt.date, count: int) -> list[dt.date]:
    days = [start] if DEFAULT_CALENDAR.is_working_day(start) else []
    while len(days) < count:
        days.append(DEFAULT_CALENDAR.next_working_day(days[-1] if days else start))
    return days


def _phone_moments(rng: random.Random, start: dt.date) -> list[dt.datetime]:
    """Fifteen calls: three per weekday and three per slot, over four weeks."""
    days = _workdays(start, 20)
    by_weekday: dict[int, list[dt.date]] = {}
    for day in days:
        by_weekday.setdefault(day.weekday(), []).append(day)
    slots = list(range(len(SLOTS))) * 3
    rng.shuffle(slots)
    moments: list[dt.datetime] = []
    for index, slot_index in enumerate(slots):
        weekday = index % 5
        if weekday == 4 and slot_index < 2 and index < 10:  # keep Friday afternoon calls
            slot_index = 3 + index % 2
        day = rng.choice(by_weekday[weekday])
        begin, end = SLOTS[slot_index]
        span = (dt.datetime.combine(day, end) - dt.datetime.combine(day, begin)).seconds // 60
        minute = rng.randrange(0, max(span - 10, 1))
        local = dt.datetime.combine(day, begin) + dt.timedelta(minutes=minute)
        moments.append(local.replace(tzinfo=AMSTERDAM))
    return sorted(moments)


def _phone_row(rng: random.Random, q: int, planned: dt.datetime, p: Profile) -> Row:
    hard = planned.time() >= dt.time(12) and (
        planned.time() < dt.time(13, 30) or planned.weekday() == 4
    )
    reach = p.reach - (0.3 if hard else 0.0)
    attempts = 1 if rng.random() < reach else rng.choice([2, 3])
    reached = attempts < 3 or rng.random() < reach
    row: Row = {"scenario": f"T{q:02d}", "channel": "phone", "planned_at": _iso(planned)}
    row |= {"attempts": str(attempts), "reached": _yes(reached)}
    if not reached:
        return row
    wait = int(rng.expovariate(1 / (15 + 150 * (1 - reach))))
    transfers = 0 if rng.random() < p.knowledge else rng.choice([1, 1, 2, 3])
    warm = transfers and rng.random() < p.manner
    promised = rng.random() < 0.25
    one_go = "yes" if rng.random() < p.knowledge else ("callback" if promised else "no")
    good = rng.random() < p.knowledge
    row |= {
        "wait_s": str(min(wait, 900)),
        "transfers": str(transfers),
        "transfers_warm": _yes(bool(warm)) if transfers else "",
        "reason_passed_on": _yes(bool(warm) and rng.random() < 0.8) if transfers else "",
        "callback_promised": _yes(promised),
        "callback_kept": _yes(rng.random() < p.manner) if promised else "",
        "in_one_go": one_go,
        "correctness": "correct" if good else rng.choice(["partly", "partly", "wrong", "none"]),
        "completeness": rng.choice(["complete", "more"])
        if good
        else rng.choice(["partial", "partial", "none"]),
        "extra_step": _yes(rng.random() < p.manner * 0.4),
    }
    for item in ("introduced_name", "friendly", "plain_language", "asked_more_questions"):
        row[item] = _yes(rng.random() < p.manner)
    row["recording_announced"] = rng.choice(["yes", "no", "na"])
    return row


def _email_row(rng: random.Random, q: int, sent: dt.datetime, p: Profile) -> Row:
    row: Row = {
        "scenario": f"M{q:02d}",
        "channel": "email",
        "planned_at": _iso(sent),
        "sent_at": _iso(sent),
    }
    if rng.random() < p.mail:
        row["acknowledged_at"] = _iso(sent + dt.timedelta(minutes=rng.randrange(1, 30)))
    if rng.random() < 0.15 + 0.4 * (1 - p.mail):
        return row  # never answered
    days = 0 if rng.random() < p.mail else rng.choice([1, 2, 4, 7, 12])
    answer_day = DEFAULT_CALENDAR.add_working_days(sent.date(), days)
    answered = dt.datetime.combine(
        answer_day, dt.time(rng.randrange(9, 16), rng.randrange(0, 60)), tzinfo=AMSTERDAM
    )
    good = rng.random() < p.knowledge
    row |= {
        "answered_at": _iso(max(answered, sent + dt.timedelta(hours=1))),
        "correctness": "correct" if good else rng.choice(["partly", "wrong"]),
        "completeness": "complete" if good else "partial",
        "tone": "good" if rng.random() < p.manner else rng.choice(["fair", "poor"]),
        "extra_step": _yes(rng.random() < p.manner * 0.3),
    }
    return row


def _email_moments(rng: random.Random, start: dt.date) -> list[dt.datetime]:
    """Five e-mails in weeks 1–3, on different weekdays, at most one per day."""
    days = _workdays(start, 15)
    chosen = [
        rng.choice([d for d in days if d.weekday() == weekday])
        for weekday in rng.sample(range(5), EMAIL_QUESTIONS)
    ]
    return sorted(
        dt.datetime.combine(d, dt.time(rng.randrange(8, 17), 5), tzinfo=AMSTERDAM) for d in chosen
    )


def demo_rows(codes: list[tuple[str, str]], wave_index: int, seed: int = SEED) -> list[Row]:
    """Every planned question of one wave for the given (code, name) municipalities."""
    rows: list[Row] = []
    start = WAVES[wave_index][1]
    for number, (code, name) in enumerate(codes):
        rng = random.Random(f"{seed}-{code}-{wave_index}")  # noqa: S311 - demo data
        base = random.Random(f"{seed}-{code}").uniform(0.35, 0.9)  # noqa: S311
        level = min(base + wave_index * (0.08 if number % 3 else -0.03), 0.97)
        profile = Profile(reach=level, knowledge=level, manner=min(level + 0.1, 1), mail=level)
        for q, moment in enumerate(_phone_moments(rng, start), start=1):
            rows.append(_phone_row(rng, q, moment, profile) | {"municipality": code})
        for q, moment in enumerate(_email_moments(rng, start), start=1):
            rows.append(_email_row(rng, q, moment, profile) | {"municipality": code})
        for row in rows[-(PHONE_QUESTIONS + EMAIL_QUESTIONS) :]:
            row["municipality_name"] = name
    return rows


def _write(rows: list[Row], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), restval="")
        writer.writeheader()
        writer.writerows(rows)


@transaction.atomic
def demo_study_load(
    *, municipalities: list[Organisation], owner: Organisation, planner: User | None = None
) -> Study:
    """Create the demo study with both measured waves published and, when ``planner`` (the
    research lead) is given, the planned 2-meting; running it again changes nothing."""
    codes = [(m.code, m.name) for m in municipalities]
    with tempfile.TemporaryDirectory() as tmp:
        for index, (wave_name, _start) in enumerate(WAVES):
            path = Path(tmp) / f"demo-{wave_name}.csv"
            _write(demo_rows(codes, index), path)
            observations_import(study_name=DEMO_STUDY, path=path, wave_name=wave_name)
    study = Study.objects.get(name=DEMO_STUDY)
    if study.owner_id != owner.pk:
        study.owner = owner
        study.save(update_fields=["owner"])
    measured = study.waves.filter(name__in=[name for name, _start in WAVES])
    for wave in measured.exclude(status=WaveStatus.PUBLISHED):
        demo_assessments_load(wave=wave, actor=planner)
    measured.update(status=WaveStatus.PUBLISHED)
    if planner is not None:
        demo_planned_wave_load(study=study, planner=planner)
    return study


def demo_assessments(code: str, wave_name: str, seed: int = SEED) -> dict[str, str]:
    """Manual items (yes or no) and a self-assessment (yes, partly or no) of one municipality;
    a few items are left unanswered, as in a real study."""
    rng = random.Random(f"{seed}-{code}-{wave_name}-assessment")  # noqa: S311 - demo data
    answers = {item: rng.choice(["yes", "yes", "no", ""]) for item in MANUAL_ITEMS}
    for item in SELF_ASSESSMENT_ITEMS:
        answers[item] = rng.choice(["yes", "yes", "partly", "no", ""])
    return {item: value for item, value in answers.items() if value}


def demo_assessments_load(*, wave: Wave, actor: User | None) -> None:
    """Fill in the manual items and self-assessment of every municipality of a wave that is
    not yet published."""
    for participant in wave.study.participants.select_related("organisation"):
        code = participant.organisation.code
        assessments_save(
            wave=wave,
            organisation=participant.organisation,
            answers={
                item: AssessmentInput(value)
                for item, value in demo_assessments(code, wave.name).items()
            },
            actor=actor,
        )


def planned_wave_start(today: dt.date) -> dt.date:
    """The first working day from the Monday a week after next Monday."""
    monday = today + dt.timedelta(days=7 - today.weekday() + 7)
    if DEFAULT_CALENDAR.is_working_day(monday):
        return monday
    return DEFAULT_CALENDAR.next_working_day(monday)


def demo_planned_wave_load(*, study: Study, planner: User) -> Wave:
    """The 2-meting, planned (not measured): created and planned once, left alone after."""
    wave = study.waves.filter(name=PLANNED_WAVE).first()
    if wave is not None and wave.assignments.exists():
        return wave
    if wave is None:
        start = planned_wave_start(clock.now().astimezone(AMSTERDAM).date())
        wave = wave_create(
            study=study,
            name=PLANNED_WAVE,
            fieldwork_start=start,
            fieldwork_end=start + dt.timedelta(days=PLANNED_WAVE_DAYS),
            actor=planner,
        )
        wave.status = WaveStatus.PLANNED
        wave.save(update_fields=["status"])
    wave_plan(wave=wave, actor=planner)
    return wave

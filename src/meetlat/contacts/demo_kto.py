"""Demo KTO (customer satisfaction) answers for answered demo contacts (fictional, seeded).

About `KTO_SHARE` of the answered calls, e-mails and chats get an answer in the `survey-csv`
format, linked to the contact id. The grade is mostly 6–9 and drops with the wait (a long queue,
a late e-mail answer, a slow first chat response) and when a call did not solve the question;
the CSAT, the "would recommend" score and "question answered" follow the grade. Comments come
from a short list of invented sentences without personal data. `contacts.demo_written` loads
them. Pure Python: no Django, no database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from meetlat.calc.calendar import AMSTERDAM, WorkCalendar
from meetlat.contacts.demo import SEED
from meetlat.contacts.importers.survey.parser import COLUMNS

KTO_SHARE: Final = 0.065
"""The share of answered contacts that get a KTO answer (5–8 %)."""
COMMENTS: Final[dict[str, tuple[str, ...]]] = {
    "good": ("Snel en vriendelijk geholpen.", "Duidelijk antwoord, dank u wel.",
             "Prima geregeld.", "De medewerker dacht goed met mij mee."),
    "fair": ("Het duurde even, maar het is opgelost.", "Redelijk, de uitleg kon duidelijker.",
             "Uiteindelijk geholpen, wel na wat zoeken."),
    "poor": ("Lang moeten wachten op een antwoord.", "Mijn vraag is nog niet echt beantwoord.",
             "Ik werd van het kastje naar de muur gestuurd.", "Niemand wist het antwoord."),
}  # fmt: skip


@dataclass(frozen=True)
class AnsweredContact:
    """What a KTO answer needs of an answered contact: when the reply came and how much the
    wait lowers the grade (`penalty`, in grade points)."""

    contact_id: str
    channel: str
    topic: str
    replied_at: dt.datetime
    penalty: float
    helped: bool = True


@dataclass(frozen=True)
class ContactTimes:
    """The stored moments of an answered contact (one row of the contact table)."""

    started_at: dt.datetime
    wait_s: int | None = None
    handle_s: int | None = None
    answered_at: dt.datetime | None = None
    first_response_at: dt.datetime | None = None


def answered_contact(
    calendar: WorkCalendar,
    *,
    contact_id: str,
    channel: str,
    topic: str,
    times: ContactTimes,
    resolved: bool | None = None,
) -> AnsweredContact:
    """The KTO view of an answered call (wait), e-mail (working days) or chat (minutes)."""
    started = times.started_at
    if channel == "phone":
        wait = times.wait_s or 0
        replied = started + dt.timedelta(seconds=wait + (times.handle_s or 0))
        return AnsweredContact(
            contact_id, channel, topic, replied, min(2.5, wait / 120), resolved is not False
        )
    if times.answered_at is not None:
        answer_day = times.answered_at.astimezone(calendar.tz).date()
        days = calendar.working_days_after(calendar.receipt_day(started), answer_day)
        penalty = min(3.0, 0.6 * max(0, days - 1))
        return AnsweredContact(contact_id, channel, topic, times.answered_at, penalty)
    replied = times.first_response_at or started
    minutes = (replied - started).total_seconds() / 60
    return AnsweredContact(contact_id, channel, topic, replied, min(2.0, minutes / 30))


def _grade(rng: random.Random, contact: AnsweredContact) -> int:
    mean = 8.0 - contact.penalty - (0.0 if contact.helped else 1.5)
    return max(1, min(10, round(rng.gauss(mean, 1.0))))


def _csat(rng: random.Random, grade: int) -> int:
    value = 1 + (grade - 1) * 4 / 9 + rng.choice((-1, 0, 0, 0, 0, 1)) * 0.6
    return max(1, min(5, round(value)))


def _recommend(rng: random.Random, grade: int) -> str:
    if rng.random() < 0.5:  # asked in half of the surveys
        return ""
    return str(max(0, min(10, grade + rng.randint(-1, 1))))


def _answered_question(rng: random.Random, grade: int, helped: bool) -> str:
    if rng.random() < 0.03:
        return "weet niet"
    chance = 0.92 if grade >= 7 else 0.7 if grade == 6 else 0.3
    return "ja" if rng.random() < (chance if helped else chance / 2) else "nee"


def _row(rng: random.Random, number: int, code: str, contact: AnsweredContact) -> dict[str, str]:
    grade = _grade(rng, contact)
    mood = "good" if grade >= 8 else "fair" if grade >= 6 else "poor"
    answered_at = contact.replied_at + dt.timedelta(minutes=10 + rng.expovariate(1 / 180))
    return {
        "answer_id": f"kto-{code.lower()}-{number:05d}",
        "contact_id": contact.contact_id,
        "channel": contact.channel,
        "topic": contact.topic,
        "answered_at": answered_at.astimezone(AMSTERDAM).isoformat(timespec="seconds"),
        "grade": "" if rng.random() < 0.02 else str(grade),
        "csat": str(_csat(rng, grade)),
        "recommend": _recommend(rng, grade),
        "answered_question": _answered_question(rng, grade, contact.helped),
        "comment": rng.choice(COMMENTS[mood]) if rng.random() < 0.2 else "",
    }


def demo_kto_csv(*, code: str, contacts: Sequence[AnsweredContact], seed: int = SEED) -> bytes:
    """The survey-csv of KTO answers for about KTO_SHARE of `contacts` (the same seed and
    contacts give the same bytes)."""
    rng = random.Random(f"{seed}-{code}-kto")  # noqa: S311 - demo data, not security
    chosen = [c for c in contacts if rng.random() < KTO_SHARE]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(_row(rng, n, code, c) for n, c in enumerate(chosen, start=1))
    return buffer.getvalue().encode()

"""Six months of demo phone contacts for the demo municipalities (fictional, seeded).

The calls are generated as canonical CSV rows (DESIGN.md "Contact import formats") and imported
through `contacts_import`, so they pass the same validation as a real export and land in every
rollup. The patterns are the ones a KCC knows from practice:

- a Monday-morning peak: more calls and longer waits;
- a lunch dip (12:00–13:30): fewer agents, so fewer calls answered within T;
- a Friday-afternoon dip: the same, with a little less traffic;
- abandons (short ones included) that grow with the wait, calls ended in the menu, callback
  requests and voicemails, calls just outside opening hours (`closed`);
- transfers, more often for WMO questions; repeat callers within a week via customer ids.

Running it again changes nothing: an organisation that already has demo contacts is skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
from collections import deque
from dataclasses import dataclass
from typing import Final

from django.db import transaction

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.csv.parser import COLUMNS
from meetlat.contacts.models import Contact
from meetlat.contacts.services import contacts_import
from meetlat.organisations.models import Organisation
from meetlat.organisations.selectors import calendar_for

DEMO_SOURCE: Final = "demo-acd"
SEED: Final = 2026
DEMO_FROM: Final = dt.date(2026, 4, 1)
DEMO_TO: Final = dt.date(2026, 9, 30)
OPENS: Final = dt.time(8, 30)
CLOSES: Final = dt.time(17, 0)

#: Calls per working day (before weekday and season factors), per demo municipality.
DAILY_CALLS: Final[dict[str, int]] = {"GM9901": 300, "GM9902": 210, "GM9903": 150}
#: Mean wait (s) of the calls that have to wait, per municipality: how well each is staffed.
BASE_WAIT_S: Final[dict[str, float]] = {"GM9901": 45.0, "GM9902": 30.0, "GM9903": 60.0}
WEEKDAY_VOLUME: Final = {0: 1.3, 1: 1.05, 2: 0.95, 3: 0.95, 4: 0.8}
MONTH_VOLUME: Final = {4: 1.0, 5: 1.0, 6: 0.95, 7: 0.8, 8: 0.8, 9: 1.05}
#: (topic, share, mean handle time in s, chance of a transfer)
TOPICS: Final[tuple[tuple[str, float, float, float], ...]] = (
    ("afval", 0.22, 150.0, 0.05),
    ("paspoort", 0.20, 180.0, 0.08),
    ("parkeren", 0.15, 200.0, 0.10),
    ("belastingen", 0.15, 300.0, 0.15),
    ("WMO", 0.10, 420.0, 0.35),
    ("verhuizing", 0.08, 210.0, 0.08),
    ("overig", 0.10, 240.0, 0.20),
)
AGENTS: Final = 14
CUSTOMERS: Final = 40_000
REPEAT_SHARE: Final = 0.12
ANONYMOUS_SHARE: Final = 0.2
MEAN_PATIENCE_S: Final = 220.0
Row = dict[str, str]


@dataclass(frozen=True)
class DemoContactsResult:
    organisations: int
    imported: int


def _minute_weight(weekday: int, minute: int) -> float:
    """Relative call arrival rate at `minute` after midnight (a morning peak, a quiet lunch)."""
    hour = minute / 60
    weight = 1.0
    if 9 <= hour < 11:
        weight = 1.5
    elif 12 <= hour < 13.5:
        weight = 0.8
    elif hour >= 15.5:
        weight = 0.6
    if weekday == 0 and hour < 12:
        weight *= 1.3  # Monday morning: the weekend's questions
    if weekday == 4 and hour >= 13:
        weight *= 0.75
    return weight


def _congestion(weekday: int, minute: int) -> float:
    """How crowded the queue is: the chance of waiting and the length of the wait grow with it."""
    hour = minute / 60
    factor = 1.0
    if 12 <= hour < 13.5:
        factor *= 2.4  # lunch: half the team is away
    if weekday == 4 and hour >= 13:
        factor *= 2.2  # Friday afternoon: part-timers are off
    if weekday == 0 and hour < 12:
        factor *= 1.9
    if 9 <= hour < 11:
        factor *= 1.2
    return factor


_DAY_MINUTES: Final = list(range(OPENS.hour * 60 + OPENS.minute, CLOSES.hour * 60))


def _started(rng: random.Random, day: dt.date, weights: list[float]) -> dt.datetime:
    minute = rng.choices(_DAY_MINUTES, weights)[0]
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randrange(60)))
    return local.replace(tzinfo=AMSTERDAM)


def _wait(rng: random.Random, base_wait_s: float, congestion: float) -> int:
    p_wait = min(0.95, 0.25 * congestion)
    if rng.random() >= p_wait:
        return rng.randrange(0, 8)
    return int(rng.expovariate(1 / (base_wait_s * congestion)))


def _topic(rng: random.Random) -> tuple[str, float, float]:
    topic, _share, handle, transfer = rng.choices(TOPICS, [t[1] for t in TOPICS])[0]
    return topic, handle, transfer


def _transfers(rng: random.Random, chance: float) -> int:
    if rng.random() >= chance:
        return 0
    return 1 if rng.random() < 0.8 else rng.choice((2, 2, 3))


class _Customers:
    """Customer ids: some anonymous, most new, some calling again within a week."""

    def __init__(self, rng: random.Random, code: str) -> None:
        self.rng = rng
        self.code = code
        self.recent: deque[tuple[dt.datetime, str]] = deque()

    def pick(self, started: dt.datetime) -> str:
        while self.recent and started - self.recent[0][0] > dt.timedelta(days=7):
            self.recent.popleft()
        if self.rng.random() < ANONYMOUS_SHARE:
            return ""
        if self.recent and self.rng.random() < REPEAT_SHARE:
            customer = self.rng.choice(self.recent)[1]
        else:
            customer = f"{self.code}-K{self.rng.randrange(CUSTOMERS):05d}"
        self.recent.append((started, customer))
        return customer


def _call(rng: random.Random, started: dt.datetime, code: str) -> Row:
    """One offered call (answered or abandoned, or one of the rarer outcomes)."""
    local = started.astimezone(AMSTERDAM)
    minute = local.hour * 60 + local.minute
    topic, mean_handle, transfer_chance = _topic(rng)
    row: Row = {"topic": topic, "started_at": local.isoformat(timespec="seconds")}
    roll = rng.random()
    if roll < 0.025:
        return row | {"outcome": "ivr_abandoned", "wait_s": "0"}
    if roll < 0.035:
        return row | {"outcome": "callback_request", "wait_s": str(rng.randrange(30, 240))}
    if roll < 0.04:
        return row | {"outcome": "voicemail", "wait_s": str(rng.randrange(30, 120))}
    wait = _wait(rng, BASE_WAIT_S[code], _congestion(local.weekday(), minute))
    patience = rng.expovariate(1 / MEAN_PATIENCE_S)
    if patience < wait:
        return row | {"outcome": "abandoned", "wait_s": str(int(patience))}
    handle = max(20, int(rng.lognormvariate(math.log(mean_handle), 0.5)))
    transfers = _transfers(rng, transfer_chance)
    resolved = (
        ""
        if rng.random() < 0.3
        else ("yes" if rng.random() < (0.85 if not transfers else 0.5) else "no")
    )
    return row | {
        "outcome": "answered",
        "wait_s": str(wait),
        "handle_s": str(handle),
        "agent": f"{code}-agent-{rng.randrange(AGENTS) + 1:02d}",
        "transfers": str(transfers),
        "resolved_first_contact": resolved,
    }


def _closed_call(rng: random.Random, day: dt.date) -> Row:
    """A call just before opening or just after closing: counted apart, never offered."""
    early = rng.random() < 0.5
    minute = rng.randrange(8 * 60, 8 * 60 + 30) if early else rng.randrange(17 * 60, 17 * 60 + 45)
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=AMSTERDAM)
    return {"started_at": local.isoformat(timespec="seconds"), "outcome": "closed", "wait_s": "0"}


def demo_contact_rows(
    *, code: str, days: list[dt.date], contact_points: tuple[str, str], seed: int = SEED
) -> list[Row]:
    """The canonical CSV rows of one municipality, in order of start (same seed, same rows)."""
    rng = random.Random(f"{seed}-{code}")  # noqa: S311 - demo data, not security
    customers = _Customers(rng, code)
    weights = {wd: [_minute_weight(wd, m) for m in _DAY_MINUTES] for wd in WEEKDAY_VOLUME}
    rows: list[Row] = []
    for day in days:
        expected = DAILY_CALLS[code] * WEEKDAY_VOLUME[day.weekday()] * MONTH_VOLUME[day.month]
        count = max(0, int(rng.gauss(expected, expected * 0.08)))
        moments = sorted(_started(rng, day, weights[day.weekday()]) for _ in range(count))
        day_rows = [_call(rng, moment, code) for moment in moments]
        for row, moment in zip(day_rows, moments, strict=True):
            row["customer"] = customers.pick(moment)
        day_rows.extend(_closed_call(rng, day) for _ in range(max(1, count // 50)))
        for row in day_rows:
            row["contact_id"] = f"{code}-{day:%Y%m%d}-{len(rows) + 1:06d}"
            row["contact_point"] = contact_points[0] if rng.random() < 0.85 else contact_points[1]
            rows.append(row)
    return rows


def _csv(rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _contact_points(organisation: Organisation) -> tuple[str, str]:
    number = organisation.code[-2:]
    return f"Hoofdnummer 14 0{number}", "Team Vergunningen"


@transaction.atomic
def demo_contacts_load(
    *, organisations: list[Organisation], date_from: dt.date = DEMO_FROM, date_to: dt.date = DEMO_TO
) -> DemoContactsResult:
    """Import the demo calls of every organisation with a profile in DAILY_CALLS; idempotent."""
    imported = 0
    done = 0
    for organisation in organisations:
        if organisation.code not in DAILY_CALLS:
            continue
        done += 1
        if Contact.objects.filter(organisation=organisation, source=DEMO_SOURCE).exists():
            continue
        days = calendar_for(organisation=organisation).workdays(date_from, date_to)
        rows = demo_contact_rows(
            code=organisation.code, days=days, contact_points=_contact_points(organisation)
        )
        result = contacts_import(
            organisation=organisation,
            data=_csv(rows),
            file_name=f"demo-{organisation.code.lower()}-telefonie.csv",
            format_name="csv",
            tz=AMSTERDAM,
            source=DEMO_SOURCE,
        )
        if not result.ok:
            raise ValueError(f"demo contacts of {organisation.code} do not import: {result.errors}")
        imported += result.imported
    return DemoContactsResult(organisations=done, imported=imported)

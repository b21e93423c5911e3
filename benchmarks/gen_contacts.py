"""Seeded generator of canonical phone rows (DESIGN.md "Canonical phone columns").

Calls spread over working hours of a year (2025-04-01 …), four contact points, twelve topics,
some 60 000 customer keys (so repeat contacts occur), a realistic outcome mix and waits.
Used by the benchmarks only; the same seed gives the same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterator
from typing import Final
from zoneinfo import ZoneInfo

SEED: Final = 20261125
AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
COLUMNS: Final = (
    "contact_id",
    "started_at",
    "contact_point",
    "outcome",
    "wait_s",
    "handle_s",
    "agent",
    "transfers",
    "topic",
    "customer",
    "resolved_first_contact",
)
POINTS: Final = ("KCC", "Vergunningen", "Belastingen", "Zorgloket")
TOPICS: Final = tuple(f"onderwerp-{i:02d}" for i in range(12))
OUTCOMES: Final = (
    ("answered", 80),
    ("abandoned", 12),
    ("ivr_abandoned", 3),
    ("closed", 2),
    ("callback_request", 2),
    ("voicemail", 1),
)
START: Final = dt.datetime(2025, 4, 1, tzinfo=AMSTERDAM)


def rows(n: int, *, seed: int = SEED, days: int = 365) -> Iterator[tuple[str, ...]]:
    """n canonical rows as tuples of strings in COLUMNS order, in time order."""
    rng = random.Random(seed)
    names, weights = zip(*OUTCOMES, strict=True)
    step = days * 86_400 / max(n, 1)
    for i in range(n):
        at = START + dt.timedelta(seconds=int(i * step))
        at = at.replace(hour=8 + rng.randrange(9), minute=rng.randrange(60))
        outcome = rng.choices(names, weights)[0]
        offered = outcome in ("answered", "abandoned")
        wait = str(int(rng.expovariate(1 / 35))) if offered else ""
        answered = outcome == "answered"
        yield (
            f"b{i:08d}",
            at.isoformat(timespec="seconds"),
            POINTS[rng.randrange(len(POINTS))],
            outcome,
            wait,
            str(60 + int(rng.expovariate(1 / 240))) if answered else "",
            f"agent{rng.randrange(80)}" if answered else "",
            str(min(int(rng.expovariate(2.5)), 4)) if answered else "",
            TOPICS[rng.randrange(len(TOPICS))],
            f"klant{rng.randrange(60_000)}" if rng.random() < 0.7 else "",
            rng.choice(("yes", "yes", "no", "")) if answered else "",
        )


def csv_bytes(n: int, *, seed: int = SEED, days: int = 365) -> bytes:
    """The rows as a canonical CSV file (header included)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(n, seed=seed, days=days))
    return out.getvalue().encode()

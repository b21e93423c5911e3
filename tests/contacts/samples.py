"""Canonical phone CSVs of METHODOLOGY.md §4.2, as the contract check writes them.

`KPI_ROWS`, `REPEAT_ROWS` and `BAD_ROWS` mirror /work/shared/checks/contract exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

PHONE_COLUMNS = [
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
]


def phone_row(
    cid: str,
    started: str,
    outcome: str,
    wait: int | str,
    handle: int | str = "",
    agent: str = "",
    transfers: int | str = "",
    topic: str = "",
    customer: str = "",
) -> list[str]:
    return [
        cid,
        started,
        "KCC",
        outcome,
        str(wait),
        str(handle),
        agent,
        str(transfers),
        topic,
        customer,
        "",
    ]


# METHODOLOGY §4.2 example: answered waits 5 12 18 20 25 40 70 310, abandoned 3 45,
# all on Tue 10 Mar 2026 (CET); mean handle 330 s, 2 of 8 answered calls transferred.
KPI_ROWS = [
    phone_row("c01", "2026-03-10T09:00:00+01:00", "answered", 5, 120, "m01", 0, "afval"),
    phone_row("c02", "2026-03-10T09:07:00+01:00", "answered", 12, 180, "m02", 1, "parkeren"),
    phone_row("c03", "2026-03-10T09:14:00+01:00", "abandoned", 3),
    phone_row("c04", "2026-03-10T09:21:00+01:00", "answered", 18, 240, "m01", 0, "paspoort"),
    phone_row("c05", "2026-03-10T09:28:00+01:00", "answered", 20, 300, "m02", 0, "afval"),
    phone_row("c06", "2026-03-10T09:35:00+01:00", "answered", 25, 360, "m01", 1, "parkeren"),
    phone_row("c07", "2026-03-10T09:42:00+01:00", "abandoned", 45),
    phone_row("c08", "2026-03-10T09:49:00+01:00", "answered", 40, 420, "m02", 0, "paspoort"),
    phone_row("c09", "2026-03-10T09:56:00+01:00", "answered", 70, 480, "m01", 0, "afval"),
    phone_row("c10", "2026-03-10T10:03:00+01:00", "answered", 310, 540, "m02", 0, "parkeren"),
]

# Key K on Fri 27 Mar 2026 10:00 CET and Fri 3 Apr 2026 10:45 CEST: Δ = 167.75 h, a repeat.
REPEAT_ROWS = [
    phone_row("r01", "2026-03-27T10:00:00+01:00", "answered", 10, 60, "m01", 0, "afval", "K-0001"),
    phone_row("r02", "2026-04-03T10:45:00+02:00", "answered", 10, 60, "m01", 0, "afval", "K-0001"),
]

# The 3rd data row (physical line 4) has wait_s "abc".
BAD_ROWS = [
    phone_row("b01", "2026-03-10T09:00:00+01:00", "answered", 10, 100, "m01", 0),
    phone_row("b02", "2026-03-10T09:10:00+01:00", "abandoned", 30),
    phone_row("b03", "2026-03-10T09:20:00+01:00", "answered", "abc", 100, "m01", 0),
    phone_row("b04", "2026-03-10T09:30:00+01:00", "answered", 15, 100, "m02", 0),
]


def csv_bytes(rows: Sequence[Sequence[str]], header: Sequence[str] = PHONE_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_csv(folder: Path, name: str, rows: Sequence[Sequence[str]]) -> Path:
    path = folder / name
    path.write_bytes(csv_bytes(rows))
    return path

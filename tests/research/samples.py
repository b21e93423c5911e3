"""Observation rows of METHODOLOGY.md's worked examples A (§2.6) and B (§2.7), written the way
the contract check writes them (shared/checks/contract: `_phone`, `_email`, OBSERVATIONS)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from meetlat.research.parsing import COLUMNS

CODE, NAME = "GM9901", "Meetdorp"
Row = dict[str, str]


def phone(
    q: str,
    planned: str,
    attempts: str,
    reached: str,
    wait: str = "",
    transfers: str = "",
    warm: str = "",
    reason: str = "",
    cb_promised: str = "",
    cb_kept: str = "",
    one_go: str = "",
    corr: str = "",
    compl: str = "",
    bejegening: tuple[str, str, str, str, str] = ("", "", "", "", ""),
    extra: str = "",
) -> Row:
    name, friendly, plain, more_q, rec = bejegening
    return {
        "scenario": q,
        "channel": "phone",
        "planned_at": planned,
        "attempts": attempts,
        "reached": reached,
        "wait_s": wait,
        "transfers": transfers,
        "transfers_warm": warm,
        "reason_passed_on": reason,
        "callback_promised": cb_promised,
        "callback_kept": cb_kept,
        "in_one_go": one_go,
        "correctness": corr,
        "completeness": compl,
        "introduced_name": name,
        "friendly": friendly,
        "plain_language": plain,
        "asked_more_questions": more_q,
        "recording_announced": rec,
        "extra_step": extra,
    }


def email(
    q: str,
    sent: str,
    ack: str = "",
    answered: str = "",
    corr: str = "",
    compl: str = "",
    tone: str = "",
    extra: str = "",
) -> Row:
    return {
        "scenario": q,
        "channel": "email",
        "planned_at": sent,
        "sent_at": sent,
        "acknowledged_at": ack,
        "answered_at": answered,
        "correctness": corr,
        "completeness": compl,
        "tone": tone,
        "extra_step": extra,
    }


EXAMPLE_A = [
    phone(
        "T1", "2026-04-14T09:00:00+02:00", "1", "yes", "14", "0", cb_promised="no",
        one_go="yes", corr="correct", compl="complete",
        bejegening=("yes", "yes", "yes", "no", "na"), extra="no",
    ),
    phone(
        "T2", "2026-04-15T10:30:00+02:00", "1", "yes", "45", "1", "yes", "yes",
        cb_promised="yes", cb_kept="yes", one_go="callback", corr="partly",
        compl="partial", bejegening=("yes", "yes", "no", "yes", "yes"), extra="yes",
    ),
    phone(
        "T3", "2026-04-16T12:30:00+02:00", "2", "yes", "90", "2", "no", "no",
        cb_promised="no", one_go="no", corr="wrong", compl="none",
        bejegening=("no", "yes", "yes", "no", "no"), extra="no",
    ),
    phone("T4", "2026-04-17T14:00:00+02:00", "3", "no"),
    phone(
        "T5", "2026-04-20T15:30:00+02:00", "1", "yes", "8", "3", "yes", "yes",
        cb_promised="no", one_go="yes", corr="correct", compl="more", extra="yes",
    ),
]  # fmt: skip

EXAMPLE_B = [
    email(
        "M1", "2026-04-21T10:00:00+02:00", "2026-04-21T10:20:00+02:00",
        "2026-04-22T09:30:00+02:00", "correct", "complete", "good", "no",
    ),
    email(
        "M2", "2026-04-24T16:00:00+02:00", "", "2026-04-28T11:00:00+02:00",
        "partly", "complete", "fair", "no",
    ),
    email(
        "M3", "2026-05-04T17:45:00+02:00", "2026-05-06T09:10:00+02:00",
        "2026-05-11T14:00:00+02:00", "correct", "partial", "good", "yes",
    ),
    email(
        "M4", "2026-05-13T11:00:00+02:00", "2026-05-13T11:05:00+02:00",
        "2026-06-01T10:00:00+02:00", "correct", "complete", "good", "no",
    ),
    email("M5", "2026-05-07T09:00:00+02:00"),
]  # fmt: skip

OBSERVATIONS = EXAMPLE_A + EXAMPLE_B


def with_municipality(rows: Iterable[Row], code: str = CODE, name: str = NAME) -> list[Row]:
    return [{"municipality": code, "municipality_name": name, **row} for row in rows]


def csv_text(rows: Iterable[Mapping[str, str]], columns: Sequence[str] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return out.getvalue()


def examples_text() -> str:
    """Worked examples A and B for GM9901 "Meetdorp": header on line 1, T1 … T5, M1 … M5."""
    return csv_text(with_municipality(OBSERVATIONS))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path

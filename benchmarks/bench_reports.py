"""Benchmark: every report of a study of 31 municipalities (15 phone and 5 e-mail questions
each), i.e. 31 municipality PDFs and the benchmark PDF, against a baseline of 32 trivial
one-page WeasyPrint PDFs measured in the same run. Target: under 60 s on the 2-core
reference machine.

The data are generated here with a fixed seed: fictional municipalities GM9701-GM9731
("Proefdorp 01" …), each with its own quality level, so grades spread over the bands.
Run it alone with ``python benchmarks/bench_reports.py`` or through ``benchmarks/run.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

MUNICIPALITIES: Final = 31
PHONE_QUESTIONS: Final = 15
EMAIL_QUESTIONS: Final = 5
SEED: Final = 20260415
TARGET_S: Final = 60.0
STUDY: Final = "bench-rapporten"
AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
#: Fieldwork: four weeks from Monday 13 April 2026 (King's Day and 5 May fall in it).
START: Final = dt.date(2026, 4, 13)
SLOTS: Final = ((8, 45), (10, 15), (12, 30), (14, 0), (15, 30))
COMPLETENESS: Final = ("more", "complete", "partial")


# -- data ---------------------------------------------------------------------------------------


def _yes(rng: random.Random, p: float) -> str:
    return "yes" if rng.random() < p else "no"


def _pick(rng: random.Random, q: float, values: tuple[str, ...]) -> str:
    """A value from best to worst, better ones likelier for a higher quality q."""
    weights = [q ** (i + 1) * (1 - q) ** (len(values) - i - 1) + 0.05 for i in range(len(values))]
    return rng.choices(values, weights=weights[::-1])[0]


def _weekday(index: int) -> dt.date:
    """The index-th weekday from START (holidays included: auditors sometimes call then)."""
    day = START
    while index or day.weekday() >= 5:
        if day.weekday() < 5:
            index -= 1
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def phone_row(rng: random.Random, q: float, i: int) -> dict[str, str]:
    planned = _at(_weekday(i * 19 // PHONE_QUESTIONS), *SLOTS[i % len(SLOTS)])
    attempts = rng.choices((1, 2, 3), weights=(0.5 + q, 0.3, 0.2))[0]
    row = {"scenario": f"T{i + 1:02d}", "channel": "phone", "planned_at": planned.isoformat()}
    if attempts == 3 and rng.random() > q:
        return row | {"attempts": "3", "reached": "no"}
    transfers = rng.choices((0, 1, 2, 3), weights=(0.4 + q, 0.35, 0.15, 0.1))[0]
    warm = _yes(rng, q) if transfers else ""
    in_one_go = _pick(rng, q, ("yes", "callback", "no"))
    promised = "yes" if in_one_go == "callback" else _yes(rng, 0.2)
    correctness = _pick(rng, q, ("correct", "partly", "wrong", "none"))
    row |= {
        "attempts": str(attempts),
        "reached": "yes",
        "wait_s": str(int(rng.expovariate(1 / (15 + 90 * (1 - q))))),
        "transfers": str(transfers),
        "transfers_warm": warm,
        "reason_passed_on": _yes(rng, 0.8) if warm == "yes" else warm,
        "callback_promised": promised,
        "callback_kept": _yes(rng, q) if promised == "yes" else "",
        "in_one_go": in_one_go,
        "correctness": correctness,
        "completeness": "none" if correctness == "none" else _pick(rng, q, COMPLETENESS),
        "extra_step": _yes(rng, q / 2),
    }
    for item in ("introduced_name", "friendly", "plain_language", "asked_more_questions"):
        row[item] = _yes(rng, 0.3 + 0.6 * q)
    row["recording_announced"] = rng.choice(("na", _yes(rng, q)))
    return row


def email_row(rng: random.Random, q: float, i: int) -> dict[str, str]:
    sent = _at(_weekday(i * 3 + 1), 9 + i * 2, 10 * i)
    row = {"scenario": f"M{i + 1}", "channel": "email", "planned_at": sent.isoformat()}
    row["sent_at"] = sent.isoformat()
    if rng.random() < 0.7 + 0.25 * q:
        row["acknowledged_at"] = (
            sent + dt.timedelta(minutes=rng.choice((1, 5, 90, 1500)))
        ).isoformat()
    if rng.random() < 0.55 + 0.4 * q:
        hours = rng.expovariate(1 / (20 + 200 * (1 - q)))
        correctness = _pick(rng, q, ("correct", "partly", "wrong", "none"))
        row |= {
            "answered_at": (sent + dt.timedelta(hours=hours)).isoformat(timespec="seconds"),
            "correctness": correctness,
            "completeness": "none" if correctness == "none" else _pick(rng, q, COMPLETENESS),
            "tone": _pick(rng, q, ("good", "fair", "poor")),
            "extra_step": _yes(rng, q / 3),
        }
    return row


def generate_rows(seed: int = SEED) -> list[dict[str, str]]:
    """Observation rows of MUNICIPALITIES fictional municipalities, reproducible by seed."""
    rng = random.Random(seed)
    rows = []
    for m in range(1, MUNICIPALITIES + 1):
        q = rng.uniform(0.25, 0.95)
        own = [phone_row(rng, q, i) for i in range(PHONE_QUESTIONS)]
        own += [email_row(rng, q, i) for i in range(EMAIL_QUESTIONS)]
        rows += [{"municipality": f"GM97{m:02d}", "municipality_name": f"Proefdorp {m:02d}", **r}
                 for r in own]  # fmt: skip
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    from meetlat.research.parsing import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# -- running ------------------------------------------------------------------------------------


def setup_django(folder: Path) -> None:
    """Django on a throwaway SQLite database in ``folder`` (unless already set up)."""
    from django.conf import settings

    if not settings.configured:
        os.environ["MEETLAT_DATA_DIR"] = str(folder)
        os.environ.pop("MEETLAT_DATABASE_URL", None)
        os.environ.pop("MEETLAT_BROKER_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetlat.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)


def baseline_s(count: int) -> tuple[float, float]:
    """Wall and CPU seconds for ``count`` trivial one-page PDFs (after one warm-up)."""
    import weasyprint

    weasyprint.HTML(string="<p>meetlat</p>").write_pdf()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        weasyprint.HTML(string="<p>meetlat</p>").write_pdf()
    return time.perf_counter() - start, time.process_time() - cpu


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="meetlat-bench-") as tmp:
        folder = Path(tmp)
        setup_django(folder)
        from meetlat.reports.services import study_reports_generate
        from meetlat.research.models import Study
        from meetlat.research.services import observations_import

        rows = generate_rows()
        observations_import(study_name=STUDY, path=write_csv(rows, folder / "obs.csv"))
        study = Study.objects.get(name=STUDY)
        start, cpu = time.perf_counter(), time.process_time()
        paths = study_reports_generate(
            study=study, wave=study.waves.get(), output_dir=folder / "out", formats=("pdf",)
        )
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - cpu
        size = sum(p.stat().st_size for p in paths)
        baseline, baseline_cpu = baseline_s(len(paths))
    return {
        "observations": len(rows),
        "pdfs": len(paths),
        "seconds": elapsed,
        "seconds_per_pdf": elapsed / len(paths),
        "cpu_seconds": elapsed_cpu,
        "megabytes": size / 1e6,
        "baseline_seconds": baseline,
        "ratio_to_baseline": elapsed / baseline,
        "cpu_ratio_to_baseline": elapsed_cpu / baseline_cpu,
        "target_seconds": TARGET_S,
        "ok": elapsed < TARGET_S,
    }


if __name__ == "__main__":
    result = run()
    for key, value in result.items():
        print(f"{key:22} {value:.3f}" if isinstance(value, float) else f"{key:22} {value}")
    sys.exit(0 if result["ok"] else 1)

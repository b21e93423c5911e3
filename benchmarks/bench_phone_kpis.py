"""Benchmark (b): phone KPIs over a year of calls (default 1 000 000), from contact rows.

Compares `phone_kpis_get(source="rows")` (counters with repeat contact, answered waits for the
percentiles, the calendar's reads) with one hand-written SQL aggregate over the same rows that
computes the same counters, repeat contact included (the floor). Target: at most 2 × the floor.
Also reports the same call reading the daily rollups (`source="auto"`).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, drop_contacts, import_rows, organisation, setup_django  # noqa: E402

ROWS: Final = 1_000_000
TARGET_RATIO: Final = 2.0
YEAR: Final = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def _earlier(vendor: str) -> str:
    if vendor == "postgresql":
        return "e.started_at >= c.started_at - interval '7 days'"
    return "e.started_at >= datetime(c.started_at, '-7 days')"


def hand_sql(vendor: str) -> str:
    """The counters of `phone_kpis_get` in one hand-written statement."""
    answered, abandoned = "c.outcome = 'answered'", "c.outcome = 'abandoned'"
    offered = f"({answered} OR {abandoned})"

    def count(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    repeat = (
        "EXISTS (SELECT 1 FROM contacts_contact e WHERE e.organisation_id = c.organisation_id"
        " AND e.channel = 'phone' AND e.outcome IN ('answered', 'abandoned')"
        " AND e.customer_hash = c.customer_hash AND e.started_at < c.started_at"
        f" AND {_earlier(vendor)})"
    )
    counters = [
        count(answered), count(abandoned), count(f"{abandoned} AND c.wait_s < 5"),
        count("c.outcome = 'ivr_abandoned'"), count("c.outcome = 'closed'"),
        count("c.outcome = 'callback_request'"), count("c.outcome = 'voicemail'"),
        count(f"{answered} AND c.wait_s <= 20"), count(f"{abandoned} AND c.wait_s <= 20"),
        f"SUM(CASE WHEN {answered} THEN c.wait_s END)",
        f"SUM(CASE WHEN {abandoned} THEN c.wait_s END)",
        f"MAX(CASE WHEN {offered} THEN c.wait_s END)",
        count(f"{offered} AND c.wait_s > 300"),
        count(f"{answered} AND c.handle_s IS NOT NULL"),
        f"SUM(CASE WHEN {answered} THEN c.handle_s END)",
        count(f"{answered} AND c.transfers = 1"), count(f"{answered} AND c.transfers = 2"),
        count(f"{answered} AND c.transfers >= 3"),
        count(f"{answered} AND c.resolved_first_contact"),
        count(f"{answered} AND c.resolved_first_contact IS NOT NULL"),
        count(f"{offered} AND c.customer_hash <> '' AND {repeat}"),
        count(f"{offered} AND c.customer_hash <> ''"),
    ]  # fmt: skip
    return (
        f"SELECT {', '.join(counters)} FROM contacts_contact c"  # noqa: S608
        " WHERE c.organisation_id = %s AND c.channel = 'phone'"
        " AND c.local_date >= %s AND c.local_date <= %s"
    )


def run(scale: float = 1.0) -> dict[str, Any]:
    setup_django()
    from django.db import connection

    from meetlat.kpis.selectors import phone_kpis_get

    n = max(int(ROWS * scale), 1000)
    dorp = organisation("GM9802", "Kengetallendorp (benchmark)")
    load_s = import_rows(dorp, n)
    sql = hand_sql(connection.vendor)

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [dorp.pk, YEAR[0], YEAR[1]])
            assert cursor.fetchone()[0] > 0

    def engine(source: str) -> Any:
        return lambda: phone_kpis_get(
            organisation=dorp, date_from=YEAR[0], date_to=YEAR[1], source=source
        )

    assert phone_kpis_get(organisation=dorp, date_from=YEAR[0], date_to=YEAR[1]).source == (
        "rollups"
    )
    floor_s = best_of(3, floor)
    rows_s = best_of(3, engine("rows"))
    rollups_s = best_of(3, engine("auto"))
    drop_contacts(dorp.pk)
    ratio = rows_s / floor_s
    return {
        "database": connection.vendor,
        "rows": n,
        "load_s": load_s,
        "hand_sql_s": floor_s,
        "kpis_from_rows_s": rows_s,
        "ratio_to_hand_sql": ratio,
        "kpis_with_rollups_s": rollups_s,
        "target_ratio": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO,
    }


if __name__ == "__main__":
    print(run(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0))

"""Benchmark (c): KPIs of one month from the daily rollups, time per call.

Imports a year of phone calls (default 1 000 000; the import builds the rollups), then times
`dashboard_kpis_get` (rollups only, one query) for one month, overall and per day, and
`phone_kpis_get` for the same month (counters from rollups; repeat contact and percentiles from
contact rows). Reported as milliseconds per call, best of five.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, drop_contacts, import_rows, organisation, setup_django  # noqa: E402

ROWS: Final = 1_000_000
MONTH: Final = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
TARGET_MS: Final = 100.0
"""A dashboard tile from rollups should answer well within a page view."""


def run(scale: float = 1.0) -> dict[str, Any]:
    setup_django()
    from django.db import connection

    from meetlat.kpis.models import DailyRollup
    from meetlat.kpis.selectors import dashboard_kpis_get, phone_kpis_get

    n = max(int(ROWS * scale), 1000)
    dorp = organisation("GM9803", "Rollupdorp (benchmark)")
    import_rows(dorp, n)
    month = {"date_from": MONTH[0], "date_to": MONTH[1]}

    def dashboard(group_by: str | None) -> Any:
        return lambda: dashboard_kpis_get(
            organisation=dorp, channel="phone", group_by=group_by, **month
        )

    overall = best_of(5, dashboard(None))
    per_day = best_of(5, dashboard("day"))
    full = best_of(5, lambda: phone_kpis_get(organisation=dorp, **month))
    rollup_rows = DailyRollup.objects.filter(
        organisation=dorp, local_date__gte=MONTH[0], local_date__lte=MONTH[1]
    ).count()
    drop_contacts(dorp.pk)
    return {
        "database": connection.vendor,
        "rows_in_year": n,
        "rollup_rows_in_month": rollup_rows,
        "dashboard_month_ms": overall * 1000,
        "dashboard_month_by_day_ms": per_day * 1000,
        "phone_kpis_month_ms": full * 1000,
        "target_ms": TARGET_MS,
        "ok": max(overall, per_day) * 1000 <= TARGET_MS,
    }


if __name__ == "__main__":
    print(run(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0))

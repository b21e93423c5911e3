"""Benchmark (c): KPIs of one month from the daily rollups, time per call.

Imports a year of phone calls (default 1 000 000; the import builds the rollups), then times
`dashboard_kpis_get` (rollups only, one query) for one month, overall and per day, and
`phone_kpis_get` for the same month (counters from rollups; repeat contact and percentiles from
contact rows). Reported as milliseconds per call, best of five.

Then the whole dashboard page (HTTP through Django's test client, logged in as a quality
coach: middleware, session, selectors, charts, tables, template) for that month, PAGE_REQUESTS
times: p50 and p95 in milliseconds, against the same measure of the organisation page (a
small page of the same site, same middleware and base template) in the same run.
Target: dashboard page p95 < 100 ms.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    best_of,
    drop_contacts,
    import_rows,
    organisation,
    setup_django,
    timed,
)

ROWS: Final = 1_000_000
PAGE_REQUESTS: Final = 60
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
    pages = _page_times(dorp, month)
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
        **pages,
        "target_ms": TARGET_MS,
        "ok": max(overall, per_day) * 1000 <= TARGET_MS
        and pages["dashboard_page_p95_ms"] <= TARGET_MS,
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _page_times(organisation: Any, month: dict[str, dt.date]) -> dict[str, float]:
    """p50/p95 of the dashboard page and of the organisation page, in milliseconds."""
    from django.test import Client
    from django.urls import reverse

    from meetlat.accounts.roles import Role
    from meetlat.accounts.services import user_create

    user = user_create(
        username=f"bench-coach-{organisation.pk}",
        password="bench-password-2026",  # noqa: S106 - throwaway benchmark user
        organisation=organisation,
        role=Role.QUALITY_COACH,
    )
    client = Client(SERVER_NAME="localhost")  # an allowed host; the default "testserver" is not
    client.force_login(user)
    query = {"date_from": month["date_from"].isoformat(), "date_to": month["date_to"].isoformat()}

    def times(url: str, data: dict[str, str]) -> list[float]:
        client.get(url, data)  # warm caches and templates
        out = []
        for _ in range(PAGE_REQUESTS):
            seconds, response = timed(lambda: client.get(url, data))
            assert response.status_code == 200, (url, response.status_code)
            out.append(seconds * 1000)
        return out

    dashboard = times(reverse("kpis:dashboard"), query)
    baseline = times(reverse("organisations:mine"), {})
    return {
        "dashboard_page_p50_ms": _percentile(dashboard, 0.5),
        "dashboard_page_p95_ms": _percentile(dashboard, 0.95),
        "baseline_page_p95_ms": _percentile(baseline, 0.95),
        "dashboard_page_ratio_p95": _percentile(dashboard, 0.95) / _percentile(baseline, 0.95),
    }


if __name__ == "__main__":
    print(run(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0))

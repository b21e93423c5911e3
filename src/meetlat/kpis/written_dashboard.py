"""The dashboard of the other channels (e-mail, web form, chat, WhatsApp) from the rollups.

One query (`dashboard_kpis_get`, grouped by day): contacts, received, answered or responded,
and those outside opening hours. The calendar-dependent ratios of METHODOLOGY.md §4.3 (answered
within term, first response within 4 office hours) need contact rows and are not shown here yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from meetlat.calc.kpi import ratio
from meetlat.kpis.dashboard import Rows, Tile
from meetlat.kpis.selectors import dashboard_kpis_get
from meetlat.kpis.tables import Column, Table
from meetlat.organisations.models import Organisation


@dataclass(frozen=True)
class WrittenDashboard:
    channel: str
    total: int
    tiles: list[Tile]
    daily: Table

    def tables(self) -> list[Table]:
        return [self.daily]


def written_dashboard_get(
    *, organisation: Organisation, channel: str, date_from: dt.date, date_to: dt.date
) -> WrittenDashboard:
    report = dashboard_kpis_get(
        organisation=organisation,
        channel=channel,
        date_from=date_from,
        date_to=date_to,
        group_by="day",
    )
    kpis = report["kpis"]
    rows: Rows = [
        [
            dt.date.fromisoformat(group["key"]),
            group["kpis"]["received"],
            group["kpis"]["replied"],
            group["kpis"]["outside_opening_hours"],
        ]
        for group in report["groups"]
    ]
    columns = [
        Column("date", _("Date"), "date"),
        Column("received", _("Received")),
        Column("replied", _("Answered or responded")),
        Column("outside_opening_hours", _("Outside opening hours")),
    ]
    tiles = [
        Tile(_("Received"), kpis["received"], "count"),
        Tile(_("Answered or responded"), kpis["replied"], "count"),
        Tile(_("Share answered or responded"), ratio(kpis["replied"], kpis["received"]), "ratio"),
        Tile(_("Outside opening hours"), kpis["outside_opening_hours"], "count"),
    ]
    return WrittenDashboard(
        channel=channel,
        total=int(kpis["contacts"]),
        tiles=tiles,
        daily=Table("daily", _("Received per day"), columns, rows),
    )

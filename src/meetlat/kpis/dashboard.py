"""The data of the KPI dashboard (`/kpis/`): tiles against the norms, and one table per chart.

A fixed number of queries whatever the number of contacts (STYLE.md practice 10): the phone
selector runs once, grouped by day (its report also holds the period's totals for the tiles),
and one more aggregate gives the waits per local date and hour, folded into weekday × hour.
Ratios are Σ numerator / Σ denominator, never a mean of means (METHODOLOGY.md §4.1).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db.models import Count, Max, Min, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetlat.calc.kpi import PhoneKpis, ratio
from meetlat.contacts.models import Outcome
from meetlat.contacts.selectors import contact_date_range, contact_list
from meetlat.kpis.models import DailyRollup
from meetlat.kpis.selectors import PhoneReport, phone_kpis_get, phone_thresholds_get
from meetlat.kpis.tables import Column, Kind, Table, display
from meetlat.organisations.models import Channel, Organisation, ServiceNorm
from meetlat.organisations.selectors import norm_list_current

PHONE: Final = Channel.PHONE.value
WEEKDAYS: Final = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


@dataclass(frozen=True)
class Tile:
    """One KPI with its norm; `met` is None without a norm (or without a value)."""

    label: str | Promise
    value: float | int | None
    kind: Kind
    norm: float | None = None
    higher_is_better: bool = True

    @property
    def display_value(self) -> str:
        return display(self.kind, self.value)

    @property
    def display_norm(self) -> str:
        return display(self.kind, self.norm)

    @property
    def met(self) -> bool | None:
        if self.norm is None or self.value is None:
            return None
        return self.value >= self.norm if self.higher_is_better else self.value <= self.norm


@dataclass(frozen=True)
class PhoneDashboard:
    organisation: Organisation
    date_from: dt.date
    date_to: dt.date
    sl_threshold_s: int
    sl_norm: float | None
    abandon_norm: float | None
    offered: int
    tiles: list[Tile]
    daily: Table
    abandonment: Table
    week_hours: Table
    channel: str = PHONE

    @property
    def total(self) -> int:
        return self.offered

    def tables(self) -> list[Table]:
        return [self.daily, self.week_hours, self.abandonment]


def default_period(
    *, organisation: Organisation, today: dt.date, channel: str = PHONE
) -> tuple[dt.date, dt.date]:
    """The last full calendar month with data (the month before `today` without data)."""
    _first, last = contact_date_range(organisation=organisation, channel=channel)
    end_of_last_month = today.replace(day=1) - dt.timedelta(days=1)
    anchor = end_of_last_month
    if last is not None:
        full = (last + dt.timedelta(days=1)).day == 1
        anchor = min(last if full else last.replace(day=1) - dt.timedelta(days=1), anchor)
    return anchor.replace(day=1), anchor


def _norm(norms: dict[str, ServiceNorm], key: str) -> float | None:
    norm = norms.get(key)
    return None if norm is None else float(Decimal(norm.target))


def _tiles(kpis: PhoneKpis, norms: dict[str, ServiceNorm]) -> list[Tile]:
    sl = kpis["service_level"]["offered_excl_short_abandons"]
    return [
        Tile(_("Offered calls"), kpis["offered"], "count"),
        Tile(_("Service level"), sl, "ratio", _norm(norms, "phone_service_level")),
        Tile(
            _("Abandon rate"),
            kpis["abandon_rate"],
            "ratio",
            _norm(norms, "phone_abandon_rate"),
            higher_is_better=False,
        ),
        Tile(_("Average speed of answer"), kpis["asa_s"], "seconds"),
        Tile(
            _("Longest wait"),
            kpis["max_wait_s"],
            "seconds",
            _norm(norms, "phone_max_wait"),
            higher_is_better=False,
        ),
        Tile(
            _("First-line resolution"),
            kpis["first_line_resolution"],
            "ratio",
            _norm(norms, "phone_first_line_resolution"),
        ),
        Tile(_("Transfer rate"), kpis["transfer_rate"], "ratio"),
        Tile(_("Repeat contact within 7 days"), kpis["repeat_contact_rate"], "ratio"),
    ]


Rows = list[list[str | int | float | dt.date | None]]


def _daily(report: PhoneReport) -> Table:
    rows: Rows = []
    for group in report.groups:
        k = group["kpis"]
        rows.append(
            [
                dt.date.fromisoformat(group["key"]),
                k["offered"],
                k["answered"],
                k["abandoned"],
                k["service_level"]["offered_excl_short_abandons"],
                k["asa_s"],
            ]
        )
    columns = [
        Column("date", _("Date"), "date"),
        Column("offered", _("Offered")),
        Column("answered", _("Answered")),
        Column("abandoned", _("Abandoned")),
        Column("service_level", _("Service level"), "ratio"),
        Column("asa_s", _("Average speed of answer"), "seconds"),
    ]
    return Table("daily", _("Calls and service level per day"), columns, rows)


def _abandonment(report: PhoneReport) -> Table:
    rows: Rows = [
        [
            dt.date.fromisoformat(group["key"]),
            group["kpis"]["abandoned"],
            group["kpis"]["short_abandoned"],
            group["kpis"]["abandon_rate"],
            group["kpis"]["repeat_contact_rate"],
        ]
        for group in report.groups
    ]
    columns = [
        Column("date", _("Date"), "date"),
        Column("abandoned", _("Abandoned")),
        Column("short_abandoned", _("Short abandons")),
        Column("abandon_rate", _("Abandon rate"), "ratio"),
        Column("repeat_contact_rate", _("Repeat contact within 7 days"), "ratio"),
    ]
    return Table("abandonment", _("Abandonment and repeat contact per day"), columns, rows)


def _hour_rows_from_rollups(
    organisation: Organisation, date_from: dt.date, date_to: dt.date, sl_threshold_s: int
) -> list[dict[str, Any]] | None:
    """Sums per (local date, hour) from the rollups, or None when there are none or some were
    built with another T (then the contact rows are read)."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in DailyRollup.objects.filter(
            organisation=organisation,
            channel=PHONE,
            local_date__gte=date_from,
            local_date__lte=date_to,
        )
        .values("local_date", "local_hour")
        .annotate(
            offered=Sum("offered"),
            answered=Sum("answered"),
            abandoned=Sum("abandoned"),
            answered_within_t=Sum("answered_within_t"),
            wait_sum=Sum("sum_wait_answered"),
            handled=Sum("handled_count"),
            handle_sum=Sum("sum_handle"),
            t_low=Min("sl_threshold_s"),
            t_high=Max("sl_threshold_s"),
        )
        .order_by()
    ]
    if not rows or any(not r["t_low"] == r["t_high"] == sl_threshold_s for r in rows):
        return None
    return rows


def _hour_rows_from_contacts(
    organisation: Organisation, date_from: dt.date, date_to: dt.date, sl_threshold_s: int
) -> list[dict[str, Any]]:
    answered = Q(outcome=Outcome.ANSWERED)
    offered = answered | Q(outcome=Outcome.ABANDONED)
    return [
        dict(row)
        for row in contact_list(organisation=organisation, channel=PHONE)
        .filter(local_date__gte=date_from, local_date__lte=date_to)
        .values("local_date", "local_hour")
        .annotate(
            offered=Count("pk", filter=offered),
            answered=Count("pk", filter=answered),
            abandoned=Count("pk", filter=Q(outcome=Outcome.ABANDONED)),
            answered_within_t=Count("pk", filter=answered & Q(wait_s__lte=sl_threshold_s)),
            wait_sum=Sum("wait_s", filter=answered, default=0),
            handled=Count("handle_s", filter=answered),
            handle_sum=Sum("handle_s", filter=answered, default=0),
        )
        .order_by()
    ]


def week_hour_load(
    *, organisation: Organisation, date_from: dt.date, date_to: dt.date, sl_threshold_s: int
) -> dict[tuple[int, int], dict[str, int]]:
    """Sums per (ISO weekday, local hour) of the period: one aggregate query on the daily
    rollups (on the contact rows when the rollups were built with another T).

    Keys of each cell: `days` (dates with offered calls), `offered`, `answered`, `abandoned`,
    `answered_within_t`, `wait_sum`, `handled`, `handle_sum`.
    """
    rows = _hour_rows_from_rollups(organisation, date_from, date_to, sl_threshold_s)
    if rows is None:
        rows = _hour_rows_from_contacts(organisation, date_from, date_to, sl_threshold_s)
    cells: defaultdict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if not row["offered"]:
            continue
        cell = cells[(row["local_date"].isoweekday(), row["local_hour"])]
        cell["days"] += 1
        for key in ("offered", "answered", "abandoned", "answered_within_t", "wait_sum"):
            cell[key] += row[key]
        cell["handled"] += row["handled"]
        cell["handle_sum"] += row["handle_sum"]
    return dict(cells)


def _week_hours(organisation: Organisation, period: tuple[dt.date, dt.date], t_s: int) -> Table:
    cells = week_hour_load(
        organisation=organisation, date_from=period[0], date_to=period[1], sl_threshold_s=t_s
    )
    rows: Rows = []
    for (weekday, hour), cell in sorted(cells.items()):
        rows.append(
            [
                str(WEEKDAYS[weekday - 1]),
                f"{hour:02d}:00",
                cell["offered"],
                ratio(cell["answered_within_t"], cell["offered"]),
                ratio(cell["wait_sum"], cell["answered"]),
                ratio(cell["abandoned"], cell["offered"]),
            ]
        )
    columns = [
        Column("weekday", _("Weekday"), "text"),
        Column("hour", _("Hour"), "text"),
        Column("offered", _("Offered")),
        Column("service_level", _("Answered within T (share of offered)"), "ratio"),
        Column("asa_s", _("Average speed of answer"), "seconds"),
        Column("abandon_rate", _("Abandon rate"), "ratio"),
    ]
    return Table("week_hours", _("Waits per weekday and hour"), columns, rows)


def phone_dashboard_get(
    *, organisation: Organisation, date_from: dt.date, date_to: dt.date
) -> PhoneDashboard:
    """Tiles and tables of the phone dashboard for local dates `date_from`…`date_to`."""
    t_s, s_s = phone_thresholds_get(organisation=organisation)
    norms = {n.key: n for n in norm_list_current(organisation=organisation)}
    report = phone_kpis_get(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        sl_threshold_s=t_s,
        short_abandon_s=s_s,
        group_by="day",
        with_waits=False,  # the page shows no wait percentiles
    )
    return PhoneDashboard(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        sl_threshold_s=t_s,
        sl_norm=_norm(norms, "phone_service_level"),
        abandon_norm=_norm(norms, "phone_abandon_rate"),
        offered=report.kpis["offered"],
        tiles=_tiles(report.kpis, norms),
        daily=_daily(report),
        abandonment=_abandonment(report),
        week_hours=_week_hours(organisation, (date_from, date_to), t_s),
    )

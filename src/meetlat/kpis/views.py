"""KPI pages: the dashboard per channel, its table exports, and the staffing calculator.

Thin views (STYLE.md practice 2): a form checks the input, one selector gives the data, the
template renders it. Only the user's own organisation is ever read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetlat import clock
from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.roles import Role
from meetlat.calc.erlang import HourStaffing
from meetlat.kpis import charts
from meetlat.kpis.dashboard import WEEKDAYS, PhoneDashboard, default_period, phone_dashboard_get
from meetlat.kpis.forms import PeriodForm, StaffingForm
from meetlat.kpis.staffing import StaffingInput, staffing_calculate, staffing_per_hour_get
from meetlat.kpis.tables import EXPORT_FORMATS, Table, table_csv, table_xlsx
from meetlat.kpis.written_dashboard import WrittenDashboard, written_dashboard_get
from meetlat.organisations.models import Channel, Organisation

KPI_ROLES: Final = (Role.ADMIN, Role.QUALITY_COACH, Role.TEAM_LEAD)
#: Channels with a dashboard tab, phone first; the others show an empty state for now.
TABS: Final = (Channel.PHONE, Channel.EMAIL, Channel.WEBFORM, Channel.CHAT, Channel.WHATSAPP)
Dashboard = PhoneDashboard | WrittenDashboard
CONTENT_TYPES: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _period_form(
    request: HttpRequest, organisation: Organisation, channel: str = Channel.PHONE.value
) -> tuple[PeriodForm, tuple[dt.date, dt.date]]:
    """The period form and the period: the dates given, else the last full month with data."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("date_from"):
        return form, (form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    today = clock.today_local()
    period = default_period(organisation=organisation, today=today, channel=channel)
    if not form.is_bound:
        form = PeriodForm(initial={"date_from": period[0], "date_to": period[1]})
    return form, period


def _channel(request: HttpRequest) -> str:
    channel = request.GET.get("channel") or Channel.PHONE.value
    if channel not in {c.value for c in TABS}:
        raise Http404
    return channel


def _dashboard_get(
    organisation: Organisation, channel: str, period: tuple[dt.date, dt.date]
) -> Dashboard:
    if channel == Channel.PHONE:
        return phone_dashboard_get(
            organisation=organisation, date_from=period[0], date_to=period[1]
        )
    return written_dashboard_get(
        organisation=organisation, channel=channel, date_from=period[0], date_to=period[1]
    )


def _chart_sections(dashboard: Dashboard) -> list[dict[str, Any]]:
    if isinstance(dashboard, PhoneDashboard):
        specs = [
            (
                dashboard.daily,
                charts.daily_spec(
                    dashboard.daily, sl_norm=dashboard.sl_norm, t_s=dashboard.sl_threshold_s
                ),
            ),
            (dashboard.week_hours, charts.week_hours_spec(dashboard.week_hours)),
            (
                dashboard.abandonment,
                charts.abandonment_spec(dashboard.abandonment, abandon_norm=dashboard.abandon_norm),
            ),
        ]
    else:
        specs = [(dashboard.daily, charts.received_spec(dashboard.daily))]
    return [{"table": table, "spec": spec, "spec_id": f"spec-{table.key}"} for table, spec in specs]


@role_required(*KPI_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation = membership_of(request).organisation
    channel = _channel(request)
    form, period = _period_form(request, organisation, channel)
    data = _dashboard_get(organisation, channel, period)
    context: dict[str, Any] = {
        "form": form,
        "channel": channel,
        "tabs": [(c.value, c.label) for c in TABS],
        "date_from": period[0],
        "date_to": period[1],
        "dashboard": data,
        "sections": _chart_sections(data) if data.total else [],
    }
    return render(request, "kpis/dashboard.html", context)


@role_required(*KPI_ROLES)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """One dashboard table as CSV or XLSX (`?channel=phone&table=daily&format=xlsx&date_from=…`)."""
    organisation = membership_of(request).organisation
    channel = _channel(request)
    _form, (date_from, date_to) = _period_form(request, organisation, channel)
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORT_FORMATS:
        raise Http404
    data = _dashboard_get(organisation, channel, (date_from, date_to))
    tables: dict[str, Table] = {t.key: t for t in data.tables()}
    table = tables.get(request.GET.get("table", "daily"))
    if table is None:
        raise Http404
    body = table_csv(table) if file_format == "csv" else table_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    period = f"{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    name = f"{organisation.code}-{channel}-{table.key}-{period}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _hour_grid(cells: list[HourStaffing]) -> tuple[list[str], list[tuple[str, list[int | None]]]]:
    """Rows per hour, a column per weekday that has calls: scheduled agents (None: no calls)."""
    weekdays = sorted({c.weekday for c in cells})
    hours = sorted({c.hour for c in cells})
    by_cell = {(c.weekday, c.hour): c.scheduled_agents for c in cells}
    rows = [(f"{h:02d}:00", [by_cell.get((d, h)) for d in weekdays]) for h in hours]
    return [str(WEEKDAYS[d - 1]) for d in weekdays], rows


@role_required(*KPI_ROLES)
@require_GET
def staffing(request: HttpRequest) -> HttpResponse:
    organisation = membership_of(request).organisation
    bound = "calls" in request.GET
    form = StaffingForm(request.GET if bound else None)
    period_form, (date_from, date_to) = _period_form(request, organisation)
    values = form.cleaned_data if bound and form.is_valid() else None
    if values is None:
        values = {name: field.initial for name, field in form.fields.items()}
    data = StaffingInput(
        calls=float(values["calls"]),
        interval_s=float(values["interval_s"]),
        aht_s=float(values["aht_s"]),
        target_sl=float(values["target_sl"]) / 100,
        target_t_s=float(values["target_t"]),
        shrinkage=float(values["shrinkage"]) / 100,
        agents=values.get("agents"),
    )
    cells = staffing_per_hour_get(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        target_sl=data.target_sl,
        target_t_s=int(data.target_t_s),
        shrinkage=data.shrinkage,
    )
    weekdays, rows = _hour_grid(cells)
    context = {
        "form": form,
        "period_form": period_form,
        "result": staffing_calculate(data=data) if not bound or form.is_valid() else None,
        "given_agents": data.agents is not None,
        "input": data,
        "date_from": date_from,
        "date_to": date_to,
        "weekdays": weekdays,
        "rows": rows,
        "title": _("Staffing"),
    }
    return render(request, "kpis/staffing.html", context)

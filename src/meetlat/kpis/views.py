"""KPI pages: the dashboard per channel, its table exports, the staffing calculator, and the
channel mix with its exports and the costs per contact.

Thin views (STYLE.md practice 2): a form checks the input, one selector gives the data, the
template renders it. Only the user's own organisation is ever read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetlat import clock
from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.models import User
from meetlat.accounts.roles import ORGANISATION_EDITORS, Role
from meetlat.calc.erlang import HourStaffing
from meetlat.kpis import charts
from meetlat.kpis.channel_mix import ChannelMixPage, channel_mix_page, volume_spec
from meetlat.kpis.costs import channel_cost_set
from meetlat.kpis.dashboard import WEEKDAYS, PhoneDashboard, default_period, phone_dashboard_get
from meetlat.kpis.forms import ChannelCostForm, ChannelMixForm, PeriodForm, StaffingForm
from meetlat.kpis.selectors.channel_mix import channel_mix_get
from meetlat.kpis.selectors.costs import channel_cost_history
from meetlat.kpis.staffing import StaffingInput, staffing_calculate, staffing_per_hour_get
from meetlat.kpis.tables import EXPORT_FORMATS, Table, table_csv, table_xlsx
from meetlat.kpis.written_dashboard import WrittenDashboard, written_dashboard_get
from meetlat.organisations.models import Channel, Organisation

KPI_ROLES: Final = (Role.ADMIN, Role.QUALITY_COACH, Role.TEAM_LEAD)
#: Roles that may change the costs per contact (the others of KPI_ROLES read them).
COST_EDITORS: Final = tuple(role for role in KPI_ROLES if role in ORGANISATION_EDITORS)
#: Channels with a dashboard tab, phone first; the others show an empty state for now.
TABS: Final = (Channel.PHONE, Channel.EMAIL, Channel.WEBFORM, Channel.CHAT, Channel.WHATSAPP)
Dashboard = PhoneDashboard | WrittenDashboard
CONTENT_TYPES: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _period_form(
    request: HttpRequest,
    organisation: Organisation,
    channel: str = Channel.PHONE.value,
    form_class: type[PeriodForm] = PeriodForm,
) -> tuple[PeriodForm, tuple[dt.date, dt.date]]:
    """The period form and the period: the dates given, else the last full month with data."""
    form = form_class(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("date_from"):
        return form, (form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    today = clock.today_local()
    period = default_period(organisation=organisation, today=today, channel=channel)
    if not form.is_bound:
        form = form_class(initial={"date_from": period[0], "date_to": period[1]})
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
    data = _dashboard_get(organisation, channel, (date_from, date_to))
    return _download(request, data.tables(), f"{organisation.code}-{channel}", (date_from, date_to))


def _download(
    request: HttpRequest, tables: list[Table], stem: str, period: tuple[dt.date, dt.date]
) -> HttpResponse:
    """The table named by `?table=` as `?format=` csv or xlsx, as an attachment; else 404."""
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORT_FORMATS:
        raise Http404
    table = {t.key: t for t in tables}.get(request.GET.get("table", tables[0].key))
    if table is None:
        raise Http404
    body = table_csv(table) if file_format == "csv" else table_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    dates = f"{period[0]:%Y%m%d}-{period[1]:%Y%m%d}"
    name = f"{stem}-{table.key}-{dates}.{file_format}"
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


def _channel_mix(
    request: HttpRequest, organisation: Organisation
) -> tuple[PeriodForm, ChannelMixPage]:
    form, (date_from, date_to) = _period_form(request, organisation, form_class=ChannelMixForm)
    interval = form.cleaned_data.get("interval") if form.is_bound and form.is_valid() else None
    mix = channel_mix_get(
        organisation=organisation, date_from=date_from, date_to=date_to, interval=interval or None
    )
    return form, channel_mix_page(mix)


@role_required(*KPI_ROLES)
@require_GET
def channel_mix(request: HttpRequest) -> HttpResponse:
    """Volume, main KPI, satisfaction and cost side by side per channel, and per topic."""
    membership = membership_of(request)
    form, page = _channel_mix(request, membership.organisation)
    section = None
    if page.total:
        section = {"table": page.volume, "spec": volume_spec(page), "spec_id": "spec-volume"}
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "mix": page.mix,
        "date_from": page.mix.date_from,
        "date_to": page.mix.date_to,
        "section": section,
        "export_view": "kpis:channel_mix_export",
        "export_query": f"interval={page.mix.interval}",
        "can_edit_costs": membership.role in COST_EDITORS,
    }
    return render(request, "kpis/channel_mix.html", context)


@role_required(*KPI_ROLES)
@require_GET
def channel_mix_export(request: HttpRequest) -> HttpResponse:
    """A channel mix table as CSV or XLSX (`?table=channels&format=xlsx&date_from=…`)."""
    organisation = membership_of(request).organisation
    _form, page = _channel_mix(request, organisation)
    stem = f"{organisation.code}-channel-mix"
    return _download(request, page.tables(), stem, (page.mix.date_from, page.mix.date_to))


@role_required(*KPI_ROLES)
@require_http_methods(["GET", "POST"])
def channel_costs(request: HttpRequest) -> HttpResponse:
    """The costs per contact, current and past; administrators and coaches add new ones."""
    membership = membership_of(request)
    organisation = membership.organisation
    can_edit = membership.role in COST_EDITORS
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    today = clock.today_local()
    form = ChannelCostForm(request.POST or None, initial={"valid_from": today})
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        channel_cost_set(
            organisation=organisation,
            channel=form.cleaned_data["channel"],
            cost_per_contact=form.cleaned_data["cost_per_contact"],
            valid_from=form.cleaned_data["valid_from"],
            actor=request.user,
        )
        messages.success(request, _("The cost per contact was saved."))
        return redirect("kpis:channel_costs")
    context = {
        "form": form if can_edit else None,
        "entries": channel_cost_history(organisation=organisation, today=today),
        "today": today,
    }
    return render(request, "kpis/channel_costs.html", context)

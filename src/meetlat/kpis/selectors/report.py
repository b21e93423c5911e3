"""The `meetlat kpis --json` object of any channel (DESIGN.md), with norms and a comparison year.

Envelope: `org, channel, from, to, sl_threshold_s, short_abandon_s, kpis, groups` as in
DESIGN.md (T and S are null outside phone). Inside `kpis` (where the contract allows extra keys,
never at the top level): `definitions_version`, `norms` (every KPI with a norm beside it),
`source` (phone: `rollups` or `rows`) and, on request, `previous_year`
(the same KPIs for the same dates one year earlier).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from meetlat.calc.calendar import Mode24h
from meetlat.kpis.selectors.kto import KTO, kto_kpis_get
from meetlat.kpis.selectors.norms import DEFINITIONS_VERSION, norms_compare, norms_current
from meetlat.kpis.selectors.phone import PHONE, phone_kpis_get, phone_report_json
from meetlat.kpis.selectors.written import WRITTEN_CHANNELS, WrittenReport, written_kpis_get
from meetlat.organisations.models import Organisation

KPI_CHANNELS = (PHONE, *sorted(WRITTEN_CHANNELS), KTO)


@dataclass(frozen=True)
class KpiRequest:
    """What `meetlat kpis` asks for (thresholds only matter for phone)."""

    channel: str = PHONE
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    group_by: str | None = None
    sl_threshold_s: int = 20
    short_abandon_s: int = 5
    mode_24h: str = Mode24h.CLOCK_24H.value
    now: dt.datetime | None = None


def _written_json(report: WrittenReport) -> dict[str, Any]:
    return {
        "org": report.organisation.code,
        "channel": report.channel,
        "from": report.date_from.isoformat() if report.date_from else None,
        "to": report.date_to.isoformat() if report.date_to else None,
        "sl_threshold_s": None,
        "short_abandon_s": None,
        "kpis": report.kpis,
        "groups": report.groups,
    }


def _channel_json(organisation: Organisation, request: KpiRequest) -> dict[str, Any]:
    date_from, date_to, group_by = request.date_from, request.date_to, request.group_by
    if request.channel == PHONE:
        report = phone_kpis_get(
            organisation=organisation,
            date_from=date_from,
            date_to=date_to,
            group_by=group_by,
            sl_threshold_s=request.sl_threshold_s,
            short_abandon_s=request.short_abandon_s,
            with_callbacks=True,
        )
        return phone_report_json(report)
    if request.channel == KTO:
        return _written_json(
            kto_kpis_get(
                organisation=organisation, date_from=date_from, date_to=date_to, group_by=group_by
            )
        )
    written = written_kpis_get(
        organisation=organisation,
        channel=request.channel,
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
        mode_24h=request.mode_24h,
        now=request.now,
    )
    return _written_json(written)


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def kpis_report_json(
    *, organisation: Organisation, request: KpiRequest, compare_previous_year: bool = False
) -> dict[str, Any]:
    """The JSON object of `meetlat kpis` for one channel."""
    if request.channel not in KPI_CHANNELS:
        raise ValueError(f"no KPIs for channel {request.channel!r}")
    data = _channel_json(organisation, request)
    kpis = data["kpis"]
    norms = norms_current(organisation=organisation)
    kpis["norms"] = norms_compare(channel=request.channel, kpis=kpis, norms=norms)
    kpis["definitions_version"] = DEFINITIONS_VERSION
    if compare_previous_year:
        kpis["previous_year"] = None
        if data["from"] is not None and data["to"] is not None:
            earlier = replace(
                request,
                date_from=_year_before(dt.date.fromisoformat(data["from"])),
                date_to=_year_before(dt.date.fromisoformat(data["to"])),
                group_by=None,
            )
            before = _channel_json(organisation, earlier)
            kpis["previous_year"] = {
                "from": before["from"],
                "to": before["to"],
                "kpis": before["kpis"],
            }
    return data

"""Reads for KPIs (METHODOLOGY.md §4): phone, other channels, rollups, dashboards."""

from meetlat.kpis.selectors.dashboard import dashboard_kpis_get
from meetlat.kpis.selectors.kto import kto_kpis_get
from meetlat.kpis.selectors.phone import (
    DEFAULT_SHORT_ABANDON_S,
    DEFAULT_SL_THRESHOLD_S,
    PhoneNorms,
    PhoneReport,
    phone_kpis_get,
    phone_norms_get,
    phone_period_resolve,
    phone_report_json,
    phone_thresholds_get,
)
from meetlat.kpis.selectors.report import KpiRequest, kpis_report_json
from meetlat.kpis.selectors.written import WrittenReport, written_kpis_get

__all__ = [
    "KpiRequest",
    "WrittenReport",
    "dashboard_kpis_get",
    "kpis_report_json",
    "kto_kpis_get",
    "written_kpis_get",
    "DEFAULT_SHORT_ABANDON_S",
    "DEFAULT_SL_THRESHOLD_S",
    "PhoneNorms",
    "PhoneReport",
    "phone_kpis_get",
    "phone_norms_get",
    "phone_period_resolve",
    "phone_report_json",
    "phone_thresholds_get",
]

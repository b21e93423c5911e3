"""Daily rollups (METHODOLOGY.md §4.1): built by the import, used when T and S match, read by
dashboards in one query; and `outside_opening_hours` from the opening hours and the calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from meetlat.calc.kpi import GROUP_BY
from meetlat.contacts.services import contacts_import
from meetlat.kpis.models import DailyRollup
from meetlat.kpis.selectors import dashboard_kpis_get, phone_kpis_get
from meetlat.kpis.services import rollups_refresh, rollups_refresh_all
from meetlat.organisations.models import Channel, ContactPoint, Organisation, PhoneKind
from meetlat.organisations.selectors import norm_get_current
from meetlat.organisations.services import (
    contact_point_save,
    opening_hours_set,
    organisation_create,
)
from tests.contacts.samples import KPI_ROWS, csv_bytes, phone_row
from tests.kpis import Period

AMS = ZoneInfo("Europe/Amsterdam")
MARCH = Period(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
ROLLUP_ONLY = ("wait_p50_s", "wait_p90_s")  # percentiles need the rows


def load(organisation: Organisation, rows: list[list[str]], name: str = "x.csv") -> int:
    result = contacts_import(
        organisation=organisation, data=csv_bytes(rows), file_name=name, format_name="csv", tz=AMS
    )
    assert result.ok
    return result.imported


@pytest.fixture
def dorp(db: None) -> Organisation:
    organisation = organisation_create(code="GM9980", name="Rolldorp")
    load(organisation, KPI_ROWS, "gesprekken.csv")
    return organisation


def many_rows(n: int) -> list[list[str]]:
    return [
        phone_row(f"e{i}", f"2026-03-{1 + i % 28:02d}T{7 + i % 12:02d}:{i % 60:02d}:00+01:00",
                  ["answered", "abandoned", "closed"][i % 3], i % 90, 100, f"m{i % 3}", i % 4,
                  f"t{i % 7}", f"K{i % 13}")
        for i in range(n)
    ]  # fmt: skip


def test_the_import_builds_one_rollup_row_per_point_topic_date_and_hour(
    dorp: Organisation,
) -> None:
    rows = DailyRollup.objects.filter(organisation=dorp)
    assert sum(r.offered for r in rows) == 10 and sum(r.contacts for r in rows) == 10
    assert {(r.sl_threshold_s, r.short_abandon_s) for r in rows} == {(20, 5)}
    assert {r.norm_version for r in rows} == {"phone_service_level:v1,phone_short_abandon:v1"}
    assert max(r.max_wait or 0 for r in rows) == 310
    assert sum(r.answered_within_t for r in rows) == 4


def test_importing_again_and_refreshing_change_nothing(dorp: Organisation) -> None:
    before = list(DailyRollup.objects.filter(organisation=dorp).values(*_counters()))
    assert load(dorp, KPI_ROWS, "nogmaals.csv") == 0
    rollups_refresh(organisation=dorp, dates={dt.date(2026, 3, 10)})
    after = list(DailyRollup.objects.filter(organisation=dorp).values(*_counters()))
    assert sorted(map(repr, before)) == sorted(map(repr, after))


def _counters() -> list[str]:
    return [f.name for f in DailyRollup._meta.fields if f.name not in ("id", "built_at")]


def test_rollup_kpis_equal_row_kpis_for_every_grouping(dorp: Organisation) -> None:
    load(dorp, many_rows(200), "meer.csv")
    for group_by in (None, *GROUP_BY):
        rollups = phone_kpis_get(organisation=dorp, group_by=group_by, **MARCH)
        rows = phone_kpis_get(organisation=dorp, group_by=group_by, source="rows", **MARCH)
        assert (rollups.source, rows.source) == ("rollups", "rows")
        assert rollups.kpis == rows.kpis and rollups.groups == rows.groups


def test_a_changed_norm_reads_rows_until_the_rollups_are_rebuilt(dorp: Organisation) -> None:
    norm = norm_get_current(organisation=dorp, key="phone_service_level")
    assert norm is not None
    norm.pk, norm.version, norm.threshold = None, norm.version + 1, Decimal(30)
    norm.save()  # a new version, as `norm_update` adds
    # the command asks for the organisation's new T 30; the rollups hold T 20
    report = phone_kpis_get(organisation=dorp, sl_threshold_s=30, **MARCH)
    assert report.source == "rows" and report.kpis["service_level"]["answered"] == 5 / 8
    rollups_refresh_all(organisation=dorp)
    again = phone_kpis_get(organisation=dorp, sl_threshold_s=30, **MARCH)
    assert again.source == "rollups" and again.kpis == report.kpis
    versions = set(DailyRollup.objects.filter(organisation=dorp).values_list("norm_version"))
    assert versions == {("phone_service_level:v2,phone_short_abandon:v1",)}


def test_the_dashboard_reads_the_rollups_in_one_query(
    dorp: Organisation, django_assert_num_queries: Any
) -> None:
    load(dorp, many_rows(300), "meer.csv")
    for group_by in (None, *GROUP_BY):
        with django_assert_num_queries(1):
            data = dashboard_kpis_get(
                organisation=dorp, channel="phone", group_by=group_by, **MARCH
            )
        full = phone_kpis_get(organisation=dorp, group_by=group_by, **MARCH)
        assert _without(data["kpis"]) == _without(dict(full.kpis))
        assert [g["key"] for g in data["groups"]] == [g["key"] for g in full.groups]
        for got, want in zip(data["groups"], full.groups, strict=True):
            assert _without(got["kpis"]) == _without(dict(want["kpis"]))
    assert (data["sl_threshold_s"], data["short_abandon_s"]) == (20, 5)
    assert data["source"] == "rollups"


def test_an_earlier_call_imported_later_makes_a_repeat_in_the_rollups(db: None) -> None:
    dorp = organisation_create(code="GM9982", name="Herhaaldorp")
    # Sat 28 Mar 23:30 CET; clocks go forward on 29 Mar; 7 × 24 h later is Sun 5 Apr 00:30
    # CEST, the 8th local date: still a repeat, so the refresh must reach it.
    load(dorp, [phone_row("late", "2026-04-05T00:20:00+02:00", "answered", 5, 60, "", 0, "", "K")])
    april = Period(date_from=dt.date(2026, 4, 5), date_to=dt.date(2026, 4, 5))
    assert (
        dashboard_kpis_get(organisation=dorp, channel="phone", **april)["kpis"][
            "repeat_contact_rate"
        ]
        == 0.0
    )
    load(dorp, [phone_row("early", "2026-03-28T23:30:00+01:00", "answered", 5, 60, "", 0, "", "K")])
    from_rollups = dashboard_kpis_get(organisation=dorp, channel="phone", **april)["kpis"]
    assert from_rollups["repeat_contact_rate"] == 1.0
    rows = phone_kpis_get(organisation=dorp, source="rows", **april).kpis
    assert rows["repeat_contact_rate"] == 1.0


def _without(kpis: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kpis.items() if k not in ROLLUP_ONLY}


def test_the_dashboard_of_an_empty_period_has_zero_counts(
    dorp: Organisation, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        data = dashboard_kpis_get(
            organisation=dorp,
            channel="phone",
            date_from=dt.date(2025, 1, 1),
            date_to=dt.date(2025, 1, 31),
            group_by="day",
        )
    assert data["kpis"]["offered"] == 0 and data["kpis"]["abandon_rate"] is None
    assert data["groups"] == []


def test_outside_opening_hours_uses_the_points_hours_and_the_calendar(db: None) -> None:
    dorp = organisation_create(code="GM9981", name="Openingsdorp")
    kcc = contact_point_save(
        contact_point=ContactPoint(
            organisation=dorp, name="KCC", channel=Channel.PHONE,
            phone_kind=PhoneKind.MAIN, address="14 0999",
        ),
        actor=None,
    )  # fmt: skip
    opening_hours_set(contact_point=kcc, hours={2: [(dt.time(9), dt.time(12))]}, actor=None)
    load(dorp, [
        phone_row("in", "2026-03-10T09:00:00+01:00", "answered", 5),  # Tue 09:00: open
        phone_row("late", "2026-03-10T12:00:00+01:00", "answered", 5),  # closes at 12:00
        phone_row("mon", "2026-03-09T10:00:00+01:00", "closed", ""),  # no hours on Monday
        phone_row("kd", "2026-04-27T10:00:00+02:00", "closed", ""),  # King's Day (Mon)
        phone_row("easter", "2026-04-07T10:00:00+02:00", "answered", 5),  # Tue: open
    ])  # fmt: skip
    spring = Period(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 30))
    for source in ("auto", "rows"):
        report = phone_kpis_get(organisation=dorp, source=source, **spring)
        assert report.kpis["outside_opening_hours"] == 3

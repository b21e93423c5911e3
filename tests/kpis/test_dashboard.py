"""The KPI dashboard (`/kpis/`), its exports and the staffing page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from meetlat.calc.calendar import AMSTERDAM, DEFAULT_CALENDAR
from meetlat.contacts.demo import _csv, demo_contact_rows
from meetlat.contacts.services import contacts_import
from meetlat.kpis.dashboard import default_period, week_hour_load
from meetlat.kpis.models import DailyRollup
from meetlat.kpis.tables import Column, Table, escape_cell, table_csv, table_xlsx
from meetlat.organisations.models import Organisation
from tests.conftest import Cast, client_for

#: Queries of one dashboard page, whatever the number of contacts or days: the page frame
#: (session, user, membership, 2FA device, header: 6), the norms, the day-grouped phone
#: selector without wait percentiles (rollups only, repeat contact included) and the weekday ×
#: hour load (5).
DASHBOARD_QUERIES = 11
#: The page frame (6) and the channel's rollups grouped by day (1).
WRITTEN_QUERIES = 7


def load_days(organisation: Organisation, start: dt.date, days: int) -> int:
    """Demo-like calls on `days` working days from `start` (about 300 a day)."""
    workdays = DEFAULT_CALENDAR.workdays(start, start + dt.timedelta(days=days * 2))[:days]
    rows = demo_contact_rows(code="GM9901", days=workdays, contact_points=("KCC", "Vergunningen"))
    result = contacts_import(
        organisation=organisation,
        data=_csv(rows),
        file_name=f"test-{start}-{days}.csv",
        format_name="csv",
        tz=AMSTERDAM,
        source="test",
    )
    assert result.ok, result.errors
    return result.imported


def _period(start: str, end: str) -> dict[str, str]:
    return {"date_from": start, "date_to": end}


@pytest.mark.django_db
def test_the_dashboard_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(cast.anouk)
    load_days(cast.voorbeeld, dt.date(2026, 6, 1), 2)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        small = client.get(reverse("kpis:dashboard"), _period("2026-06-01", "2026-06-30"))
    assert small.status_code == 200
    load_days(cast.voorbeeld, dt.date(2026, 6, 3), 15)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        large = client.get(reverse("kpis:dashboard"), _period("2026-06-01", "2026-06-30"))
    assert large.status_code == 200
    assert large.context["dashboard"].offered > 5 * small.context["dashboard"].offered


@pytest.mark.django_db
def test_the_dashboard_shows_tiles_charts_and_a_table_below_every_chart(cast: Cast) -> None:
    load_days(cast.voorbeeld, dt.date(2026, 6, 1), 5)
    response = client_for(cast.tim).get(
        reverse("kpis:dashboard"), _period("2026-06-01", "2026-06-30")
    )
    body = response.content.decode()
    sections = response.context["sections"]
    assert [s["table"].key for s in sections] == ["daily", "week_hours", "abandonment"]
    for section in sections:
        assert f'<script id="{section["spec_id"]}" type="application/json">' in body
        assert f'data-vega-spec="{section["spec_id"]}"' in body
        assert section["spec"]["data"]["values"], section["spec_id"]
    assert body.count("<table") == 3
    assert "<script>" not in body  # CSP: no inline script
    assert 'scope="col"' in body
    assert "vega-interpreter.js" in body


@pytest.mark.django_db
def test_the_service_level_chart_draws_the_norm_as_a_reference_line(cast: Cast) -> None:
    load_days(cast.voorbeeld, dt.date(2026, 6, 1), 3)
    response = client_for(cast.ada).get(
        reverse("kpis:dashboard"), _period("2026-06-01", "2026-06-30")
    )
    spec: dict[str, Any] = response.context["sections"][0]["spec"]
    rules = [layer for layer in spec["layer"][1]["layer"] if layer["mark"]["type"] == "rule"]
    assert rules[0]["data"]["values"] == [{"norm": 0.8}]


@pytest.mark.django_db
def test_the_dashboard_shows_only_the_own_organisation(cast: Cast) -> None:
    load_days(cast.anders, dt.date(2026, 6, 1), 3)
    response = client_for(cast.ada).get(
        reverse("kpis:dashboard"), _period("2026-06-01", "2026-06-30")
    )
    assert response.context["dashboard"].offered == 0
    assert "Geen gesprekken in deze periode" in response.content.decode()


@pytest.mark.django_db
def test_other_channels_show_an_empty_state_and_unknown_ones_are_not_found(cast: Cast) -> None:
    client = client_for(cast.anouk)
    response = client.get(reverse("kpis:dashboard"), {"channel": "email"})
    assert response.status_code == 200
    assert response.context["dashboard"].total == 0
    assert "Geen contacten van dit kanaal in deze periode" in response.content.decode()
    assert client.get(reverse("kpis:dashboard"), {"channel": "pigeon"}).status_code == 404


@pytest.mark.django_db
def test_the_email_tab_shows_received_and_answered_mails_from_the_rollups(
    cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    built = dt.datetime(2026, 7, 1, tzinfo=AMSTERDAM)
    for day, received, replied in ((1, 10, 8), (2, 6, 6)):
        DailyRollup.objects.create(
            organisation=cast.voorbeeld,
            channel="email",
            local_date=dt.date(2026, 6, day),
            local_hour=9,
            sl_threshold_s=20,
            short_abandon_s=5,
            norm_version="test",
            built_at=built,
            contacts=received,
            received=received,
            replied=replied,
        )
    client = client_for(cast.tim)
    params = {"channel": "email"} | _period("2026-06-01", "2026-06-30")
    with django_assert_num_queries(WRITTEN_QUERIES):
        response = client.get(reverse("kpis:dashboard"), params)
    data = response.context["dashboard"]
    assert (data.total, data.tiles[0].value, data.tiles[1].value) == (16, 16, 14)
    assert [s["table"].key for s in response.context["sections"]] == ["daily"]
    export = client.get(reverse("kpis:export"), params | {"table": "daily"})
    assert "GM9801-email-daily-20260601-20260630.csv" in export["Content-Disposition"]
    assert export.content.decode("utf-8-sig").splitlines()[1:] == [
        "2026-06-01,10,8,0",
        "2026-06-02,6,6,0",
    ]


@pytest.mark.django_db
def test_a_reversed_period_is_an_error_on_the_form(cast: Cast) -> None:
    response = client_for(cast.anouk).get(
        reverse("kpis:dashboard"), _period("2026-06-30", "2026-06-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_the_default_period_is_the_last_full_month_with_data(cast: Cast) -> None:
    today = dt.date(2026, 11, 25)
    assert default_period(organisation=cast.voorbeeld, today=today) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
    )
    load_days(cast.voorbeeld, dt.date(2026, 6, 29), 3)  # 29 Jun – 1 Jul: July is not full
    assert default_period(organisation=cast.voorbeeld, today=today) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 30),
    )


def test_exports_escape_text_that_a_spreadsheet_would_run() -> None:
    for text in ("=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx"):
        assert escape_cell(text) == "'" + text
    table = Table(
        "t",
        "Test",
        [Column("topic", "Topic", "text"), Column("n", "=n")],
        [['=HYPERLINK("http://x")', 3], ["afval", 4]],
    )
    rows = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8-sig"))))
    assert rows == [["Topic", "'=n"], ['\'=HYPERLINK("http://x")', "3"], ["afval", "4"]]
    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert sheet is not None
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B3"].value == 4


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_dashboard_table_can_be_downloaded(cast: Cast, file_format: str) -> None:
    load_days(cast.voorbeeld, dt.date(2026, 6, 1), 2)
    client = client_for(cast.tim)
    for key in ("daily", "week_hours", "abandonment"):
        response = client.get(
            reverse("kpis:export"),
            {"table": key, "format": file_format} | _period("2026-06-01", "2026-06-30"),
        )
        assert response.status_code == 200, key
        assert (
            f"GM9801-phone-{key}-20260601-20260630.{file_format}"
            in (response["Content-Disposition"])
        )
        if file_format == "xlsx":
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert sheet is not None
            assert sheet.max_row > 1
        else:
            assert len(response.content.decode("utf-8-sig").splitlines()) > 1
    assert client.get(reverse("kpis:export"), {"table": "nope"}).status_code == 404
    assert client.get(reverse("kpis:export"), {"format": "pdf"}).status_code == 404


@pytest.mark.django_db
def test_the_staffing_page_gives_the_erlang_c_example_of_the_methodology(cast: Cast) -> None:
    params = {
        "calls": "96",
        "interval_s": "1800",
        "aht_s": "270",
        "target_sl": "80",
        "target_t": "20",
        "shrinkage": "30",
    }
    response = client_for(cast.anouk).get(reverse("kpis:staffing"), params)
    result = response.context["result"]
    assert (result.agents, result.scheduled_agents) == (19, 28)
    given = client_for(cast.anouk).get(reverse("kpis:staffing"), params | {"agents": "18"})
    assert round(given.context["result"].service_level, 4) == 0.7863


@pytest.mark.django_db
def test_the_staffing_page_proposes_staff_per_hour_from_the_measured_load(
    cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    load_days(cast.voorbeeld, dt.date(2026, 6, 1), 10)
    client = client_for(cast.tim)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("kpis:staffing"), _period("2026-06-01", "2026-06-30"))
    weekdays = response.context["weekdays"]
    rows = dict(response.context["rows"])
    assert len(weekdays) == 5
    monday_10, wednesday_10 = rows["10:00"][0], rows["10:00"][2]
    assert monday_10 is not None and wednesday_10 is not None
    assert monday_10 > wednesday_10  # the Monday-morning peak needs more people
    assert rows["16:00"][2] < rows["10:00"][2]


@pytest.mark.django_db
def test_the_weekday_hour_load_from_rollups_equals_the_one_from_contact_rows(
    cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    load_days(cast.voorbeeld, dt.date(2026, 6, 1), 10)
    period = {"date_from": dt.date(2026, 6, 1), "date_to": dt.date(2026, 6, 30)}
    with django_assert_num_queries(1):  # the rollups, grouped by date and hour
        from_rollups = week_hour_load(organisation=cast.voorbeeld, sl_threshold_s=20, **period)
    assert sum(cell["offered"] for cell in from_rollups.values()) > 100
    other_t = week_hour_load(organisation=cast.voorbeeld, sl_threshold_s=30, **period)
    DailyRollup.objects.filter(organisation=cast.voorbeeld).delete()
    with django_assert_num_queries(2):  # the rollup probe finds none: the contact rows
        from_rows = week_hour_load(organisation=cast.voorbeeld, sl_threshold_s=20, **period)
    assert from_rollups == from_rows
    # rollups built with T = 20 cannot answer T = 30: that came from the rows as well
    assert other_t == week_hour_load(organisation=cast.voorbeeld, sl_threshold_s=30, **period)
    assert other_t != from_rows

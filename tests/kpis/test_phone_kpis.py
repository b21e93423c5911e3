"""`meetlat kpis` for channel phone (DESIGN.md, METHODOLOGY.md §4.1 and §4.2)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetlat.contacts.services import contacts_import
from meetlat.kpis.selectors import phone_kpis_get
from meetlat.organisations.models import Organisation
from meetlat.organisations.selectors import norm_get_current
from meetlat.organisations.services import norm_update, organisation_create
from tests.contacts.samples import KPI_ROWS, PHONE_COLUMNS, REPEAT_ROWS, csv_bytes, phone_row
from tests.kpis import Period

AMS = ZoneInfo("Europe/Amsterdam")
TOP_KEYS = {"org", "channel", "from", "to", "sl_threshold_s", "short_abandon_s", "kpis", "groups"}
KPI_KEYS = {
    "offered", "answered", "abandoned", "short_abandoned", "ivr_abandoned", "abandon_rate",
    "answer_rate", "asa_s", "mean_wait_abandoned_s", "max_wait_s", "service_level",
    "mean_handle_s", "transfer_rate", "repeat_contact_rate",
    # METHODOLOGY §4.1, §4.2
    "wait_over_300s_rate", "wait_p50_s", "wait_p90_s", "transfer_distribution",
    "first_line_resolution", "first_line_resolution_coverage", "first_line_resolution_proxy",
    "callback_requests", "voicemails", "closed", "outside_opening_hours",
}  # fmt: skip
#: Extra keys inside `kpis` (the contract allows them there, never at the top level).
EXTRA_KPI_KEYS = {"norms", "definitions_version", "source"}
CALLBACK_KEYS = {"callbacks", "callback_within_norm_rate", "callback_kept_rate"}
"""Overall only (METHODOLOGY.md §4.3), not per group."""


def load(organisation: Organisation, rows: list[list[str]], name: str = "x.csv") -> None:
    result = contacts_import(
        organisation=organisation,
        data=csv_bytes(rows),
        file_name=name,
        format_name="csv",
        tz=AMS,
    )
    assert result.ok, result.errors


@pytest.fixture
def dorp(db: None) -> Organisation:
    organisation = organisation_create(code="GM9990", name="Contractdorp")
    load(organisation, KPI_ROWS, "gesprekken.csv")
    return organisation


@pytest.fixture
def herhaaldorp(db: None) -> Organisation:
    organisation = organisation_create(code="GM9991", name="Herhaaldorp")
    load(organisation, REPEAT_ROWS, "herhaal.csv")
    return organisation


def kpis_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    call_command("kpis", *args, "--json")
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_the_worked_example_of_methodology_4_2(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    out = kpis_json(
        capsys,
        "--org",
        "GM9990",
        "--channel",
        "phone",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
    )
    assert set(out) == TOP_KEYS
    assert set(out["kpis"]) == KPI_KEYS | EXTRA_KPI_KEYS | CALLBACK_KEYS
    assert (out["org"], out["channel"], out["from"], out["to"]) == (
        "GM9990", "phone", "2026-03-01", "2026-03-31"
    )  # fmt: skip
    assert (out["sl_threshold_s"], out["short_abandon_s"], out["groups"]) == (20, 5, [])
    k = out["kpis"]
    assert (k["offered"], k["answered"], k["abandoned"], k["short_abandoned"]) == (10, 8, 2, 1)
    assert (k["ivr_abandoned"], k["max_wait_s"]) == (0, 310)
    assert k["abandon_rate"] == pytest.approx(0.2)
    assert k["answer_rate"] == pytest.approx(0.8)
    assert k["asa_s"] == pytest.approx(62.5)
    assert k["mean_wait_abandoned_s"] == pytest.approx(24)
    assert k["service_level"] == pytest.approx(
        {
            "answered": 0.5,
            "offered": 0.4,
            "offered_excl_short_abandons": 4 / 9,
            "answered_and_abandoned": 0.5,
        }
    )
    assert k["wait_over_300s_rate"] == pytest.approx(0.1)
    assert k["wait_p50_s"] == pytest.approx(22.5)
    assert k["wait_p90_s"] == pytest.approx(142)
    assert k["mean_handle_s"] == pytest.approx(330)
    assert k["transfer_rate"] == pytest.approx(0.25)
    assert k["transfer_distribution"] == {"0": 6, "1": 2, "2": 0, "3+": 0}
    assert k["first_line_resolution_proxy"] == pytest.approx(0.75)
    assert k["first_line_resolution"] is None and k["repeat_contact_rate"] is None


def test_repeat_contact_counts_real_hours_across_the_clock_change(
    herhaaldorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    both = kpis_json(capsys, "--org", "GM9991", "--from", "2026-03-01", "--to", "2026-04-30")
    assert both["kpis"]["offered"] == 2
    assert both["kpis"]["repeat_contact_rate"] == pytest.approx(0.5)


def test_repeat_contact_looks_back_before_from(
    herhaaldorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    april = kpis_json(capsys, "--org", "GM9991", "--from", "2026-04-01", "--to", "2026-04-30")
    assert april["kpis"]["offered"] == 1
    assert april["kpis"]["repeat_contact_rate"] == pytest.approx(1.0)


def test_a_call_just_over_seven_days_later_is_no_repeat(db: None) -> None:
    organisation = organisation_create(code="GM9993", name="Grensdorp")
    load(
        organisation,
        [
            phone_row("a", "2026-03-27T10:00:00+01:00", "answered", 1, customer="K"),
            phone_row("b", "2026-04-03T11:00:01+02:00", "abandoned", 1, customer="K"),
            phone_row("c", "2026-04-03T11:00:01+02:00", "closed", "", customer="K"),
        ],
    )
    report = phone_kpis_get(organisation=organisation)
    assert report.kpis["repeat_contact_rate"] == 0.0


def test_a_call_exactly_seven_days_later_is_a_repeat_and_one_at_the_same_instant_is_not(
    db: None,
) -> None:
    organisation = organisation_create(code="GM9993", name="Grensdorp")
    load(
        organisation,
        [
            phone_row("a", "2026-03-27T10:00:00.250000+01:00", "answered", 1, customer="K"),
            phone_row("b", "2026-04-03T11:00:00.250000+02:00", "answered", 1, customer="K"),
            phone_row("c", "2026-04-03T11:00:00.250000+02:00", "abandoned", 1, customer="L"),
            phone_row("d", "2026-04-03T11:00:00.250000+02:00", "abandoned", 1, customer="L"),
            phone_row("e", "2026-04-03T11:00:00.250001+02:00", "answered", 1, customer="L"),
        ],
    )
    report = phone_kpis_get(organisation=organisation, group_by="topic")
    # b: exactly 7 × 24 h after a; c and d: same instant, no earlier call; e: 1 µs after both
    assert report.kpis["repeat_contact_rate"] == pytest.approx(2 / 5)


def test_without_dates_the_period_is_the_range_of_the_data(
    herhaaldorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    out = kpis_json(capsys, "--org", "GM9991")
    assert (out["from"], out["to"], out["kpis"]["offered"]) == ("2026-03-27", "2026-04-03", 2)
    only_from = kpis_json(capsys, "--org", "GM9991", "--from", "2026-04-01")
    assert (only_from["from"], only_from["to"]) == ("2026-04-01", "2026-04-03")
    after = kpis_json(capsys, "--org", "GM9991", "--from", "2027-01-01")
    assert (after["from"], after["to"], after["kpis"]["offered"]) == ("2027-01-01",) * 2 + (0,)


def test_an_organisation_without_contacts_has_no_period_and_null_ratios(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    organisation_create(code="GM9992", name="Foutdorp")
    out = kpis_json(capsys, "--org", "GM9992")
    assert (out["from"], out["to"], out["groups"]) == (None, None, [])
    assert out["kpis"]["offered"] == 0 and out["kpis"]["abandon_rate"] is None
    assert out["kpis"]["max_wait_s"] is None and out["kpis"]["wait_p50_s"] is None


def test_group_by_day_gives_one_group_per_local_date(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    out = kpis_json(capsys, "--org", "GM9990", "--group-by", "day")
    assert [g["key"] for g in out["groups"]] == ["2026-03-10"]
    overall = {k: v for k, v in out["kpis"].items() if k not in EXTRA_KPI_KEYS | CALLBACK_KEYS}
    assert out["groups"][0]["kpis"] == overall


@pytest.mark.parametrize(
    ("group_by", "keys"),
    [
        ("channel", ["phone"]),
        ("contact_point", ["", "KCC"]),
        ("topic", ["", "afval", "parkeren", "paspoort"]),
        ("month", ["2026-03", "2026-04"]),
        ("week", ["2026-W11", "2026-W13", "2026-W14"]),
        ("day", ["2026-03-10", "2026-03-27", "2026-03-28", "2026-04-03"]),
        ("hour", ["00", "09", "10"]),
        ("weekday", ["2", "5", "6"]),
    ],
)
def test_group_keys_follow_methodology_4_1(
    dorp: Organisation, group_by: str, keys: list[str]
) -> None:
    load(dorp, REPEAT_ROWS, "herhaal.csv")
    # Sat 28 Mar 2026 00:30 local is still Friday 23:30 UTC: grouping uses local time.
    load(dorp, [[*phone_row("n1", "2026-03-27T23:30:00Z", "voicemail", "")[:2], "", "voicemail",
                 "", "", "", "", "", "", ""]], "nacht.csv")  # fmt: skip
    report = phone_kpis_get(organisation=dorp, group_by=group_by)
    assert [group["key"] for group in report.groups] == keys
    assert sum(group["kpis"]["offered"] for group in report.groups) == 12


def test_the_number_of_queries_does_not_grow_with_rows_or_groups(
    dorp: Organisation, django_assert_num_queries: Any
) -> None:
    load(dorp, [phone_row(f"e{i}", f"2026-03-{1 + i % 28:02d}T{8 + i % 9:02d}:00:00+01:00",
                          "answered", i % 90, 100, "m1", i % 4, f"t{i % 7}", f"K{i % 13}")
                for i in range(300)])  # fmt: skip
    march = Period(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    with django_assert_num_queries(2):  # rollup counters (repeat contact too), answered waits
        assert phone_kpis_get(organisation=dorp, **march).source == "rollups"
    for group_by in ("day", "topic", "week"):
        with django_assert_num_queries(2):
            report = phone_kpis_get(organisation=dorp, group_by=group_by, **march)
        assert len(report.groups) > 1
    with django_assert_num_queries(1):  # rollups only: the dashboard's reading
        phone_kpis_get(organisation=dorp, with_waits=False, **march)
    with django_assert_num_queries(3):  # + the range of the data
        phone_kpis_get(organisation=dorp)
    # from contact rows: the calendar (equal days, closing days), counters, answered waits
    with django_assert_num_queries(4):
        assert phone_kpis_get(organisation=dorp, source="rows", **march).source == "rows"
    with django_assert_num_queries(5):  # T differs from the rollups': + the rollup probe
        assert phone_kpis_get(organisation=dorp, sl_threshold_s=30, **march).source == "rows"


def test_thresholds_from_the_command_line_change_the_service_level(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    out = kpis_json(capsys, "--org", "GM9990", "--sl-threshold", "40", "--short-abandon", "0")
    assert (out["sl_threshold_s"], out["short_abandon_s"]) == (40, 0)
    assert out["kpis"]["service_level"]["answered"] == pytest.approx(6 / 8)
    assert out["kpis"]["short_abandoned"] == 0


def test_without_thresholds_the_organisations_norm_applies(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    norm = norm_get_current(organisation=dorp, key="phone_service_level")
    assert norm is not None
    new = norm_update(norm=norm, target="0.80", threshold="30", source="Raadsbesluit", actor=None)  # type: ignore[arg-type]
    assert new.threshold == Decimal("30")
    out = kpis_json(capsys, "--org", "GM9990")
    assert out["sl_threshold_s"] == 30
    assert out["kpis"]["service_level"]["answered"] == pytest.approx(5 / 8)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "letter"], "channel letter are not supported yet"),
        (["--channel", "email", "--mode-24h", "soon"], "--mode-24h: unknown 'soon'"),
        (["--channel", "fax"], "unknown channel 'fax'"),
        (["--group-by", "year"], "--group-by: unknown 'year'"),
        (["--from", "1-3-2026"], "--from: '1-3-2026' is not a date"),
        (["--from", "2026-03-31", "--to", "2026-03-01"], "--to: 2026-03-01 is before --from"),
        (["--sl-threshold", "-1"], "--sl-threshold: '-1' is not a whole number"),
        (["--short-abandon", "5s"], "--short-abandon: '5s' is not a whole number"),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    dorp: Organisation, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        call_command("kpis", "--org", "GM9990", *args)
    assert caught.value.returncode == 2


def test_an_unknown_organisation_exits_2(db: None) -> None:
    with pytest.raises(CommandError, match="no organisation with code 'GM0000'") as caught:
        call_command("kpis", "--org", "GM0000")
    assert caught.value.returncode == 2


def test_readable_output_lists_the_kpis_and_the_groups(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("kpis", "--org", "GM9990", "--group-by", "hour")
    out = capsys.readouterr().out
    assert "Phone KPIs of GM9990 (Contractdorp), 2026-03-10 to 2026-03-10" in out
    assert "abandon rate" in out and "20.0 %" in out and "62.5 s" in out
    assert "  09 " in out and "  10 " in out


def callback_rows(*moments: tuple[str, str, str, str]) -> bytes:
    """Callback requests: (id, started, promised, done); an empty moment is none."""
    rows = [
        [*phone_row(cid, started, "callback_request", ""), due, done]
        for cid, started, due, done in moments
    ]
    return csv_bytes(rows, (*PHONE_COLUMNS, "callback_due_at", "callback_done_at"))


def test_callbacks_within_the_norm_and_kept_methodology_4_3(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    dorp = organisation_create(code="GM9993", name="Terugbeldorp")
    data = callback_rows(
        ("t1", "2026-03-10T09:00:00+01:00", "2026-03-11 10:00", "2026-03-11 09:40"),  # in time
        ("t2", "2026-03-10T09:05:00+01:00", "", "2026-03-20 11:00"),  # after due(+2 wd): late
        ("t3", "2026-03-10T09:10:00+01:00", "2026-03-11 12:00", ""),  # never done
    )
    result = contacts_import(
        organisation=dorp, data=data, file_name="t.csv", format_name="csv", tz=AMS
    )
    assert result.ok, result.errors
    out = kpis_json(
        capsys,
        "--org",
        "GM9993",
        "--channel",
        "phone",
        "--from",
        "2026-03-10",
        "--to",
        "2026-03-31",
    )
    assert out["kpis"]["callbacks"] == 3
    assert out["kpis"]["callback_within_norm_rate"] == pytest.approx(1 / 3)
    assert out["kpis"]["callback_kept_rate"] == pytest.approx(2 / 3)
    period = ("--from", "2026-03-10", "--to", "2026-03-31")
    call_command("kpis", "--org", "GM9993", "--channel", "phone", *period)
    text = capsys.readouterr().out
    assert re.search(r"callbacks done within norm\s+33\.3 %", text), text
    assert re.search(r"callbacks kept\s+66\.7 %", text), text


def test_callback_rates_are_null_when_no_callback_done_is_recorded(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    dorp = organisation_create(code="GM9994", name="Stildorp")
    data = callback_rows(("t1", "2026-03-10T09:00:00+01:00", "2026-03-11 10:00", ""))
    contacts_import(organisation=dorp, data=data, file_name="t.csv", format_name="csv", tz=AMS)
    out = kpis_json(capsys, "--org", "GM9994", "--channel", "phone")
    assert out["kpis"]["callbacks"] == 1
    assert out["kpis"]["callback_within_norm_rate"] is None
    assert out["kpis"]["callback_kept_rate"] is None


def test_without_waits_the_percentiles_are_none_and_the_rest_is_equal(db: None) -> None:
    dorp = organisation_create(code="GM9995", name="Wachtdorp")
    contacts_import(
        organisation=dorp, data=csv_bytes(KPI_ROWS), file_name="k.csv", format_name="csv", tz=AMS
    )
    full = phone_kpis_get(organisation=dorp, group_by="day")
    lean = phone_kpis_get(organisation=dorp, group_by="day", with_waits=False)
    assert full.kpis["wait_p50_s"] is not None and lean.kpis["wait_p50_s"] is None
    same = {k: v for k, v in full.kpis.items() if not k.startswith("wait_p")}
    assert {k: v for k, v in lean.kpis.items() if not k.startswith("wait_p")} == same

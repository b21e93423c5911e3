"""`meetlat kpis --channel email|webform|chat|whatsapp|social|counter|kto` (METHODOLOGY.md §4.3),
norms beside every KPI, and the comparison with the previous year."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.kpi_written import KtoAnswer, Thread, email_kpis, kto_kpis
from meetlat.contacts.models import Contact, ImportBatch, SurveyAnswer
from meetlat.kpis.selectors import kto_kpis_get, written_kpis_get
from meetlat.kpis.services import rollups_refresh
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create
from tests.kpis import Period

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=AMS)
APRIL = Period(date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=AMS)


def store(organisation: Organisation, channel: str, rows: list[dict[str, Any]]) -> None:
    """Contacts as an importer stores them (importers are tested in tests/contacts)."""
    batch = ImportBatch.objects.create(
        organisation=organisation, format="test", source="test", file_name="t", sha256="0",
        rows=len(rows), imported=len(rows), duplicates=0, created_at=NOW,
    )  # fmt: skip
    contacts = []
    for i, row in enumerate(rows):
        local = row["started_at"].astimezone(AMS)
        contacts.append(
            Contact(
                organisation=organisation, source="test", contact_id=f"{channel}{i}",
                channel=channel, local_date=local.date(), local_hour=local.hour,
                import_batch=batch, **row,
            )
        )  # fmt: skip
    Contact.objects.bulk_create(contacts)
    rollups_refresh(organisation=organisation, dates={c.local_date for c in contacts})


@pytest.fixture
def dorp(db: None) -> Organisation:
    organisation = organisation_create(code="GM9970", name="Schrijfdorp")
    store(organisation, "email", [
        # METHODOLOGY §4.3: received Fri 24 Apr 14:00; answered Tue 28 Apr 10:00
        {"started_at": at("2026-04-24T14:00"), "acknowledged_at": at("2026-04-24T14:20"),
         "answered_at": at("2026-04-28T10:00"), "topic": "afval"},
        {"started_at": at("2026-04-08T09:00"), "answered_at": at("2026-04-08T11:00"),
         "topic": "afval"},
        {"started_at": at("2026-04-14T16:30"), "acknowledged_at": at("2026-04-14T18:00"),
         "topic": "paspoort"},  # never answered: late by now
        {"started_at": at("2025-04-10T10:00"), "answered_at": at("2025-04-10T12:00")},
    ])  # fmt: skip
    return organisation


def threads(organisation: Organisation) -> list[Thread]:
    rows = Contact.objects.filter(
        organisation=organisation,
        channel="email",
        **{"local_date__gte": APRIL["date_from"], "local_date__lte": APRIL["date_to"]},
    )
    return [
        Thread(received_at=c.started_at, acknowledged_at=c.acknowledged_at,
               answered_at=c.answered_at, term_notice_at=c.term_notice_at, topic=c.topic)
        for c in rows
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "within_24h"),
    [("clock_24h", 1 / 3), ("office_hours_24h", 2 / 3), ("next_working_day", 2 / 3)],
)
def test_email_kpis_follow_the_mode_of_24_hours(
    dorp: Organisation, mode: str, within_24h: float
) -> None:
    report = written_kpis_get(organisation=dorp, channel="email", mode_24h=mode, now=NOW, **APRIL)
    want = email_kpis(threads(dorp), calendar=WorkCalendar(), now=NOW, mode_24h=mode)
    assert {k: v for k, v in report.kpis.items() if k != "outside_opening_hours"} == {
        k: v for k, v in want.items() if k != "outside_opening_hours"
    }
    assert report.kpis["received"] == 3 and report.kpis["mode_24h"] == mode
    assert report.kpis["answered_within_24h_rate"] == pytest.approx(within_24h)
    assert report.kpis["answered_within_term_rate"] == pytest.approx(2 / 3)
    assert report.kpis["outside_opening_hours"] == 0


def test_email_groups_and_a_fixed_number_of_queries(
    dorp: Organisation, django_assert_num_queries: Any
) -> None:
    # equal days, closing days, opening hours, the term norm, the rows
    with django_assert_num_queries(5):
        report = written_kpis_get(
            organisation=dorp, channel="email", group_by="topic", now=NOW, **APRIL
        )
    assert [(g["key"], g["kpis"]["received"]) for g in report.groups] == [
        ("afval", 2), ("paspoort", 1)
    ]  # fmt: skip


def kpis_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    call_command("kpis", *args, "--json")
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_the_command_keeps_the_envelope_and_adds_norms_and_the_previous_year(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    out = kpis_json(capsys, "--org", "GM9970", "--channel", "email", "--from", "2026-04-01",
                    "--to", "2026-04-30", "--mode-24h", "next_working_day",
                    "--compare-previous-year")  # fmt: skip
    assert {"org", "channel", "from", "to", "sl_threshold_s", "short_abandon_s", "kpis",
            "groups"} <= set(out)  # fmt: skip
    assert (out["channel"], out["sl_threshold_s"], out["groups"]) == ("email", None, [])
    assert (out["kpis"]["mode_24h"], out["kpis"]["term_wd"]) == ("next_working_day", 2)
    assert out["kpis"]["definitions_version"]
    term = out["kpis"]["norms"]["answered_within_term_rate"]
    assert (term["target"], term["met"], term["version"]) == (0.85, False, 1)
    # a time limit, no share to reach
    assert out["kpis"]["norms"]["ack_within_1h_rate"]["met"] is None
    previous = out["kpis"]["previous_year"]
    assert (previous["from"], previous["to"]) == ("2025-04-01", "2025-04-30")
    assert previous["kpis"]["received"] == 1


def test_phone_json_compares_with_the_norms(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    out = kpis_json(capsys, "--org", "GM9970", "--from", "2026-04-01", "--to", "2026-04-30")
    assert out["kpis"]["offered"] == 0
    sl = out["kpis"]["norms"]["service_level.offered_excl_short_abandons"]
    assert (sl["target"], sl["met"], sl["threshold"]) == (0.8, None, 20.0)


def test_chat_and_counter(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    dorp = organisation_create(code="GM9971", name="Chatdorp")
    store(dorp, "chat", [
        # METHODOLOGY §4.3: a chat at Fri 24 Apr 15:30 is due Tue 28 Apr 11:00
        {"started_at": at("2026-04-24T15:30"), "first_response_at": at("2026-04-28T11:00")},
        {"started_at": at("2026-04-24T15:30"), "first_response_at": at("2026-04-28T11:01")},
    ])  # fmt: skip
    store(dorp, "counter", [
        {"started_at": at("2026-04-14T10:00"), "wait_s": 900},
        {"started_at": at("2026-04-14T10:05"), "wait_s": 901},
        {"started_at": at("2026-04-14T10:06")},
        # appointments: the wait counts from the appointment when the visitor came early
        {"started_at": at("2026-04-14T09:50"), "wait_s": 900,
         "appointment_at": at("2026-04-14T10:00")},
        {"started_at": at("2026-04-14T10:00"), "wait_s": 301,
         "appointment_at": at("2026-04-14T09:55")},
    ])  # fmt: skip
    chat = kpis_json(capsys, "--org", "GM9971", "--channel", "chat")
    assert chat["kpis"]["conversations"] == 2
    assert chat["kpis"]["first_response_within_norm_rate"] == 0.5
    counter = kpis_json(capsys, "--org", "GM9971", "--channel", "counter")
    assert counter["kpis"]["served_within_15min_walk_in_rate"] == pytest.approx(1 / 3)
    assert (counter["kpis"]["appointments"], counter["kpis"]["walk_ins"]) == (2, 3)
    assert counter["kpis"]["served_within_5min_appointment_rate"] == 0.5
    call_command("kpis", "--org", "GM9971", "--channel", "counter")
    assert "served_within_15min_walk_in_rate" in capsys.readouterr().out


ANSWER = st.fixed_dictionaries({
    "answered_at": st.datetimes(dt.datetime(2026, 3, 25), dt.datetime(2026, 4, 5),
                                timezones=st.just(AMS)),
    "channel": st.sampled_from(["phone", "email", ""]),
    "grade": st.none() | st.integers(1, 10),
    "csat": st.none() | st.integers(1, 5),
    "recommend": st.none() | st.integers(0, 10),
})  # fmt: skip


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=st.lists(ANSWER, max_size=25), group_by=st.sampled_from([None, "channel", "day"]))
def test_kto_in_sql_equals_the_pure_reference(
    db: None, answers: list[dict[str, Any]], group_by: str | None
) -> None:
    dorp, _ = Organisation.objects.get_or_create(code="GM9972", defaults={"name": "Ktodorp"})
    SurveyAnswer.objects.filter(organisation=dorp).delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(organisation=dorp, source="t", answer_id=str(i), **a)
        for i, a in enumerate(answers)
    )
    period = Period(date_from=dt.date(2026, 3, 28), date_to=dt.date(2026, 4, 2))
    report = kto_kpis_get(organisation=dorp, group_by=group_by, **period)
    in_period = [
        a for a in answers
        if period["date_from"] <= a["answered_at"].astimezone(AMS).date() <= period["date_to"]
    ]  # fmt: skip

    def reference(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(kto_kpis(
            KtoAnswer(question, row[question])
            for row in rows for question in ("grade", "csat", "recommend")
        ))  # fmt: skip

    assert report.kpis == pytest.approx(reference(in_period))
    if group_by == "channel":
        keys = sorted({a["channel"] for a in in_period})
        assert [g["key"] for g in report.groups] == keys
        for group in report.groups:
            rows = [a for a in in_period if a["channel"] == group["key"]]
            assert group["kpis"] == pytest.approx(reference(rows))
    if group_by == "day":
        days = sorted({a["answered_at"].astimezone(AMS).date().isoformat() for a in in_period})
        assert [g["key"] for g in report.groups] == days


def test_counter_visits_imported_from_the_canonical_csv(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same five visits as above, now as a CSV with `channel = counter` (`started_at` is
    the arrival, `wait_s` the wait until called, `appointment_at` the appointment)."""
    from meetlat.contacts.services import contacts_import

    dorp = organisation_create(code="GM9972", name="Baliedorp")
    data = (
        b"contact_id,started_at,channel,outcome,wait_s,appointment_at\n"
        b"b1,2026-04-14T10:00:00+02:00,counter,answered,900,\n"
        b"b2,2026-04-14T10:05:00+02:00,counter,answered,901,\n"
        b"b3,2026-04-14T10:06:00+02:00,counter,closed,,\n"
        b"b4,2026-04-14T09:50:00+02:00,counter,answered,900,2026-04-14T10:00:00+02:00\n"
        b"b5,2026-04-14T10:00:00+02:00,COUNTER,answered,301,2026-04-14T09:55:00+02:00\n"
        b"p1,2026-04-14T10:00:00+02:00,,answered,12,\n"
    )
    result = contacts_import(
        organisation=dorp, data=data, file_name="balie.csv", format_name="csv", tz=AMS
    )
    assert result.ok and result.imported == 6, result.errors
    assert Contact.objects.filter(organisation=dorp, channel="counter").count() == 5
    assert Contact.objects.filter(organisation=dorp, channel="phone").count() == 1
    counter = kpis_json(capsys, "--org", "GM9972", "--channel", "counter")
    assert (counter["kpis"]["appointments"], counter["kpis"]["walk_ins"]) == (2, 3)
    assert counter["kpis"]["served_within_15min_walk_in_rate"] == pytest.approx(1 / 3)
    assert counter["kpis"]["served_within_5min_appointment_rate"] == 0.5
    bad = contacts_import(
        organisation=dorp,
        data=b"contact_id,started_at,channel,outcome,wait_s\nx,2026-04-14T10:00,balie,answered,5\n",
        file_name="fout.csv",
        format_name="csv",
        tz=AMS,
    )
    assert [(e.line, e.column, e.value) for e in bad.errors] == [(2, "channel", "balie")]

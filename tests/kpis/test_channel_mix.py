"""The channel mix (`/kpis/channel-mix/`): volume over time, channels and topics side by side,
cost per contact, exports, access and a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from meetlat.accounts.roles import Role
from meetlat.contacts.models import Contact, SurveyAnswer
from meetlat.kpis.costs import channel_cost_set
from meetlat.kpis.selectors import KpiRequest, kpis_report_json, phone_thresholds_get
from meetlat.kpis.selectors.channel_mix import MAIN_KPIS, ChannelMix, channel_mix_get
from meetlat.kpis.selectors.groups import GROUPS
from meetlat.kpis.selectors.norms import kpi_value
from meetlat.kpis.tables import display
from meetlat.organisations.models import Organisation
from meetlat.web.nav import navigation_for
from tests.conftest import Cast, client_for, make_user
from tests.kpis.test_dashboard import load_days
from tests.kpis.test_other_channels import store

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 8, 3, 12, 0, tzinfo=AMS)
FROM, TO = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
JUNE = {"date_from": "2026-06-01", "date_to": "2026-06-30"}
URL = reverse("kpis:channel_mix")
EXPORT = reverse("kpis:channel_mix_export")
#: The page frame (6), the volume, the costs, the norms and the KTO counts (4), and per
#: channel its KPI selector: phone 5 (T and S, rollups, repeats, waits), e-mail and chat 5
#: each (equal days, closing days, opening hours, the norm, the rows), counter 4 (no norm).
CHANNEL_MIX_QUERIES = 6 + 4 + 5 + 5 + 5 + 4
VOLUME_KEY = {"phone": "offered", "email": "received", "chat": "conversations", "counter": "visits"}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=AMS)


def _written(organisation: Organisation, emails: int = 3) -> None:
    store(organisation, "email", [
        {"started_at": at(f"2026-06-{2 + i:02d}T10:00"),
         "answered_at": at(f"2026-06-{3 + i:02d}T09:00"),
         "topic": "afval" if i % 2 else "paspoort"}
        for i in range(emails)
    ] + [{"started_at": at("2026-06-18T11:00"), "topic": "=HYPERLINK(\"x\")"}])  # fmt: skip
    store(organisation, "chat", [
        {"started_at": at("2026-06-10T10:00"), "first_response_at": at("2026-06-10T10:20"),
         "topic": "afval"},
        {"started_at": at("2026-06-11T16:00"), "topic": "afval"},  # never answered
    ])  # fmt: skip
    store(organisation, "counter", [
        {"started_at": at("2026-06-09T09:00"), "wait_s": 300, "topic": "paspoort"},
        {"started_at": at("2026-06-09T09:30"), "wait_s": 1200, "topic": "paspoort"},
    ])  # fmt: skip


def _survey(organisation: Organisation) -> None:
    answers = [
        ("phone", "afval", "2026-06-02T12:00", 8, 5),
        ("phone", "afval", "2026-06-03T12:00", 6, 3),
        ("phone", "paspoort", "2026-06-03T13:00", 9, 4),
        ("email", "afval", "2026-06-05T12:00", 7, 4),
        ("email", "afval", "2026-07-05T12:00", 1, 1),  # after the period
        ("", "afval", "2026-06-05T12:00", 2, 1),  # no channel named: not on the channel mix
    ]
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(organisation=organisation, source="t", answer_id=str(i), channel=channel,
                     topic=topic, answered_at=at(moment), grade=grade, csat=csat)
        for i, (channel, topic, moment, grade, csat) in enumerate(answers)
    )  # fmt: skip


@pytest.fixture
def mixed(cast: Cast) -> Organisation:
    """Voorbeeld with three days of calls, e-mails, chats, counter visits and KTO in June."""
    load_days(cast.voorbeeld, dt.date(2026, 6, 1), 3)
    _written(cast.voorbeeld)
    _survey(cast.voorbeeld)
    return cast.voorbeeld


def _mix(organisation: Organisation, interval: str | None = None) -> ChannelMix:
    return channel_mix_get(
        organisation=organisation, date_from=FROM, date_to=TO, interval=interval, now=NOW
    )


def _report(organisation: Organisation, channel: str, group_by: str | None = None) -> Any:
    t_s, s_s = phone_thresholds_get(organisation=organisation)
    request = KpiRequest(channel=channel, date_from=FROM, date_to=TO, group_by=group_by,
                         sl_threshold_s=t_s, short_abandon_s=s_s, now=NOW)  # fmt: skip
    return kpis_report_json(organisation=organisation, request=request)


@pytest.mark.django_db
def test_the_channels_side_by_side_equal_what_kpis_report_json_gives(mixed: Organisation) -> None:
    mix = _mix(mixed)
    assert [c.channel for c in mix.channels] == ["phone", "email", "chat", "counter"]
    kto = {g["key"]: g["kpis"] for g in _report(mixed, "kto", "channel")["groups"]}
    for figures in mix.channels:
        report = _report(mixed, figures.channel)
        main = MAIN_KPIS[figures.channel]
        assert figures.contacts == report["kpis"][VOLUME_KEY[figures.channel]] > 0
        assert figures.main_value == kpi_value(report["kpis"], main.key), figures.channel
        norm = report["kpis"]["norms"].get(main.key)
        if norm is not None and norm["comparison"] is not None:
            assert (figures.norm, figures.norm_met) == (norm["target"], norm["met"])
        else:
            assert (figures.norm, figures.norm_met) == (None, None)
        want = kto.get(figures.channel, {"grade_mean": None, "grade_n": 0, "csat_rate": None,
                                         "csat_n": 0})  # fmt: skip
        satisfaction = figures.satisfaction
        assert (satisfaction.grade_mean, satisfaction.grade_n) == (
            want["grade_mean"], want["grade_n"]
        )  # fmt: skip
        assert (satisfaction.csat_rate, satisfaction.csat_n) == (want["csat_rate"], want["csat_n"])
    phone = mix.channels[0]
    assert phone.norm == 0.8 and phone.satisfaction.grade_n == 3
    assert phone.satisfaction.grade_mean == pytest.approx(23 / 3)
    assert mix.channels[1].main_value == pytest.approx(3 / 4)  # the 4th e-mail is unanswered
    assert mix.channels[2].main_value == pytest.approx(1 / 2)
    assert mix.channels[3].main_value == pytest.approx(1 / 2)  # 5 min yes, 20 min no
    assert sum(c.share or 0 for c in mix.channels) == pytest.approx(1)


@pytest.mark.django_db
def test_topics_per_channel_equal_the_grouped_report(mixed: Organisation) -> None:
    mix = _mix(mixed)
    for channel in ("phone", "email", "counter"):
        report = _report(mixed, channel, "topic")
        # a topic of only calls outside opening hours has no contacts (offered 0)
        groups = {g["key"]: g["kpis"] for g in report["groups"] if g["kpis"][VOLUME_KEY[channel]]}
        rows = {t.topic: t for t in mix.topics if t.channel == channel}
        assert set(rows) == set(groups), channel
        for topic, row in rows.items():
            assert row.contacts == groups[topic][VOLUME_KEY[channel]]
            assert row.main_value == kpi_value(groups[topic], MAIN_KPIS[channel].key)
    afval = {t.channel: t for t in mix.topics if t.topic == "afval"}
    topic_total = sum(t.contacts for t in afval.values())
    assert afval["email"].share_of_topic == pytest.approx(afval["email"].contacts / topic_total)
    assert afval["email"].satisfaction.grade_mean == 7.0  # the July answer is left out
    assert afval["phone"].satisfaction.grade_n == 2


@pytest.mark.django_db
def test_the_volume_per_week_and_per_month_counts_every_contact(mixed: Organisation) -> None:
    weekly = _mix(mixed)
    assert weekly.interval == "week"
    assert weekly.buckets == ["2026-W23", "2026-W24", "2026-W25", "2026-W26", "2026-W27"]
    week_of = GROUPS["week"][1]
    for channel, per_week in weekly.volume.items():
        contacts = Contact.objects.filter(organisation=mixed, channel=channel,
                                          local_date__gte=FROM, local_date__lte=TO)  # fmt: skip
        if channel == "phone":
            contacts = contacts.filter(outcome__in=["answered", "abandoned"])
        want: dict[str, int] = {}
        for row in contacts.values("local_date").annotate(n=Count("pk")):
            key = week_of(row["local_date"])
            want[key] = want.get(key, 0) + row["n"]
        assert per_week == want, channel
    monthly = _mix(mixed, "month")
    assert monthly.buckets == ["2026-06"]
    assert {c: v["2026-06"] for c, v in monthly.volume.items()} == {
        c.channel: c.contacts for c in monthly.channels
    }


@pytest.mark.django_db
def test_the_total_cost_is_each_days_contacts_times_the_cost_valid_that_day(
    mixed: Organisation,
) -> None:
    change = dt.date(2026, 6, 3)
    for cost, valid_from in (("5.60", dt.date(2026, 4, 1)), ("6.00", change)):
        channel_cost_set(organisation=mixed, channel="phone", cost_per_contact=Decimal(cost),
                         valid_from=valid_from, actor=None)  # fmt: skip
    channel_cost_set(organisation=mixed, channel="counter", cost_per_contact=Decimal("9.50"),
                     valid_from=FROM, actor=None)  # fmt: skip
    channel_cost_set(organisation=mixed, channel="email", cost_per_contact=Decimal("3.40"),
                     valid_from=dt.date(2026, 6, 15), actor=None)  # fmt: skip
    offered = Contact.objects.filter(
        organisation=mixed, channel="phone", outcome__in=["answered", "abandoned"]
    )
    before = offered.filter(local_date__lt=change).count()
    after = offered.filter(local_date__gte=change).count()
    assert before and after
    figures = {c.channel: c for c in _mix(mixed).channels}
    assert figures["phone"].cost.total == before * Decimal("5.60") + after * Decimal("6.00")
    assert figures["counter"].cost.total == 2 * Decimal("9.50")
    assert figures["counter"].cost.per_contact == Decimal("9.50")
    assert figures["email"].cost.total is None  # e-mails before 15 June have no cost
    assert figures["chat"].cost.total is None  # no cost set at all


@pytest.mark.django_db
def test_the_page_shows_the_chart_the_tables_and_a_hint_for_missing_costs(
    mixed: Organisation, cast: Cast
) -> None:
    channel_cost_set(organisation=mixed, channel="counter", cost_per_contact=Decimal("9.50"),
                     valid_from=FROM, actor=None)  # fmt: skip
    response = client_for(cast.tim).get(URL, JUNE)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<script id="spec-volume" type="application/json">' in body
    assert 'data-vega-spec="spec-volume"' in body
    spec = response.context["section"]["spec"]
    assert {v["contacts"] for v in spec["data"]["values"]} - {0}
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert 'data-testid="costs-missing"' in body
    assert "€ 19,00" in body  # two counter visits at € 9,50
    page = response.context["page"]
    with translation.override("nl"):  # Dutch number formats
        counter = page.channels.display_rows()[-1]
        assert (counter[7], counter[11], counter[12]) == ("–", "€ 9,50", "€ 19,00")
        assert page.channels.display_rows()[0][7] == "7,7"  # phone KTO grade 23 / 3
    assert [t.key for t in page.tables()] == ["volume", "channels", "topics"]
    for table in page.tables():
        assert f"table={table.key}&amp;format=xlsx" in body
    assert f"{EXPORT}?interval=week&amp;table=channels&amp;format=csv" in body


@pytest.mark.django_db
def test_the_page_runs_a_fixed_number_of_queries(
    mixed: Organisation, cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(cast.anouk)
    with django_assert_max_num_queries(CHANNEL_MIX_QUERIES):
        small = client.get(URL, JUNE)
    load_days(mixed, dt.date(2026, 6, 8), 6)
    _written_more = [{"started_at": at(f"2026-06-{d:02d}T09:00"), "topic": "parkeren"}
                     for d in range(15, 27)]  # fmt: skip
    store(mixed, "webform", _written_more)
    with django_assert_max_num_queries(CHANNEL_MIX_QUERIES + 5):  # one more channel: web form
        large = client.get(URL, JUNE)
    assert large.context["page"].total > 2 * small.context["page"].total


@pytest.mark.django_db
def test_the_tables_export_as_csv_and_xlsx_without_formulas(
    mixed: Organisation, cast: Cast
) -> None:
    client = client_for(cast.ada)
    response = client.get(EXPORT, {**JUNE, "table": "topics", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-channel-mix-topics-20260601-20260630.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(_mix(mixed).topics)
    assert rows[1][0] == '\'=HYPERLINK("x")'  # '=' sorts before the letters
    assert not any(cell.startswith("=") for row in rows for cell in row)

    response = client.get(EXPORT, {**JUNE, "table": "channels", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 5  # header and four channels
    assert values[1][1] == _mix(mixed).channels[0].contacts  # a number, not text
    assert client.get(EXPORT, {**JUNE, "table": "nope"}).status_code == 404
    assert client.get(EXPORT, {**JUNE, "table": "volume", "format": "pdf"}).status_code == 404


@pytest.mark.django_db
def test_the_default_period_fills_the_date_inputs_with_iso_dates(cast: Cast) -> None:
    body = client_for(cast.anouk).get(URL).content.decode()
    for name in ("date_from", "date_to"):
        assert re.search(rf'type="date" name="{name}" value="\d{{4}}-\d{{2}}-\d{{2}}"', body)
    costs = client_for(cast.anouk).get(reverse("kpis:channel_costs")).content.decode()
    assert re.search(r'type="date" name="valid_from" value="\d{4}-\d{2}-\d{2}"', costs)


@pytest.mark.django_db
def test_without_contacts_the_page_says_so(cast: Cast) -> None:
    response = client_for(cast.anouk).get(URL, JUNE)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="channel-mix-empty"' in body
    assert "spec-volume" not in body
    assert response.context["page"].total == 0


@pytest.mark.django_db
def test_only_kpi_roles_see_the_page_and_only_of_their_own_organisation(
    mixed: Organisation, cast: Cast
) -> None:
    for user in (cast.vera, cast.chantal, cast.dirk, cast.bram):
        assert client_for(user).get(URL, JUNE).status_code == 403
        assert client_for(user).get(EXPORT, JUNE).status_code == 403
    other_coach = make_user("olga", cast.anders, Role.QUALITY_COACH)
    response = client_for(other_coach).get(URL, JUNE)
    assert response.status_code == 200 and response.context["page"].total == 0
    export = client_for(other_coach).get(EXPORT, {**JUNE, "table": "channels"})
    assert export.content.decode("utf-8-sig").count("\r\n") == 1  # the header only


def test_only_the_channel_mix_entry_is_current_on_its_page() -> None:
    links = navigation_for(Role.QUALITY_COACH, URL)
    assert [link.url for link in links if link.current] == [URL]
    links = navigation_for(Role.QUALITY_COACH, reverse("kpis:dashboard"))
    assert [link.url for link in links if link.current] == [reverse("kpis:dashboard")]


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("grade", 23 / 3, "7,7"),  # rounded, not cut off to 7,6
        ("ratio", 0.7369, "73,7 %"),
        ("money", Decimal("1234.5"), "€ 1.234,50"),
        ("money", Decimal("0.005"), "€ 0,01"),  # half up
        ("count", 33713, "33.713"),
    ],
)
def test_figures_show_in_dutch_rounded_half_up(kind: Any, value: Any, shown: str) -> None:
    with translation.override("nl"):
        assert display(kind, value) == shown

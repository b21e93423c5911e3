"""The demo e-mails, chats and KTO answers: valid imports, plausible KPIs, no personal data,
the same every run and loaded once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest

from meetlat.calc.bsn import contains_bsn
from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.pii import find_pii
from meetlat.contacts.demo import demo_contacts_load
from meetlat.contacts.demo_kto import KTO_SHARE, AnsweredContact, demo_kto_csv
from meetlat.contacts.demo_written import (
    CHAT_SOURCE,
    KTO_SOURCE,
    MAIL_SOURCE,
    PROFILES,
    demo_conversations,
    demo_mbox,
    demo_written_load,
)
from meetlat.contacts.models import Contact, SurveyAnswer
from meetlat.kpis.selectors.report import KpiRequest, kpis_report_json
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create

JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture
def demo_towns(db: None) -> list[Organisation]:
    return [
        organisation_create(code=code, name=f"Gemeente Demo {code} (demo)", is_demo=True)
        for code in PROFILES
    ]


def _kpis(organisation: Organisation, channel: str, group_by: str | None = None) -> dict[str, Any]:
    request = KpiRequest(
        channel=channel, date_from=JUNE[0], date_to=JUNE[1], group_by=group_by, now=NOW
    )
    return kpis_report_json(organisation=organisation, request=request)


def _rate(report: dict[str, Any], name: str) -> float:
    value = report["kpis"][name]
    assert isinstance(value, float)
    return value


# --- the generated files ------------------------------------------------------------------------


def _files(code: str) -> tuple[str, str]:
    calendar = WorkCalendar()
    mbox = demo_mbox(code=code, name="Gemeente Demo (demo)", calendar=calendar,
                     date_from=JUNE[0], date_to=JUNE[1])  # fmt: skip
    chats = demo_conversations(code=code, calendar=calendar, date_from=JUNE[0], date_to=JUNE[1])
    return mbox.decode(), chats.decode()


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_the_generated_files_are_the_same_every_run(code: str) -> None:
    assert _files(code) == _files(code)


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_no_generated_text_holds_personal_data(code: str) -> None:
    for text in _files(code):
        assert not contains_bsn(text)
        assert {span.type for span in find_pii(text)} <= {"email"}  # no IBAN, BSN or phone
        addresses = ADDRESS.findall(text)
        assert all(address.endswith(".example") for address in addresses)
    assert len(ADDRESS.findall(_files(code)[0])) > 1000


def test_kto_answers_go_to_a_few_per_cent_of_contacts_and_hold_no_personal_data() -> None:
    start = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    contacts = [
        AnsweredContact(f"c-{n:05d}", "phone", "afval", start + dt.timedelta(minutes=n), 0.5)
        for n in range(10_000)
    ]
    data = demo_kto_csv(code="GM9901", contacts=contacts)
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert KTO_SHARE - 0.01 < len(rows) / len(contacts) < KTO_SHARE + 0.01
    grades = [int(r["grade"]) for r in rows if r["grade"]]
    assert sum(6 <= g <= 9 for g in grades) / len(grades) > 0.7
    comments = " ".join(r["comment"] for r in rows)
    assert comments.strip() and not find_pii(comments)
    assert demo_kto_csv(code="GM9901", contacts=contacts) == data


# --- loaded -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_demo_municipality_has_emails_and_chats_in_every_month(
    demo_towns: list[Organisation],
) -> None:
    demo_written_load(organisations=demo_towns)
    months = [(2026, month) for month in range(4, 10)]
    for town in demo_towns:
        for channel in ("email", "chat", "whatsapp"):
            found = {
                (day.year, day.month)
                for day in Contact.objects.filter(organisation=town, channel=channel)
                .values_list("local_date", flat=True)
                .distinct()
            }
            assert set(months) <= found, (town.code, channel)


@pytest.mark.django_db
def test_the_demo_kpis_of_the_written_channels_and_kto_are_plausible(
    demo_towns: list[Organisation],
) -> None:
    demo_contacts_load(organisations=demo_towns, date_from=JUNE[0], date_to=JUNE[1])
    result = demo_written_load(organisations=demo_towns, date_from=JUNE[0], date_to=JUNE[1])
    assert result.organisations == len(PROFILES)
    assert result.emails > 15 * 20 * len(PROFILES)
    for town in demo_towns:
        email = _kpis(town, "email")
        assert 0.5 < _rate(email, "answered_within_term_rate") < 1.0
        assert 0.7 < _rate(email, "ack_within_1h_rate") < 1.0
        assert email["kpis"]["open"] > 0
        for channel in ("chat", "whatsapp"):
            assert 0.7 < _rate(_kpis(town, channel), "first_response_within_norm_rate") < 1.0
        kto = _kpis(town, "kto", group_by="channel")
        by_channel = {g["key"]: g["kpis"] for g in kto["groups"]}
        assert {"phone", "email", "chat", "whatsapp"} <= set(by_channel)
        for kpis in by_channel.values():
            assert 5.5 < kpis["grade_mean"] < 9.0
        answers = SurveyAnswer.objects.filter(organisation=town, source=KTO_SOURCE)
        answered = Contact.objects.filter(organisation=town, outcome="answered").count()
        assert 0.05 < answers.count() / answered < 0.08
        assert not answers.filter(contact__isnull=True).exists()  # each linked to its contact


@pytest.mark.django_db
def test_loading_the_written_demo_again_adds_nothing(demo_towns: list[Organisation]) -> None:
    week = (dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    first = demo_written_load(organisations=demo_towns, date_from=week[0], date_to=week[1])
    contacts = Contact.objects.filter(source__in=[MAIL_SOURCE, CHAT_SOURCE]).count()
    answers = SurveyAnswer.objects.count()
    again = demo_written_load(organisations=demo_towns, date_from=JUNE[0], date_to=JUNE[1])
    assert first.emails > 0 and first.conversations > 0 and first.answers > 0
    assert (again.emails, again.conversations, again.answers) == (0, 0, 0)
    assert Contact.objects.count() == contacts
    assert SurveyAnswer.objects.count() == answers
    for town in demo_towns:
        assert town.import_batches.count() == 3

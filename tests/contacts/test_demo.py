"""The demo contacts: realistic patterns, imported through the import service, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from meetlat.calc.kpi import PhoneGroup
from meetlat.contacts.demo import DEMO_SOURCE, demo_contacts_load
from meetlat.contacts.models import Contact
from meetlat.kpis.selectors import phone_kpis_get
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create

START, END = dt.date(2026, 6, 1), dt.date(2026, 6, 26)  # four full weeks


@pytest.fixture
def demo_town(db: None) -> Organisation:
    return organisation_create(code="GM9901", name="Gemeente Voorbeeldstad (demo)", is_demo=True)


def _sl(group: PhoneGroup) -> float:
    value = group["kpis"]["service_level"]["offered_excl_short_abandons"]
    assert value is not None
    return value


@pytest.mark.django_db
def test_demo_contacts_show_the_lunch_dip_friday_afternoon_and_monday_peak(
    demo_town: Organisation,
) -> None:
    result = demo_contacts_load(organisations=[demo_town], date_from=START, date_to=END)
    assert 20 * 150 < result.imported < 20 * 400
    by_hour = {
        g["key"]: g
        for g in phone_kpis_get(
            organisation=demo_town, date_from=START, date_to=END, group_by="hour"
        ).groups
    }
    assert _sl(by_hour["12"]) < _sl(by_hour["10"]) - 0.1  # lunch
    assert _sl(by_hour["12"]) < _sl(by_hour["15"]) - 0.1
    by_day = {
        g["key"]: g
        for g in phone_kpis_get(
            organisation=demo_town, date_from=START, date_to=END, group_by="weekday"
        ).groups
    }
    offered = {key: g["kpis"]["offered"] for key, g in by_day.items()}
    assert max(offered, key=lambda key: offered[key]) == "1"  # Monday
    assert _sl(by_day["1"]) < _sl(by_day["3"])  # Monday morning waits
    kpis = phone_kpis_get(organisation=demo_town, date_from=START, date_to=END).kpis
    assert kpis["short_abandoned"] > 0 and kpis["ivr_abandoned"] > 0 and kpis["closed"] > 0
    assert 0.03 < (kpis["repeat_contact_rate"] or 0) < 0.3
    assert 0.05 < (kpis["transfer_rate"] or 0) < 0.3


@pytest.mark.django_db
def test_friday_afternoon_answers_fewer_calls_within_t(demo_town: Organisation) -> None:
    demo_contacts_load(organisations=[demo_town], date_from=START, date_to=END)
    fridays = [START + dt.timedelta(days=4 + 7 * week) for week in range(4)]
    wednesdays = [day - dt.timedelta(days=2) for day in fridays]

    def afternoon_sl(days: list[dt.date]) -> float:
        calls = Contact.objects.filter(
            organisation=demo_town, local_date__in=days, local_hour__gte=14, outcome="answered"
        )
        return calls.filter(wait_s__lte=20).count() / calls.count()

    assert afternoon_sl(fridays) < afternoon_sl(wednesdays) - 0.05


@pytest.mark.django_db
def test_loading_the_demo_contacts_again_changes_nothing(demo_town: Organisation) -> None:
    first = demo_contacts_load(organisations=[demo_town], date_from=START, date_to=START)
    count = Contact.objects.filter(organisation=demo_town, source=DEMO_SOURCE).count()
    again = demo_contacts_load(organisations=[demo_town], date_from=START, date_to=END)
    assert first.imported == count > 0
    assert again.imported == 0
    assert Contact.objects.filter(organisation=demo_town).count() == count
    assert demo_town.import_batches.count() == 1

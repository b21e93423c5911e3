"""Costs per contact per channel: versions by date, the service, and the settings page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from meetlat.accounts.models import AuditEntry
from meetlat.accounts.roles import Role
from meetlat.calc.costs import CostVersion, cost_on, cost_total
from meetlat.kpis.costs import channel_cost_set
from meetlat.kpis.demo import DEMO_COSTS, demo_costs_load
from meetlat.kpis.models import ChannelCost
from meetlat.kpis.selectors.costs import CostStatus, channel_cost_history, channel_cost_versions
from meetlat.organisations.services import organisation_create
from tests.conftest import Cast, client_for, make_user

JAN, APR, JUL = dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1)
VERSIONS = [
    CostVersion(valid_from=JUL, cost_per_contact=Decimal("6.00")),  # out of order on purpose
    CostVersion(valid_from=APR, cost_per_contact=Decimal("5.60")),
]
URL = reverse("kpis:channel_costs")


@pytest.mark.parametrize(
    ("day", "cost"),
    [
        (dt.date(2026, 3, 31), None),  # before the first version
        (APR, Decimal("5.60")),  # on its first day
        (dt.date(2026, 6, 30), Decimal("5.60")),
        (JUL, Decimal("6.00")),
        (dt.date(2030, 1, 1), Decimal("6.00")),
    ],
)
def test_the_cost_valid_on_a_date_is_the_latest_version_from_before(
    day: dt.date, cost: Decimal | None
) -> None:
    assert cost_on(VERSIONS, day) == cost


def test_a_period_across_a_change_costs_each_contact_at_the_cost_of_its_date() -> None:
    total = cost_total([(dt.date(2026, 6, 30), 10), (JUL, 20), (dt.date(2026, 7, 2), 0)], VERSIONS)
    assert total.contacts == 30
    assert total.total == Decimal("176.00")  # 10 × 5,60 + 20 × 6,00
    assert total.costs == (Decimal("5.60"), Decimal("6.00"))
    assert total.per_contact == Decimal("5.87")  # 176 / 30 = 5.866…, to the cent


def test_one_cost_for_the_whole_period_is_the_cost_per_contact() -> None:
    total = cost_total([(APR, 7), (dt.date(2026, 4, 2), 3)], VERSIONS)
    assert (total.total, total.per_contact) == (Decimal("56.00"), Decimal("5.60"))


def test_contacts_before_the_first_cost_leave_the_total_unknown() -> None:
    total = cost_total([(dt.date(2026, 3, 31), 5), (APR, 5)], VERSIONS)
    assert total.uncosted == 5
    assert total.total is None and total.per_contact is None
    assert cost_total([(APR, 5)], []).total is None


@pytest.mark.django_db
def test_setting_a_cost_adds_a_version_and_audits_it(cast: Cast) -> None:
    channel_cost_set(
        organisation=cast.voorbeeld,
        channel="phone",
        cost_per_contact=Decimal("5.60"),
        valid_from=APR,
        actor=cast.anouk,
    )
    channel_cost_set(
        organisation=cast.voorbeeld,
        channel="phone",
        cost_per_contact=Decimal("6.00"),
        valid_from=JUL,
        actor=cast.anouk,
    )
    versions = channel_cost_versions(organisation=cast.voorbeeld)
    assert cost_on(versions["phone"], dt.date(2026, 6, 1)) == Decimal("5.60")
    assert cost_on(versions["phone"], dt.date(2026, 8, 1)) == Decimal("6.00")
    entry = AuditEntry.objects.filter(action="kpis.channel_cost.set").latest("pk")
    assert entry.actor == cast.anouk and entry.organisation == cast.voorbeeld
    assert entry.data == {
        "channel": "phone",
        "valid_from": "2026-07-01",
        "cost_per_contact": "6.00",
        "before": None,
    }


@pytest.mark.django_db
def test_a_cost_for_the_same_channel_and_date_corrects_that_version(cast: Cast) -> None:
    for cost in ("5.60", "5.65"):
        channel_cost_set(
            organisation=cast.voorbeeld,
            channel="email",
            cost_per_contact=Decimal(cost),
            valid_from=APR,
            actor=cast.ada,
        )
    assert list(ChannelCost.objects.values_list("cost_per_contact", flat=True)) == [Decimal("5.65")]
    assert (
        AuditEntry.objects.filter(action="kpis.channel_cost.set").latest("pk").data["before"]
        == "5.60"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("channel", "cost"), [("phone", Decimal("-0.01")), ("phone", Decimal("1.005")), ("fax", 1)]
)
def test_the_service_refuses_bad_costs(cast: Cast, channel: str, cost: Decimal) -> None:
    with pytest.raises(ValidationError):
        channel_cost_set(
            organisation=cast.voorbeeld,
            channel=channel,
            cost_per_contact=Decimal(cost),
            valid_from=APR,
            actor=cast.ada,
        )
    assert not ChannelCost.objects.exists()


@pytest.mark.django_db
def test_the_history_marks_the_cost_in_force_earlier_and_planned(cast: Cast) -> None:
    for day, cost in ((JAN, "5.00"), (APR, "5.60"), (JUL, "6.00")):
        channel_cost_set(
            organisation=cast.voorbeeld,
            channel="phone",
            cost_per_contact=Decimal(cost),
            valid_from=day,
            actor=None,
        )
    history = channel_cost_history(organisation=cast.voorbeeld, today=dt.date(2026, 5, 1))
    assert [(e.cost.valid_from, e.status) for e in history] == [
        (JUL, CostStatus.PLANNED),
        (APR, CostStatus.CURRENT),
        (JAN, CostStatus.EARLIER),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["ada", "anouk"])
def test_administrators_and_coaches_set_a_cost_with_a_dutch_amount(cast: Cast, user: str) -> None:
    response = client_for(getattr(cast, user)).post(
        URL, {"channel": "counter", "cost_per_contact": "9,50", "valid_from": "2026-04-01"}
    )
    assert response.status_code == 302 and response["Location"] == URL
    cost = ChannelCost.objects.get(organisation=cast.voorbeeld)
    assert (cost.channel, cost.cost_per_contact, cost.valid_from) == (
        "counter",
        Decimal("9.5"),
        APR,
    )
    page = client_for(cast.tim).get(URL).content.decode()
    assert "€ 9,50" in page and 'data-status="current"' in page


@pytest.mark.django_db
def test_a_team_lead_reads_the_costs_but_cannot_change_them(cast: Cast) -> None:
    client = client_for(cast.tim)
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert 'data-testid="channel-costs-read-only"' in page.content.decode()
    response = client.post(
        URL, {"channel": "phone", "cost_per_contact": "1,00", "valid_from": "2026-04-01"}
    )
    assert response.status_code == 403
    assert not ChannelCost.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["vera", "chantal", "dirk"])
def test_viewers_and_employees_reach_no_costs(cast: Cast, user: str) -> None:
    client = client_for(getattr(cast, user))
    assert client.get(URL).status_code == 403
    post = {"channel": "phone", "cost_per_contact": "1,00", "valid_from": "2026-04-01"}
    assert client.post(URL, post).status_code == 403
    assert not ChannelCost.objects.exists()


@pytest.mark.django_db
def test_a_coach_of_another_organisation_sees_and_sets_only_its_own_costs(cast: Cast) -> None:
    channel_cost_set(
        organisation=cast.voorbeeld,
        channel="phone",
        cost_per_contact=Decimal("5.60"),
        valid_from=APR,
        actor=None,
    )
    coach = make_user("olga", cast.anders, Role.QUALITY_COACH)
    client = client_for(coach)
    page = client.get(URL)
    assert page.context["entries"] == []
    assert "5,60" not in page.content.decode()
    client.post(URL, {"channel": "phone", "cost_per_contact": "4,00", "valid_from": "2026-04-01"})
    assert ChannelCost.objects.get(organisation=cast.anders).cost_per_contact == Decimal("4")
    assert ChannelCost.objects.get(organisation=cast.voorbeeld).cost_per_contact == Decimal("5.6")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"cost_per_contact": "-1"},
            "cost_per_contact",
            "The cost per contact cannot be negative.",
        ),
        (
            {"cost_per_contact": "4,505"},
            "cost_per_contact",
            "Give the cost in whole cents: at most two decimals.",
        ),
        (
            {"cost_per_contact": "vier"},
            "cost_per_contact",
            "Give the cost as an amount in euros, for example 4.50.",
        ),
        (
            {"cost_per_contact": "1000000"},
            "cost_per_contact",
            "The cost per contact is too high: at most 999,999.99 euros.",
        ),
        ({"channel": "fax"}, "channel", "Choose a channel."),
        ({"valid_from": ""}, "valid_from", "Give the date from which this cost applies."),
        ({"valid_from": "1999-12-31"}, "valid_from", "Give a date between 2000 and 2100."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    cast: Cast, data: dict[str, str], field: str, message: str
) -> None:
    post = {"channel": "phone", "cost_per_contact": "4,50", "valid_from": "2026-04-01", **data}
    response = client_for(cast.anouk).post(URL, post)  # Dutch: "4,50" is four and a half
    assert response.status_code == 200
    with translation.override("nl"):
        assert response.context["form"].errors[field] == [translation.gettext(message)]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ChannelCost.objects.exists()


@pytest.mark.django_db
def test_demo_costs_are_set_once_and_only_for_demo_organisations(cast: Cast) -> None:
    demo = organisation_create(code="GM9990", name="Gemeente Demo (demo)", is_demo=True)
    assert demo_costs_load(organisations=[demo, cast.voorbeeld]) == len(DEMO_COSTS)
    assert demo_costs_load(organisations=[demo, cast.voorbeeld]) == 0
    assert ChannelCost.objects.filter(organisation=demo).count() == len(DEMO_COSTS)
    assert not ChannelCost.objects.filter(organisation=cast.voorbeeld).exists()

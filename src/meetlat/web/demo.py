"""The demo: fictional municipalities, users for every role, contact points. Idempotent.

Later issues extend it (studies, contacts, reviews). All names here are invented; real
municipality names appear only in the CBS reference list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from meetlat.accounts.models import Membership, User
from meetlat.accounts.roles import Role
from meetlat.accounts.services import membership_set, user_create
from meetlat.contacts.demo import demo_contacts_load
from meetlat.contacts.demo_written import demo_written_load, own_domain
from meetlat.kpis.demo import demo_costs_load
from meetlat.organisations.models import ContactPoint, Organisation, OrganisationKind
from meetlat.organisations.selectors import organisation_get
from meetlat.organisations.services import (
    closing_day_add,
    contact_point_save,
    opening_hours_set,
    organisation_create,
    team_get_or_create,
)
from meetlat.research.demo import demo_study_load

DEMO_PASSWORD = "demo-meetlat-2026"  # noqa: S105 - printed on purpose, demo only

DEMO_ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("GM9901", "Gemeente Voorbeeldstad (demo)", OrganisationKind.MUNICIPALITY),
    ("GM9902", "Gemeente Proefdorp (demo)", OrganisationKind.MUNICIPALITY),
    ("GM9903", "Gemeente Testerveen (demo)", OrganisationKind.MUNICIPALITY),
    ("GM9904", "Gemeente Steekproefhaven (demo)", OrganisationKind.MUNICIPALITY),
    ("GM9905", "Gemeente Normwoude (demo)", OrganisationKind.MUNICIPALITY),
    ("GM9906", "Gemeente Luisterveld (demo)", OrganisationKind.MUNICIPALITY),
    ("GM9907", "Gemeente Belmond (demo)", OrganisationKind.MUNICIPALITY),
    ("GM9908", "Gemeente Kwaliteitsveen (demo)", OrganisationKind.MUNICIPALITY),
    ("DEMO-BUREAU", "Onderzoeksbureau Meetwaarde (demo)", OrganisationKind.AGENCY),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: Role


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Ada", "Beheer", "GM9901", Role.ADMIN),
    DemoUser("onderzoeksleider", "Ruben", "Onderzoek", "DEMO-BUREAU", Role.RESEARCH_LEAD),
    DemoUser("auditor", "Bram", "Belman", "DEMO-BUREAU", Role.AUDITOR),
    DemoUser("auditor2", "Fenna", "Veldwerk", "DEMO-BUREAU", Role.AUDITOR),
    DemoUser("auditor3", "Jurre", "Belronde", "DEMO-BUREAU", Role.AUDITOR),
    DemoUser("auditor4", "Mila", "Meetpunt", "DEMO-BUREAU", Role.AUDITOR),
    DemoUser("auditor5", "Sem", "Steekproef", "DEMO-BUREAU", Role.AUDITOR),
    DemoUser("kijker", "Vera", "Kijkers", "GM9901", Role.MUNICIPALITY_VIEWER),
    DemoUser("coach", "Anouk", "de Coach", "GM9901", Role.QUALITY_COACH),
    DemoUser("teamleider", "Tim", "Leiding", "GM9901", Role.TEAM_LEAD),
    DemoUser("medewerker", "Chantal", "Klantcontact", "GM9901", Role.EMPLOYEE),
    DemoUser("kijker-proefdorp", "Dirk", "Anders", "GM9902", Role.MUNICIPALITY_VIEWER),
)

_WEEKDAYS = dict.fromkeys(range(1, 6), [(dt.time(8, 30), dt.time(17, 0))])


@dataclass(frozen=True)
class DemoResult:
    organisations: int
    users: int


@transaction.atomic
def demo_load() -> DemoResult:
    """Create (or complete) the demo; running it again changes nothing."""
    for code, name, kind in DEMO_ORGANISATIONS:
        organisation = organisation_get(code=code)
        if organisation is None:
            organisation = organisation_create(code=code, name=name, kind=kind, is_demo=True)
        if kind == OrganisationKind.MUNICIPALITY:
            _demo_contact_points(organisation)
    voorbeeld = Organisation.objects.get(code="GM9901")
    team = team_get_or_create(organisation=voorbeeld, name="KCC Team Noord")
    if not voorbeeld.closing_days.filter(date=dt.date(2026, 5, 15)).exists():
        closing_day_add(
            organisation=voorbeeld, date=dt.date(2026, 5, 15), reason="Brugdag", actor=None
        )
    for spec in DEMO_USERS:
        _demo_user(spec)
    Membership.objects.filter(
        user__username__in=["teamleider", "medewerker"], organisation=voorbeeld
    ).update(team=team)
    municipalities = list(
        Organisation.objects.filter(is_demo=True, kind=OrganisationKind.MUNICIPALITY).order_by(
            "code"
        )
    )
    demo_study_load(
        municipalities=municipalities,
        owner=Organisation.objects.get(code="DEMO-BUREAU"),
        planner=User.objects.get(username="onderzoeksleider"),
    )
    demo_contacts_load(organisations=municipalities)
    demo_written_load(organisations=municipalities)
    demo_costs_load(organisations=municipalities)
    return DemoResult(organisations=len(DEMO_ORGANISATIONS), users=len(DEMO_USERS))


def _demo_user(spec: DemoUser) -> None:
    organisation = Organisation.objects.get(code=spec.organisation)
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user_create(
            username=spec.username,
            password=DEMO_PASSWORD,
            organisation=organisation,
            role=spec.role,
            email=f"{spec.username}@voorbeeld.invalid",
            first_name=spec.first_name,
            last_name=spec.last_name,
            check_password=False,
        )
    elif not Membership.objects.filter(user=user, organisation=organisation).exists():
        membership_set(user=user, organisation=organisation, role=spec.role, actor=None)


def _demo_contact_points(organisation: Organisation) -> None:
    number = organisation.code[-2:]
    specs = [
        ("Hoofdnummer 14 0" + number, "phone", "main", f"14 0{number}"),
        ("Team Vergunningen", "phone", "group", f"085 555 01{number}"),
        ("Algemene mailbox", "email", "", f"kcc@{own_domain(organisation.code)}"),
        ("Chat op de website", "chat", "", ""),
    ]
    for name, channel, kind, address in specs:
        if organisation.contact_points.filter(name=name).exists():
            continue
        contact_point = contact_point_save(
            contact_point=ContactPoint(
                organisation=organisation,
                name=name,
                channel=channel,
                phone_kind=kind,
                address=address,
            ),
            actor=None,
        )
        opening_hours_set(contact_point=contact_point, hours=_WEEKDAYS, actor=None)

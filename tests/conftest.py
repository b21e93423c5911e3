"""Personas and factories shared by the test suite.

The cast (all fictional):
- Ada: administrator of the installation (member of Gemeente Voorbeeld); manages everything.
- Anouk: quality coach at Gemeente Voorbeeld; reads and edits Voorbeeld's settings.
- Ruben: research lead at agency Meetbureau; sees research of his agency.
- Bram: auditor for Meetbureau; sees only his own assignments.
- Vera: municipality viewer at Voorbeeld; sees Voorbeeld's published results only.
- Tim: team lead at Voorbeeld; sees his own team.
- Chantal: employee at Voorbeeld; sees only her own reviews.
- Dirk: municipality viewer of Gemeente Anders; must see nothing of Voorbeeld.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from meetlat.accounts.models import User
from meetlat.accounts.roles import Role
from meetlat.accounts.services import user_create
from meetlat.organisations.models import Organisation, OrganisationKind
from meetlat.organisations.services import organisation_create

PASSWORD = "correct-horse-battery-9"

# Hypothesis: no wall-clock deadline and no "too slow" health check. Both measure the speed of
# a shared, noisy machine, not the correctness of the code; speed is measured in benchmarks/.
settings.register_profile("meetlat", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("meetlat")


@pytest.fixture(autouse=True)
def _jobs_inline_in_own_media(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Background jobs run inline once the transaction commits, and write under tmp_path."""
    django_settings = request.getfixturevalue("settings")
    django_settings.JOBS_RUNNER = "inline"
    django_settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class Cast:
    voorbeeld: Organisation
    anders: Organisation
    bureau: Organisation
    ada: User
    anouk: User
    ruben: User
    bram: User
    vera: User
    tim: User
    chantal: User
    dirk: User

    def by_role(self) -> dict[Role, User]:
        """One persona of Voorbeeld (or the agency) for every role."""
        return {
            Role.ADMIN: self.ada,
            Role.QUALITY_COACH: self.anouk,
            Role.RESEARCH_LEAD: self.ruben,
            Role.AUDITOR: self.bram,
            Role.MUNICIPALITY_VIEWER: self.vera,
            Role.TEAM_LEAD: self.tim,
            Role.EMPLOYEE: self.chantal,
        }


def make_user(username: str, organisation: Organisation, role: Role) -> User:
    return user_create(
        username=username,
        password=PASSWORD,
        organisation=organisation,
        role=role,
        check_password=False,
    )


@pytest.fixture
def cast(db: None) -> Cast:
    voorbeeld = organisation_create(code="GM9801", name="Gemeente Voorbeeld")
    anders = organisation_create(code="GM9802", name="Gemeente Anders")
    bureau = organisation_create(code="MEETBUREAU", name="Meetbureau", kind=OrganisationKind.AGENCY)
    return Cast(
        voorbeeld=voorbeeld,
        anders=anders,
        bureau=bureau,
        ada=make_user("ada", voorbeeld, Role.ADMIN),
        anouk=make_user("anouk", voorbeeld, Role.QUALITY_COACH),
        ruben=make_user("ruben", bureau, Role.RESEARCH_LEAD),
        bram=make_user("bram", bureau, Role.AUDITOR),
        vera=make_user("vera", voorbeeld, Role.MUNICIPALITY_VIEWER),
        tim=make_user("tim", voorbeeld, Role.TEAM_LEAD),
        chantal=make_user("chantal", voorbeeld, Role.EMPLOYEE),
        dirk=make_user("dirk", anders, Role.MUNICIPALITY_VIEWER),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

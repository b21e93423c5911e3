"""Research objects of the cast's own organisations and of another agency, for page tests.

Every factory is idempotent (get or create), so the URL walk may call it once per role.
- Own: a study run by Meetbureau (Ruben's agency) with Gemeente Voorbeeld (Vera's), an open
  wave with an assignment of Bram, a published wave, a proposed scenario.
- Other: the same for agency Anderbureau with Gemeente Anders; its auditor is Olga.
"""

from __future__ import annotations

import datetime as dt

from meetlat.accounts.models import User
from meetlat.accounts.roles import Role
from meetlat.calc.calendar import AMSTERDAM
from meetlat.organisations.models import Organisation, OrganisationKind
from meetlat.organisations.services import organisation_create
from meetlat.research.models import (
    Assignment,
    Observation,
    Scenario,
    ScenarioStatus,
    Study,
    StudyMunicipality,
    Wave,
    WaveStatus,
)
from tests.conftest import Cast, make_user

START = dt.date(2026, 4, 6)
END = dt.date(2026, 5, 1)


def other_agency() -> Organisation:
    agency = Organisation.objects.filter(code="ANDERBUREAU").first()
    if agency is None:
        agency = organisation_create(
            code="ANDERBUREAU", name="Anderbureau", kind=OrganisationKind.AGENCY
        )
    return agency


def other_auditor() -> User:
    olga = User.objects.filter(username="olga").first()
    return olga or make_user("olga", other_agency(), Role.AUDITOR)


def _study(name: str, owner: Organisation, municipality: Organisation) -> Study:
    study, created = Study.objects.get_or_create(name=name, defaults={"owner": owner})
    if created:
        StudyMunicipality.objects.create(study=study, organisation=municipality)
        Wave.objects.create(
            study=study, name="0-meting", order=1, seed=11, fieldwork_start=START, fieldwork_end=END
        )
        Wave.objects.create(
            study=study,
            name="1-meting",
            order=2,
            seed=12,
            status=WaveStatus.PUBLISHED,
            published_at=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC),
        )
        Scenario.objects.create(study=study, code="T01", name="Paspoort", channel="phone")
        Scenario.objects.create(
            study=study,
            code=f"{municipality.code}-01",
            channel="phone",
            national=False,
            organisation=municipality,
            status=ScenarioStatus.PROPOSED,
        )
    return study


def own_study(cast: Cast) -> Study:
    return _study("Onderzoek Meetbureau", cast.bureau, cast.voorbeeld)


def other_study(cast: Cast) -> Study:
    return _study("Onderzoek Anderbureau", other_agency(), cast.anders)


def open_wave(study: Study) -> Wave:
    return study.waves.get(name="0-meting")


def published_wave(study: Study) -> Wave:
    return study.waves.get(name="1-meting")


def observed_wave(study: Study) -> Wave:
    """The published wave with one reached phone call of the study's municipality: the
    smallest wave a report can be made of."""
    wave = published_wave(study)
    Observation.objects.get_or_create(
        wave=wave,
        organisation=study.participants.get().organisation,
        scenario=study.scenarios.get(code="T01"),
        channel="phone",
        planned_at=dt.datetime(2026, 5, 12, 10, 0, tzinfo=AMSTERDAM),
        defaults={
            "attempts": 1,
            "reached": True,
            "wait_s": 30,
            "transfers": 0,
            "in_one_go": "yes",
            "correctness": "correct",
            "completeness": "complete",
            "introduced_name": "yes",
            "friendly": "yes",
            "plain_language": "yes",
            "asked_more_questions": "yes",
            "recording_announced": "na",
        },
    )
    return wave


def proposed_scenario(study: Study) -> Scenario:
    return study.scenarios.get(status=ScenarioStatus.PROPOSED)


def assignment(study: Study, auditor: User) -> Assignment:
    wave = open_wave(study)
    municipality = study.participants.get().organisation
    found, _created = Assignment.objects.get_or_create(
        wave=wave,
        organisation=municipality,
        question="phone-01",
        defaults={
            "scenario": study.scenarios.get(code="T01"),
            "channel": "phone",
            "planned_at": dt.datetime(2026, 4, 14, 9, 0, tzinfo=AMSTERDAM),
            "auditor": auditor,
        },
    )
    return found


def own_assignment(cast: Cast) -> Assignment:
    return assignment(own_study(cast), cast.bram)


def other_assignment(cast: Cast) -> Assignment:
    return assignment(other_study(cast), other_auditor())

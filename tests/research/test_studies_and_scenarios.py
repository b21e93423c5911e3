"""Studies, waves, publishing and scenarios: what the services create, refuse and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetlat.accounts.models import AuditEntry
from meetlat.calc.bsn import contains_bsn, find_bsns, is_valid_bsn
from meetlat.organisations.models import Organisation
from meetlat.research.models import ScenarioStatus, Study, Wave, WaveStatus
from meetlat.research.services.observations import observation_record
from meetlat.research.services.scenarios import (
    ScenarioText,
    scenario_accept,
    scenario_create,
    scenario_propose,
)
from meetlat.research.services.studies import study_create, wave_create, wave_publish
from tests.conftest import Cast
from tests.research.conftest import FIELDWORK

pytestmark = pytest.mark.django_db


def test_a_study_belongs_to_the_agency_and_gets_its_first_wave(study: Study, cast: Cast) -> None:
    assert study.owner == cast.bureau
    assert study.question_counts() == {"phone": 15, "email": 5}
    wave = study.waves.get()
    assert (wave.name, wave.order, wave.status) == ("0-meting", 1, WaveStatus.FIELDWORK)
    assert (wave.fieldwork_start, wave.fieldwork_end) == FIELDWORK
    entry = AuditEntry.objects.get(action="research.study.created")
    assert entry.data["municipalities"] == ["GM9801", "GM9802"]
    assert entry.organisation == cast.bureau


def test_unknown_municipalities_are_added_from_the_cbs_list(cast: Cast) -> None:
    study = study_create(
        name="Grote steden",
        owner=cast.bureau,
        municipality_codes=["GM0363", "gm0014"],
        questions={"phone": 15},
        fieldwork_start=FIELDWORK[0],
        fieldwork_end=FIELDWORK[1],
        actor=cast.ruben,
    )
    assert Organisation.objects.get(code="GM0363").name == "Amsterdam"
    assert study.participants.count() == 2


@pytest.mark.parametrize("code", ["GM9999", "MEETBUREAU"])
def test_a_code_that_is_no_municipality_is_refused(cast: Cast, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        study_create(
            name="Fout",
            owner=cast.bureau,
            municipality_codes=[code],
            questions={"phone": 15},
            fieldwork_start=FIELDWORK[0],
            fieldwork_end=FIELDWORK[1],
            actor=cast.ruben,
        )
    assert "municipalities" in caught.value.message_dict
    assert not Study.objects.filter(name="Fout").exists()


def test_more_than_five_emails_are_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        study_create(
            name="Te veel",
            owner=cast.bureau,
            municipality_codes=["GM9801"],
            questions={"email": 6},
            fieldwork_start=FIELDWORK[0],
            fieldwork_end=FIELDWORK[1],
            actor=cast.ruben,
        )


def test_a_second_wave_follows_the_first(study: Study, cast: Cast) -> None:
    wave = wave_create(
        study=study,
        name="1-meting",
        fieldwork_start=dt.date(2026, 9, 7),
        fieldwork_end=dt.date(2026, 10, 2),
        actor=cast.ruben,
    )
    assert wave.order == 2
    with pytest.raises(ValidationError):
        wave_create(study=study, name="1-meting", actor=cast.ruben)


def test_publishing_needs_observations_and_is_audited(planned: Wave, cast: Cast) -> None:
    with pytest.raises(ValidationError, match="niets te publiceren"):
        wave_publish(wave=planned, actor=cast.ruben)
    assignment = planned.assignments.filter(channel="phone").first()
    assert assignment is not None and assignment.auditor is not None
    observation_record(
        assignment=assignment, values={"attempts": "3", "reached": "no"}, actor=assignment.auditor
    )
    wave_publish(wave=planned, actor=cast.ruben)
    planned.refresh_from_db()
    assert planned.status == WaveStatus.PUBLISHED and planned.published_at is not None
    entry = AuditEntry.objects.get(action="research.wave.published")
    assert entry.data["overall"][assignment.organisation.code] == pytest.approx(1.0)
    with pytest.raises(ValidationError, match="al gepubliceerd"):
        wave_publish(wave=planned, actor=cast.ruben)


# -- BSN detection (METHODOLOGY §8) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("111222333", True),  # the test number of the methodology
        ("BSN 111 222 333.", True),
        ("1112.22.333", True),
        ("11122233", False),  # 8 digits: 011122233 fails the 11-proef
        ("123456789", False),  # fails the 11-proef
        ("000000000", False),
        ("0612345678", False),
        ("1112223334", False),  # inside a longer number
        ("NL76MEET0123456789", False),
    ],
)
def test_bsn_detection_uses_the_eleven_test(text: str, found: bool) -> None:
    assert contains_bsn(text) is found


def test_bsn_offsets_and_eight_digit_numbers() -> None:
    assert is_valid_bsn("111222333") and not is_valid_bsn("11122233a")
    assert [(m.start, m.end) for m in find_bsns("nr 111 222 333 ok")] == [(3, 14)]


# -- scenarios -------------------------------------------------------------------------------------


def test_a_persona_with_a_bsn_is_refused(study: Study, cast: Cast) -> None:
    text = ScenarioText(name="Verhuizing", channel="phone", persona="Jan Jansen, BSN 111222333")
    with pytest.raises(ValidationError) as caught:
        scenario_create(study=study, code="T99", text=text, actor=cast.ruben)
    assert "persona" in caught.value.message_dict
    assert not study.scenarios.filter(code="T99").exists()


def test_a_proposal_with_a_bsn_is_refused_too(study: Study, cast: Cast) -> None:
    text = ScenarioText(name="Paspoort", channel="phone", question="Mijn BSN is 1112.22.333")
    with pytest.raises(ValidationError) as caught:
        scenario_propose(study=study, organisation=cast.voorbeeld, text=text, actor=cast.vera)
    assert "question" in caught.value.message_dict


def test_a_viewer_proposes_and_the_lead_accepts(study: Study, cast: Cast) -> None:
    text = ScenarioText(
        name="Afval", channel="phone", question="Wanneer wordt het grofvuil opgehaald?"
    )
    scenario = scenario_propose(
        study=study, organisation=cast.voorbeeld, text=text, actor=cast.vera
    )
    assert (scenario.code, scenario.status) == ("GM9801-01", ScenarioStatus.PROPOSED)
    assert scenario.organisation == cast.voorbeeld and not scenario.national
    proposed = AuditEntry.objects.get(action="research.scenario.proposed")
    assert proposed.organisation == cast.voorbeeld
    scenario_accept(scenario=scenario, actor=cast.ruben)
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.ACCEPTED
    with pytest.raises(ValidationError):
        scenario_accept(scenario=scenario, actor=cast.ruben)


def test_a_municipality_outside_the_study_cannot_propose(cast: Cast, study: Study) -> None:
    study.participants.filter(organisation=cast.anders).delete()
    text = ScenarioText(name="Afval", channel="phone")
    with pytest.raises(ValidationError):
        scenario_propose(study=study, organisation=cast.anders, text=text, actor=cast.dirk)

"""The research pages: who sees what, the forms' round trips, and the messages users get."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetlat.calc.calendar import AMSTERDAM
from meetlat.organisations.services import organisation_create
from meetlat.research.models import (
    Assignment,
    AssignmentStatus,
    Observation,
    Scenario,
    ScenarioStatus,
    Study,
    StudyMunicipality,
    Wave,
    WaveStatus,
)
from meetlat.research.selectors import study_score_get
from meetlat.research.services import observations_import
from meetlat.research.services.planning import wave_plan
from tests.conftest import Cast, client_for
from tests.research import factories as rf
from tests.research.conftest import FIELDWORK
from tests.research.samples import EXAMPLE_A, csv_text, with_municipality, write

pytestmark = pytest.mark.django_db

T1_FORM = {
    "attempts": "1",
    "reached": "yes",
    "wait_s": "14",
    "transfers": "0",
    "callback_promised": "no",
    "in_one_go": "yes",
    "correctness": "correct",
    "completeness": "complete",
    "introduced_name": "yes",
    "friendly": "yes",
    "plain_language": "yes",
    "asked_more_questions": "no",
    "recording_announced": "na",
    "extra_step": "no",
}


def body(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


# -- research lead -------------------------------------------------------------------------


def test_a_lead_sees_only_the_studies_of_their_agency(study: Study, cast: Cast) -> None:
    rf.other_study(cast)
    page = body(client_for(cast.ruben), reverse("research:study_list"))
    assert study.name in page
    assert "Onderzoek Anderbureau" not in page
    assert study.name in body(client_for(cast.ruben), reverse("research:home"))


def test_an_empty_study_list_tells_what_to_do(cast: Cast) -> None:
    page = body(client_for(cast.ruben), reverse("research:study_list"))
    assert reverse("research:study_create") in page
    assert "scenario" in page.lower()


def test_a_study_made_in_the_web_belongs_to_the_leads_agency(cast: Cast) -> None:
    response = client_for(cast.ruben).post(
        reverse("research:study_create"),
        {
            "name": "Webonderzoek",
            "municipalities": "GM9801, gm9802",
            "phone_questions": "15",
            "email_questions": "5",
            "webform_questions": "0",
            "chat_questions": "0",
            "fieldwork_start": "2026-04-06",
            "fieldwork_end": "2026-05-01",
            "max_calls_per_auditor": "3",
        },
    )
    study = Study.objects.get(name="Webonderzoek")
    assert response.status_code == 302
    assert response["Location"] == reverse("research:study_detail", args=[study.pk])
    assert study.owner == cast.bureau
    assert sorted(study.participants.values_list("organisation__code", flat=True)) == [
        "GM9801",
        "GM9802",
    ]
    assert study.waves.get().fieldwork_start == FIELDWORK[0]


def test_bad_cbs_codes_are_shown_at_the_field(cast: Cast) -> None:
    response = client_for(cast.ruben).post(
        reverse("research:study_create"),
        {"name": "Fout", "municipalities": "GM98, Utrecht", "phone_questions": "15"},
    )
    assert response.status_code == 200
    assert "id_municipalities_error" in response.content.decode()
    assert not Study.objects.filter(name="Fout").exists()


def test_the_dashboard_shows_progress_per_municipality_and_channel(
    planned: Wave, cast: Cast
) -> None:
    page = body(client_for(cast.ruben), reverse("research:study_detail", args=[planned.study_id]))
    assert "Gemeente Voorbeeld" in page and "Gemeente Anders" in page
    assert '<td class="utrecht-table__cell utrecht-table__cell--numeric">40</td>' in page


def test_planning_from_the_page_and_the_csv_export(study: Study, cast: Cast) -> None:
    wave = study.waves.get()
    client = client_for(cast.ruben)
    response = client.post(reverse("research:plan", args=[wave.pk]), {})
    assert response.status_code == 302
    assert wave.assignments.count() == 40
    export = client.get(reverse("research:plan_csv", args=[wave.pk]))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(rows) == 40
    assert {r["auditor"] for r in rows if r["channel"] == "phone"} >= {"bram"}
    assert rows[0]["planned_at"].endswith("+02:00")


def test_an_edit_that_breaks_a_rule_is_refused_with_the_rule(planned: Wave, cast: Cast) -> None:
    calls = list(
        planned.assignments.filter(organisation__code="GM9801", channel="phone").order_by(
            "planned_at"
        )
    )
    first, second = calls[:2]
    moved = (first.planned_at + dt.timedelta(minutes=15)).astimezone(AMSTERDAM)
    response = client_for(cast.ruben).post(
        reverse("research:assignment_edit", args=[second.pk]),
        {
            "planned_at": moved.strftime("%Y-%m-%dT%H:%M"),
            "auditor": str(second.auditor_id),
            "status": "planned",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rule 5" in page or "Regel 5" in page
    assert Assignment.objects.get(pk=second.pk).planned_at == second.planned_at


def test_infeasible_planning_names_the_rule(study: Study, cast: Cast) -> None:
    study.scenarios.filter(channel="email").update(persona="Dezelfde persona")
    wave = study.waves.get()
    client = client_for(cast.ruben)
    response = client.post(reverse("research:plan", args=[wave.pk]), {}, follow=True)
    page = response.content.decode()
    assert "Rule 7" in page or "Regel 7" in page
    assert not wave.assignments.exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_lead_pages_do_not_query_per_municipality(planned: Wave, cast: Cast) -> None:
    client = client_for(cast.ruben)
    urls = [
        reverse("research:plan", args=[planned.pk]),
        reverse("research:study_detail", args=[planned.study_id]),
        reverse("research:wave_results", args=[planned.pk]),
    ]
    before = [_queries(client, url) for url in urls]
    for code in ("GM9803", "GM9804"):
        organisation = organisation_create(code=code, name=f"Gemeente {code}")
        StudyMunicipality.objects.create(study=planned.study, organisation=organisation)
    wave_plan(wave=planned, actor=cast.ruben)
    assert planned.assignments.count() == 80
    assert [_queries(client, url) for url in urls] == before
    assert max(before) <= 20


def test_the_lead_reviews_a_proposal(study: Study, cast: Cast) -> None:
    scenario = Scenario.objects.create(
        study=study,
        code="GM9801-01",
        channel="phone",
        organisation=cast.voorbeeld,
        national=False,
        status=ScenarioStatus.PROPOSED,
    )
    client = client_for(cast.ruben)
    assert "GM9801-01" in body(client, reverse("research:scenario_list", args=[study.pk]))
    client.post(reverse("research:scenario_accept", args=[scenario.pk]))
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.ACCEPTED


# -- auditor ---------------------------------------------------------------------------------------


def test_an_auditor_sees_only_their_own_assignments(planned: Wave, cast: Cast) -> None:
    page = body(client_for(cast.bram), reverse("research:assignment_list"))
    mine = planned.assignments.filter(auditor=cast.bram)
    others = planned.assignments.exclude(auditor=cast.bram)
    assert mine.exists() and others.exists()
    for assignment in mine:
        assert reverse("research:observation", args=[assignment.pk]) in page
    for assignment in others:
        assert reverse("research:observation", args=[assignment.pk]) not in page
    other = others.first()
    assert other is not None
    body(client_for(cast.bram), reverse("research:observation", args=[other.pk]), status=404)


def _bram_call(wave: Wave) -> Assignment:
    found = wave.assignments.filter(auditor__username="bram", channel="phone").first()
    assert found is not None
    return found


def test_the_observation_form_works_without_inline_script(planned: Wave, cast: Cast) -> None:
    page = body(
        client_for(cast.bram), reverse("research:observation", args=[_bram_call(planned).pk])
    )
    assert 'src="/static/research/observation.js"' in page
    assert "<script>" not in page and "style=" not in page
    assert "data-stopwatch" in page and 'data-draft-key="assignment-' in page


def test_the_observation_form_round_trip_scores_like_the_importer(
    planned: Wave, cast: Cast, tmp_path: Path
) -> None:
    assignment = _bram_call(planned)
    response = client_for(cast.bram).post(
        reverse("research:observation", args=[assignment.pk]), T1_FORM
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE and assignment.observation is not None
    recorded = study_score_get(study=planned.study, wave=planned)
    entry = next(m for m in recorded["municipalities"] if m["code"] == assignment.organisation.code)

    t1 = with_municipality([EXAMPLE_A[0]], code="GM9901", name="Meetdorp")
    observations_import(study_name="import", path=write(tmp_path / "t1.csv", csv_text(t1)))
    imported = study_score_get(
        study=Study.objects.get(name="import"), wave=Study.objects.get(name="import").waves.get()
    )
    assert entry["phone"]["grade"] == pytest.approx(9.2125)
    assert entry["phone"]["grade"] == pytest.approx(imported["municipalities"][0]["phone"]["grade"])
    assert entry["overall"] == pytest.approx(imported["municipalities"][0]["overall"])


def test_observation_errors_are_shown_per_field(planned: Wave, cast: Cast) -> None:
    assignment = _bram_call(planned)
    values = {**T1_FORM, "wait_s": "", "in_one_go": "callback", "callback_promised": "no"}
    response = client_for(cast.bram).post(
        reverse("research:observation", args=[assignment.pk]), values
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "id_wait_s_error" in page and "id_in_one_go_error" in page
    assert not Observation.objects.exists()


def test_a_written_observation_is_recorded(planned: Wave, cast: Cast) -> None:
    assignment = planned.assignments.filter(channel="email").first()
    assert assignment is not None and assignment.auditor is not None
    sent = assignment.planned_at.astimezone(AMSTERDAM)
    answered = sent + dt.timedelta(hours=3)
    response = client_for(assignment.auditor).post(
        reverse("research:observation", args=[assignment.pk]),
        {
            "sent_at": sent.strftime("%Y-%m-%dT%H:%M"),
            "acknowledged_at": "",
            "answered_at": answered.strftime("%Y-%m-%dT%H:%M"),
            "correctness": "correct",
            "completeness": "complete",
            "tone": "good",
            "extra_step": "",
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.answered_at == answered.replace(second=0, microsecond=0)
    assert observation.channel == "email" and observation.tone == "good"


# -- municipality viewer -------------------------------------------------------------------


def _publish_with_t1(wave: Wave, cast: Cast) -> None:
    for code in ("GM9801", "GM9802"):
        assignment = wave.assignments.filter(organisation__code=code, channel="phone").first()
        assert assignment is not None and assignment.auditor is not None
        client_for(assignment.auditor).post(
            reverse("research:observation", args=[assignment.pk]), T1_FORM
        )
    client_for(cast.ruben).post(reverse("research:wave_publish", args=[wave.pk]))
    wave.refresh_from_db()
    assert wave.status == WaveStatus.PUBLISHED


def test_a_viewer_sees_only_published_results_of_their_own_municipality(
    planned: Wave, cast: Cast
) -> None:
    vera = client_for(cast.vera)
    assert reverse("research:result_detail", args=[planned.pk]) not in body(
        vera, reverse("research:result_list")
    )
    body(vera, reverse("research:result_detail", args=[planned.pk]), status=404)
    _publish_with_t1(planned, cast)
    listing = body(vera, reverse("research:home"))
    assert reverse("research:result_detail", args=[planned.pk]) in listing
    page = body(vera, reverse("research:result_detail", args=[planned.pk]))
    assert "Gemeente Voorbeeld" in page
    assert "Gemeente Anders" not in page
    assert "9,21" in page


def test_a_viewer_of_a_municipality_outside_the_study_sees_nothing(
    planned: Wave, cast: Cast
) -> None:
    planned.study.participants.filter(organisation=cast.anders).delete()
    _publish_with_t1(planned, cast)
    dirk = client_for(cast.dirk)
    assert planned.study.name not in body(dirk, reverse("research:result_list"))
    body(dirk, reverse("research:result_detail", args=[planned.pk]), status=404)
    body(dirk, reverse("research:scenario_propose", args=[planned.study_id]), status=404)


def test_a_viewer_proposal_with_a_bsn_is_refused_at_the_field(study: Study, cast: Cast) -> None:
    url = reverse("research:scenario_propose", args=[study.pk])
    values = {"name": "Verhuizen", "channel": "phone", "question": "Ik ga verhuizen."}
    refused = client_for(cast.vera).post(url, {**values, "persona": "Piet, BSN 111222333"})
    assert refused.status_code == 200
    assert "id_persona_error" in refused.content.decode()
    assert not study.scenarios.filter(organisation=cast.voorbeeld).exists()
    accepted = client_for(cast.vera).post(url, {**values, "persona": "Piet Puk"})
    assert accepted.status_code == 302
    proposal = study.scenarios.get(organisation=cast.voorbeeld)
    assert proposal.status == ScenarioStatus.PROPOSED and proposal.proposed_by == cast.vera


def test_the_menu_shows_mystery_research_to_its_three_roles(cast: Cast) -> None:
    for user, shown in (
        (cast.ruben, True),
        (cast.bram, True),
        (cast.vera, True),
        (cast.anouk, False),
    ):
        assert (reverse("research:home") in body(client_for(user), "/")) is shown

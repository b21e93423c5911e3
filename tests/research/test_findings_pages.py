"""The findings of a wave before publication: manual items 15/20/22 and the self-assessment
25-34, the research lead's edits (wording, hide, reset, own findings), the lock after
publishing, the audit trail and who may do what (METHODOLOGY.md §3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetlat.accounts.models import AuditEntry
from meetlat.accounts.roles import Role
from meetlat.calc.finding_edits import Kind
from meetlat.research.finding_selectors import municipality_findings_get
from meetlat.research.models import FindingEdit, ManualAssessment, Study, Wave, WaveStatus
from meetlat.research.services import observations_import
from meetlat.research.services.findings import (
    AssessmentInput,
    assessments_save,
    finding_wording_save,
)
from tests.conftest import Cast, client_for, make_user
from tests.reports.conftest import unreached
from tests.research import factories as rf
from tests.research.samples import OBSERVATIONS, csv_text, with_municipality, write

pytestmark = pytest.mark.django_db

STUDY = "Bevindingen 2026"
#: Worked examples A and B: item 17b is to improve with this automatic wording.
WORDING_17B = "Beantwoord e-mails binnen 2 werkdagen. Nu 40,0 % (2 van 5); benchmark 40,0 %;"


def _import(tmp_path: Path, rows: list[dict[str, str]], name: str = "w.csv") -> Study:
    observations_import(
        study_name=STUDY, path=write(tmp_path / name, csv_text(rows)), wave_name="0-meting"
    )
    return Study.objects.get(name=STUDY)


@pytest.fixture
def wave(cast: Cast, tmp_path: Path) -> Wave:
    """Worked examples A and B for Gemeente Voorbeeld, in a study of Ruben's agency."""
    study = _import(tmp_path, with_municipality(OBSERVATIONS, cast.voorbeeld.code, "Voorbeeld"))
    study.owner = cast.bureau
    study.save(update_fields=["owner"])
    return study.waves.get()


def findings_url(wave: Wave, code: str) -> str:
    return reverse("research:wave_findings", args=[wave.pk, code])


def assessment_url(wave: Wave, code: str) -> str:
    return reverse("research:wave_assessment", args=[wave.pk, code])


def post(client: Client, url: str, data: dict[str, str]) -> str:
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def texts(wave: Wave, cast: Cast, kind: Kind = "improve") -> dict[str, str]:
    _findings, edited = municipality_findings_get(
        wave=wave, organisation=cast.voorbeeld, language="nl"
    )
    return {f.number or f"free-{f.key}": f.text for f in edited.group(kind) if not f.hidden}


# -- manual items and self-assessment -----------------------------------------------------------


def test_the_results_page_links_findings_and_manual_items(wave: Wave, cast: Cast) -> None:
    page = client_for(cast.ruben).get(reverse("research:wave_results", args=[wave.pk]))
    body = page.content.decode()
    assert findings_url(wave, cast.voorbeeld.code) in body
    assert assessment_url(wave, cast.voorbeeld.code) in body


def test_the_form_holds_all_13_items_in_two_groups(wave: Wave, cast: Cast) -> None:
    body = client_for(cast.ruben).get(assessment_url(wave, cast.voorbeeld.code)).content.decode()
    for item in ("15", "20", "22", *map(str, range(25, 35))):
        assert f'name="value_{item}"' in body and f'name="note_{item}"' in body
    assert body.count("<fieldset") == 2
    assert "Het keuzemenu is kort en duidelijk" in body  # item 15, wording from calc
    assert "Gestructureerde kwaliteitsbewaking" in body  # item 34
    # 15, 20 and 22 are yes or no; the self-assessment also partly
    assert body.count('value="partly"') == 10


def test_manual_items_become_keep_or_improve_and_unanswered_ones_stay_out(
    wave: Wave, cast: Cast
) -> None:
    client = client_for(cast.ruben)
    data = {
        "value_15": "yes",
        "value_20": "no",
        "note_20": "Alleen via DigiD",
        "value_25": "partly",
    }
    post(client, assessment_url(wave, cast.voorbeeld.code), data)
    rows = ManualAssessment.objects.filter(wave=wave, organisation=cast.voorbeeld)
    assert {(r.item, r.value, r.note) for r in rows} == {
        ("15", "yes", ""),
        ("20", "no", "Alleen via DigiD"),
        ("25", "partly", ""),
    }
    assert all(r.updated_by == cast.ruben for r in rows)
    findings, _edited = municipality_findings_get(
        wave=wave, organisation=cast.voorbeeld, language="nl"
    )
    assert findings is not None
    assert "15" in {f.number for f in findings.keep}
    assert "20" in {f.number for f in findings.improve}
    everything = findings.improve + findings.keep + findings.insufficient + findings.no_benchmark
    assert "22" not in {f.number for f in everything}
    entry = AuditEntry.objects.get(action="research.assessment.saved")
    assert entry.actor == cast.ruben and entry.data["municipality"] == cast.voorbeeld.code
    assert entry.data["items"]["20"] == {"value": "no", "note": "Alleen via DigiD"}

    # clearing an answer removes it (and is audited); saving the same again changes nothing
    post(client, assessment_url(wave, cast.voorbeeld.code), {**data, "value_15": ""})
    assert not rows.filter(item="15").exists()
    post(client, assessment_url(wave, cast.voorbeeld.code), {**data, "value_15": ""})
    assert AuditEntry.objects.filter(action="research.assessment.saved").count() == 2


def test_manual_items_cannot_be_answered_partly(wave: Wave, cast: Cast) -> None:
    body = post(
        client_for(cast.ruben), assessment_url(wave, cast.voorbeeld.code), {"value_15": "partly"}
    )
    assert "utrecht-form-field--invalid" in body
    assert not ManualAssessment.objects.exists()
    with pytest.raises(ValidationError):
        assessments_save(
            wave=wave,
            organisation=cast.voorbeeld,
            answers={"22": AssessmentInput("partly")},
            actor=cast.ruben,
        )


def test_the_viewer_fills_in_only_the_self_assessment_of_their_own_municipality(
    cast: Cast,
) -> None:
    wave = rf.open_wave(rf.own_study(cast))
    client = client_for(cast.vera)
    assert (
        reverse("research:self_assessment_list")
        in client.get(reverse("research:result_list")).content.decode()
    )
    listing = client.get(reverse("research:self_assessment_list")).content.decode()
    url = reverse("research:self_assessment", args=[wave.pk])
    assert url in listing
    body = client.get(url).content.decode()
    assert 'name="value_25"' in body and 'name="value_15"' not in body
    post(client, url, {"value_27": "no", "value_15": "no"})
    rows = ManualAssessment.objects.filter(wave=wave, organisation=cast.voorbeeld)
    assert [(r.item, r.value, r.updated_by) for r in rows] == [("27", "no", cast.vera)]
    entry = AuditEntry.objects.get(action="research.assessment.saved")
    assert entry.organisation == cast.voorbeeld
    with pytest.raises(ValidationError):
        assessments_save(
            wave=wave,
            organisation=cast.voorbeeld,
            answers={"15": AssessmentInput("yes")},
            actor=cast.vera,
            allowed=[str(n) for n in range(25, 35)],
        )
    # another municipality's viewer cannot reach it
    assert client_for(cast.dirk).get(url).status_code == 404
    assert (
        url
        not in client_for(cast.dirk).get(reverse("research:self_assessment_list")).content.decode()
    )


# -- the lead's edits -------------------------------------------------------------------------


def test_the_findings_page_shows_the_automatic_findings(wave: Wave, cast: Cast) -> None:
    body = client_for(cast.ruben).get(findings_url(wave, cast.voorbeeld.code)).content.decode()
    assert WORDING_17B in body
    assert "Telefoon en e-mail bieden dezelfde kwaliteit." in body  # item 23, keep
    assert 'id="finding-improve-17b"' in body


def test_the_lead_edits_hides_resets_and_adds_findings(wave: Wave, cast: Cast) -> None:
    client, url = client_for(cast.ruben), findings_url(wave, cast.voorbeeld.code)
    edit = {"item": "17b", "kind": "improve"}

    post(client, url, {**edit, "action": "save", "text": "Antwoord sneller op e-mails."})
    assert texts(wave, cast)["17b"] == "Antwoord sneller op e-mails."
    assert "Antwoord sneller op e-mails." in client.get(url).content.decode()

    post(client, url, {**edit, "action": "hide"})
    assert "17b" not in texts(wave, cast)
    row = FindingEdit.objects.get(item="17b")
    assert (row.hidden, row.text, row.updated_by) == (
        True,
        "Antwoord sneller op e-mails.",
        cast.ruben,
    )

    post(client, url, {**edit, "action": "show"})
    assert texts(wave, cast)["17b"] == "Antwoord sneller op e-mails."

    post(client, url, {**edit, "action": "reset"})
    assert texts(wave, cast)["17b"].startswith(WORDING_17B)
    assert not FindingEdit.objects.exists()

    post(client, url, {"kind": "keep", "action": "add", "text": "Medewerkers denken mee."})
    free = FindingEdit.objects.get(item="")
    assert texts(wave, cast, "keep")[f"free-{free.pk}"] == "Medewerkers denken mee."
    post(client, url, {"kind": "keep", "key": str(free.pk), "action": "update", "text": "Anders."})
    assert texts(wave, cast, "keep")[f"free-{free.pk}"] == "Anders."
    post(client, url, {"kind": "keep", "key": str(free.pk), "action": "delete"})
    assert not FindingEdit.objects.exists()

    actions = list(
        AuditEntry.objects.filter(action__startswith="research.finding.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "research.finding.edited",
        "research.finding.hidden",
        "research.finding.shown",
        "research.finding.reset",
        "research.finding.added",
        "research.finding.edited",
        "research.finding.deleted",
    ]
    first = AuditEntry.objects.filter(action="research.finding.edited").order_by("id").first()
    assert first is not None and first.actor == cast.ruben
    assert first.data == {
        "wave": wave.name,
        "municipality": cast.voorbeeld.code,
        "item": "17b",
        "kind": "improve",
        "before": "",
        "text": "Antwoord sneller op e-mails.",
    }


def test_saving_the_automatic_wording_unchanged_stores_no_edit(wave: Wave, cast: Cast) -> None:
    client, url = client_for(cast.ruben), findings_url(wave, cast.voorbeeld.code)
    automatic = texts(wave, cast)["17b"]
    post(client, url, {"item": "17b", "kind": "improve", "action": "save", "text": automatic})
    post(client, url, {"item": "17b", "kind": "improve", "action": "show"})  # already shown
    assert not FindingEdit.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="research.finding.").exists()


def test_an_empty_own_finding_or_an_unknown_item_is_refused(wave: Wave, cast: Cast) -> None:
    client, url = client_for(cast.ruben), findings_url(wave, cast.voorbeeld.code)
    post(client, url, {"kind": "improve", "action": "add", "text": "  "})
    post(client, url, {"item": "99", "kind": "improve", "action": "save", "text": "x"})
    assert not FindingEdit.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="research.finding.").exists()


def test_edits_survive_new_observations_and_the_rest_is_scored_again(
    wave: Wave, cast: Cast, tmp_path: Path
) -> None:
    finding_wording_save(
        wave=wave,
        organisation=cast.voorbeeld,
        item="17b",
        kind="improve",
        text="Antwoord sneller op e-mails.",
        actor=cast.ruben,
    )
    before = texts(wave, cast)
    assert "benchmark 40,0 %" in before["1"]  # item 1: 2 of 5 within 20 s, only Voorbeeld
    # Gemeente Anders joins the wave: every call unreached, the benchmark of item 1 drops
    _import(
        tmp_path, with_municipality(unreached(OBSERVATIONS), cast.anders.code, "Anders"), "2.csv"
    )
    after = texts(wave, cast)
    assert after["17b"] == "Antwoord sneller op e-mails."
    assert "benchmark 20,0 %" in after["1"]


def test_after_publishing_nothing_can_change(wave: Wave, cast: Cast) -> None:
    wave.status = WaveStatus.PUBLISHED
    wave.save(update_fields=["status"])
    client = client_for(cast.ruben)
    page = client.get(findings_url(wave, cast.voorbeeld.code)).content.decode()
    assert 'name="action"' not in page
    body = post(
        client,
        findings_url(wave, cast.voorbeeld.code),
        {"item": "17b", "kind": "improve", "action": "save", "text": "Te laat."},
    )
    assert 'role="alert"' in body or "utrecht-alert" in body
    post(client, assessment_url(wave, cast.voorbeeld.code), {"value_15": "yes"})
    assert not FindingEdit.objects.exists() and not ManualAssessment.objects.exists()
    with pytest.raises(ValidationError):
        finding_wording_save(
            wave=wave,
            organisation=cast.voorbeeld,
            item="17b",
            kind="improve",
            text="Te laat.",
            actor=cast.ruben,
        )


def test_the_municipalitys_results_page_shows_the_edited_findings(wave: Wave, cast: Cast) -> None:
    finding_wording_save(
        wave=wave,
        organisation=cast.voorbeeld,
        item="17b",
        kind="improve",
        text="Antwoord sneller op e-mails.",
        actor=cast.ruben,
    )
    wave.status = WaveStatus.PUBLISHED
    wave.save(update_fields=["status"])
    body = client_for(cast.vera).get(reverse("research:result_detail", args=[wave.pk]))
    text = body.content.decode()
    assert "17b. Antwoord sneller op e-mails." in text
    assert WORDING_17B not in text


# -- who may ----------------------------------------------------------------------------------


def test_only_the_lead_of_the_owning_agency_reaches_the_pages(wave: Wave, cast: Cast) -> None:
    urls = [findings_url(wave, cast.voorbeeld.code), assessment_url(wave, cast.voorbeeld.code)]
    other_lead = make_user("olaf", rf.other_agency(), Role.RESEARCH_LEAD)
    for url in urls:
        assert client_for(cast.ruben).get(url).status_code == 200
        assert client_for(other_lead).get(url).status_code == 404
        assert client_for(cast.dirk).get(url).status_code == 403
        assert client_for(cast.vera).get(url).status_code == 403
        response = client_for(other_lead).post(url, {"value_15": "yes", "action": "hide"})
        assert response.status_code == 404
    # a municipality that is not in the study
    assert client_for(cast.ruben).get(findings_url(wave, cast.anders.code)).status_code == 404
    assert not ManualAssessment.objects.exists() and not FindingEdit.objects.exists()

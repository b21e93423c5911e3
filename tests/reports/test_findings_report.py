"""The findings of the municipality report: the lead's edits, the self-assessment section
"Hoe zit dat in mijn gemeente?" with its links, English wording and the workbook listing
every item (METHODOLOGY.md §3)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from meetlat.organisations.models import Organisation
from meetlat.reports.research_reports import MunicipalityReport
from meetlat.reports.selectors import wave_data_get
from meetlat.research.models import Study
from meetlat.research.services.findings import (
    AssessmentInput,
    assessments_save,
    finding_free_add,
    finding_hidden_set,
    finding_wording_save,
)
from tests.conftest import Cast
from tests.reports.conftest import ImportRows
from tests.reports.pdftext import page_texts
from tests.reports.test_municipality_report import workbook
from tests.research.samples import CODE, OBSERVATIONS, with_municipality

#: Five municipalities with the same observations: every rate equals its benchmark. The PDF
#: shows improve items 17b, 1, 9, 13, 16, 17a (18b is the seventh); 9 links to 25 and 30,
#: 13 to 26 and 28; items 3-5 are to keep.
ANSWERS = {"25": "no", "26": "yes", "27": "no", "28": "no", "30": "partly", "33": "partly"}
EDITED = "Beantwoord elke e-mail binnen twee werkdagen; nu lukt dat bij 2 van de 5."
OWN = "Zet de chat ook op zaterdag open."


@pytest.fixture
def study(import_rows: ImportRows) -> Study:
    rows = [r for i in range(1, 6) for r in with_municipality(OBSERVATIONS, f"GM990{i}", f"D{i}")]
    return import_rows(rows)


def report(study: Study, language: str | None = None) -> MunicipalityReport:
    return MunicipalityReport(
        wave_data_get(study=study, wave=study.waves.get()), CODE, language=language
    )


def answer(study: Study, cast: Cast, answers: dict[str, str]) -> None:
    assessments_save(
        wave=study.waves.get(),
        organisation=Organisation.objects.get(code=CODE),
        answers={
            item: AssessmentInput(value, f"Toelichting {item}") for item, value in answers.items()
        },
        actor=cast.ruben,
    )


def edit(study: Study, cast: Cast) -> None:
    """17b reworded, item 1 hidden, a finding of the lead's own."""
    wave, organisation = study.waves.get(), Organisation.objects.get(code=CODE)
    finding_wording_save(
        wave=wave,
        organisation=organisation,
        item="17b",
        kind="improve",
        text=EDITED,
        actor=cast.ruben,
    )
    finding_hidden_set(
        wave=wave,
        organisation=organisation,
        item="1",
        kind="improve",
        hidden=True,
        actor=cast.ruben,
    )
    finding_free_add(
        wave=wave, organisation=organisation, kind="improve", text=OWN, actor=cast.ruben
    )


def test_without_edits_no_finding_is_marked_as_the_leads(study: Study) -> None:
    text = " ".join(page_texts(report(study).render_html()))
    assert "onderzoeksleider" not in text


def test_without_answers_there_is_no_self_assessment_section(study: Study) -> None:
    html = report(study).render_html()
    assert 'class="self-assessment"' not in html and "#self-assessment-" not in html


def test_partly_and_no_answers_are_listed_and_linked_from_the_improve_items(
    study: Study, cast: Cast
) -> None:
    answer(study, cast, ANSWERS)
    municipality = report(study)
    findings = municipality.report_findings()
    section = [(e.number, e.answer, e.linked_from) for e in findings.self_assessment]
    assert section == [
        (25, "no", ("9",)),
        (27, "no", ()),
        (28, "no", ("13",)),
        (30, "partly", ("9",)),
        (33, "partly", ()),
    ]
    links = {f.number: f.links for f in findings.improve}
    assert links == {"17b": (), "1": (), "9": (25, 30), "13": (28,), "16": (), "17a": ()}
    html = municipality.render_html()
    for number in (25, 27, 28, 30, 33):
        assert f'id="self-assessment-{number}"' in html
    assert 'id="self-assessment-26"' not in html  # answered yes
    assert '<a href="#self-assessment-25">25</a>' in html
    assert "Telefooncentrale en routering" in html and "Toelichting 25" in html
    text = " ".join(page_texts(html))
    with translation.override("nl"):
        assert str(translation.gettext("How is that in my municipality?")) in text


def test_manual_items_appear_as_findings_in_the_report(study: Study, cast: Cast) -> None:
    answer(study, cast, {"15": "no", "22": "yes"})
    municipality = report(study)
    improve, _keep = municipality.findings_shown()
    # a single-value item not met is 100 % off: it comes first
    assert improve[0] == ("15", "Maak het keuzemenu kort en duidelijk.")
    # met, it has margin 0 and follows the keep items by number (beyond the six shown)
    edited = municipality.report_findings().edited
    keep = [(f.number, f.text) for f in edited.keep]
    assert ("22", "Inwoners kunnen melden dat hun vraag niet is beantwoord.") in keep
    assert "20" not in {f.number for f in edited.improve + edited.keep}


def test_the_pdf_uses_the_edited_findings(study: Study, cast: Cast) -> None:
    answer(study, cast, ANSWERS)
    automatic_1 = dict(report(study).findings_shown()[0])["1"]
    edit(study, cast)
    municipality = report(study)
    improve, _keep = municipality.findings_shown()
    assert [n for n, _t in improve] == ["17b", "9", "13", "16", "17a", "18b", ""]
    assert dict(improve)["17b"] == EDITED and dict(improve)[""] == OWN
    text = " ".join(page_texts(municipality.render_html()))
    assert EDITED in text and OWN in text
    assert f"{EDITED} *" in text and f"{OWN} *" in text  # marked as the lead's wording
    assert "* Geformuleerd of toegevoegd door de onderzoeksleider" in text
    assert text.count(" *") == 3  # two marked findings and the footnote
    assert (
        automatic_1 not in text and "Nu 40,0 % (2 van 5); benchmark 40,0 %; norm 85,0" not in text
    )


def test_the_workbook_lists_every_item_with_edits_and_answers(study: Study, cast: Cast) -> None:
    answer(study, cast, {**ANSWERS, "22": "yes"})
    edit(study, cast)
    municipality = report(study)
    rows = list(workbook(municipality).values())[2]
    numbers = [r["number"] for r in rows]
    for item in ("15", "20", "22", *map(str, range(25, 35))):
        assert numbers.count(item) == 1, item
    by_number = {r["number"]: r for r in rows if r["number"]}
    assert by_number["17b"]["text"] == f"Verbeteren. {EDITED}"
    assert by_number["17b"]["edited"] is True and by_number["17b"]["in_report"] is True
    assert str(by_number["17b"]["automatic_text"]).startswith("Verbeteren. Beantwoord e-mails")
    assert by_number["1"]["hidden"] is True and by_number["1"]["in_report"] is False
    assert by_number["18b"]["in_report"] is True  # moved up in place of item 1
    assert by_number["22"]["note"] == "Toelichting 22" and by_number["22"]["k"] == 1
    assert by_number["20"]["answer"] == by_number["15"]["answer"]  # both not answered
    assert by_number["25"]["linked_from"] == "9"
    assert by_number["34"]["answer"] and by_number["34"]["note"] is None
    [own] = [r for r in rows if not r["number"]]
    assert own["text"] == f"Verbeteren. {OWN}"
    assert len(rows) == municipality.findings_total()


def test_english_reports_word_the_findings_in_english(study: Study, cast: Cast) -> None:
    answer(study, cast, {"15": "yes", "25": "no"})
    finding_free_add(
        wave=study.waves.get(),
        organisation=Organisation.objects.get(code=CODE),
        kind="keep",
        text="Medewerkers denken mee.",
        actor=cast.ruben,
    )
    municipality = report(study, "en")
    improve, keep = municipality.findings_shown()
    assert improve[0] == (
        "17b",
        "Answer e-mails within 2 working days. Now 40.0 % (2 of 5); benchmark 40.0 %; norm 85.0 %.",
    )
    assert keep[-1] == ("", "Medewerkers denken mee.")  # as written
    edited = municipality.report_findings().edited
    assert ("15", "The phone menu is short and clear.") in [(f.number, f.text) for f in edited.keep]
    html = municipality.render_html()
    assert "Telephone exchange and routing" in html
    section = re.search(r'<section class="self-assessment">.*?</section>', html, re.DOTALL)
    assert section is not None and "Telefooncentrale" not in section.group(0)
    rows = list(workbook(municipality).values())[2]
    text = next(r for r in rows if r["number"] == "17b")["text"]
    assert str(text).startswith("Improve. Answer e-mails within 2 working days.")

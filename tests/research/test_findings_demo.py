"""The demo study has manual items and a self-assessment, so its reports show the section
"Hoe zit dat in mijn gemeente?" (METHODOLOGY.md §3)."""

from __future__ import annotations

import pytest

from meetlat.reports.research_reports import MunicipalityReport
from meetlat.reports.selectors import wave_data_get
from meetlat.research.demo import demo_assessments
from meetlat.research.models import ManualAssessment, Study
from meetlat.web.demo import demo_load


def test_demo_answers_are_reproducible_and_valid() -> None:
    answers = demo_assessments("GM9901", "1-meting")
    assert answers == demo_assessments("GM9901", "1-meting")
    for item, value in answers.items():
        assert value in (("yes", "no") if item in ("15", "20", "22") else ("yes", "partly", "no"))


@pytest.mark.django_db
def test_the_demo_reports_show_the_self_assessment() -> None:
    demo_load()
    count = ManualAssessment.objects.count()
    demo_load()
    assert ManualAssessment.objects.count() == count > 0
    study = Study.objects.get()
    wave = study.waves.get(name="1-meting")
    data = wave_data_get(study=study, wave=wave)
    sections = [
        MunicipalityReport(data, entry["code"]).report_findings().self_assessment
        for entry in data.score["municipalities"]
    ]
    assert any(sections)
    assert any(e.linked_from for section in sections for e in section)

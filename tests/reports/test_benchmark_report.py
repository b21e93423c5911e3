"""The benchmark report: ranking, anonymisation and the national-only grade (§2.1, §2.5)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from meetlat.reports.research_reports import BenchmarkReport, letters
from meetlat.reports.selectors import wave_data_get
from meetlat.research.models import Study
from tests.reports.conftest import OTHER_CODE, OTHER_NAME
from tests.research.samples import CODE, NAME


def report_of(study: Study, **kwargs: str) -> BenchmarkReport:
    return BenchmarkReport(wave_data_get(study=study, wave=study.waves.get()), **kwargs)


def test_municipalities_are_ranked_by_overall_grade(two_municipalities: Study) -> None:
    report = report_of(two_municipalities)
    ranking = report.ranking()
    assert [(r.rank, r.code, r.name) for r in ranking] == [
        (1, CODE, NAME),
        (2, OTHER_CODE, OTHER_NAME),
    ]
    assert ranking[0].overall == pytest.approx(5.469824, abs=1e-6)
    assert ranking[1].overall == 1.0 and ranking[1].band == "onvoldoende"
    html = report.render_html()
    assert NAME in html and OTHER_NAME in html and "5,47" in html and "1,00" in html


def test_an_anonymised_benchmark_names_no_municipality(two_municipalities: Study) -> None:
    two_municipalities.anonymise_benchmark = True
    two_municipalities.save(update_fields=["anonymise_benchmark"])
    report = report_of(two_municipalities)
    html = report.render_html()
    with translation.override("nl"):
        first, second = (_("Municipality %(letter)s") % {"letter": x} for x in "AB")
    assert [r.name for r in report.ranking()] == [first, second]
    workbook = load_workbook(io.BytesIO(report.render_xlsx()))
    cells = " ".join(
        str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row
    )
    for secret in (NAME, OTHER_NAME, CODE, OTHER_CODE):
        assert secret not in html and secret not in cells
    assert first in html and first in cells


def test_municipality_specific_scenarios_add_a_national_only_grade(study: Study) -> None:
    study.scenarios.filter(channel="email").update(national=False)
    report = report_of(study)
    [row] = report.ranking()
    assert row.overall == pytest.approx(5.469824, abs=1e-6)
    assert row.national_overall == pytest.approx(5.679735, abs=1e-6)  # phone only
    html = report.render_html()
    with translation.override("nl"):
        assert _("National scenarios only") in html
    assert "5,68" in html


def test_without_specific_scenarios_there_is_no_national_only_column(study: Study) -> None:
    report = report_of(study)
    assert report.ranking()[0].national_overall is None
    with translation.override("nl"):
        assert _("National scenarios only") not in report.render_html()


def test_the_benchmark_pdf_is_a_pdf(two_municipalities: Study) -> None:
    assert report_of(two_municipalities).render_pdf().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("index", "name"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_anonymous_letters_run_like_spreadsheet_columns(index: int, name: str) -> None:
    assert letters(index) == name

"""The municipality report of worked examples A and B (METHODOLOGY.md §2.6, §2.7, §3)."""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from meetlat.reports.research_context import FINDINGS_SHOWN, band_label
from meetlat.reports.research_reports import MunicipalityReport, ReportInputError
from meetlat.reports.selectors import WaveData, wave_data_get
from meetlat.research.models import Study
from tests.reports.conftest import STUDY, ImportRows, unreached
from tests.reports.pdftext import page_texts
from tests.research.samples import CODE, OBSERVATIONS, with_municipality

#: Question grades S of §2.6 and §2.7, by scenario.
S = {
    "T1": 9.2125, "T2": 6.58, "T3": 2.665, "T4": 1.0, "T5": 8.941176,
    "M1": 9.1, "M2": 6.175, "M3": 7.975, "M4": 1.0, "M5": 1.0,
}  # fmt: skip


def workbook(report: MunicipalityReport) -> dict[str, list[dict[str, object]]]:
    """Each sheet as a list of {column key: value}, using the keys the exporter declares."""
    book = load_workbook(io.BytesIO(report.render_xlsx()))
    with translation.override(report.language):
        sheets = list(report.sheets())
    result: dict[str, list[dict[str, object]]] = {}
    for declared, sheet in zip(sheets, book.worksheets, strict=True):
        keys = [c.key for c in declared.columns]
        body = list(sheet.iter_rows(min_row=2, values_only=True))
        result[sheet.title] = [dict(zip(keys, row, strict=False)) for row in body]
    return result


def test_html_shows_the_worked_example_grades_with_dutch_decimals(data: WaveData) -> None:
    html = MunicipalityReport(data, CODE).render_html()
    # phone grade and potential, e-mail grade and potential, overall, P − G per channel
    for number in ("5,68", "8,07", "5,05", "7,75", "5,47", "2,39", "2,70"):
        assert number in html, number
    with translation.override("nl"):
        assert f'<span class="band">{band_label("onvoldoende")}</span>' in html
    assert '<td class="key">onvoldoende</td>' in html  # the band table of the method annex
    text = re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)  # the chart has coordinates
    assert "5.68" not in text and "5,679735" not in text


def test_pdf_pages_carry_the_numbers_the_header_and_the_footer(data: WaveData) -> None:
    report = MunicipalityReport(data, CODE)
    assert report.render_pdf().startswith(b"%PDF")
    pages = page_texts(report.render_html())
    assert len(pages) >= 4
    assert "Meetdorp (GM9901)" in pages[0] and STUDY in pages[0]
    assert f"{STUDY} · 0-meting · Meetdorp" in pages[1]
    summary = pages[1]
    for number in ("5,68", "8,07", "5,05", "7,75", "5,47"):
        assert number in summary
    assert "(Europe/Amsterdam)" in pages[-1]


def test_english_uses_decimal_points(data: WaveData) -> None:
    html = MunicipalityReport(data, CODE, language="en").render_html()
    assert 'lang="en"' in html and "5.68" in html and "5.47" in html and "5,68" not in html


def test_findings_use_the_wording_of_section_3(data: WaveData) -> None:
    improve, keep = MunicipalityReport(data, CODE).findings_shown()
    assert ("17b", "Beantwoord e-mails binnen 2 werkdagen. Nu 40,0 % (2 van 5); benchmark 40,0 %;"
            " norm 85,0 %.") in improve  # fmt: skip
    assert keep == [("23", "Telefoon en e-mail bieden dezelfde kwaliteit.")]


def test_the_pdf_shows_six_findings_of_each_kind_and_the_workbook_all(
    import_rows: ImportRows,
) -> None:
    rows = [r for i in range(1, 6) for r in with_municipality(OBSERVATIONS, f"GM990{i}", f"D{i}")]
    study = import_rows(rows)
    report = MunicipalityReport(wave_data_get(study=study, wave=study.waves.get()), CODE)
    improve, keep = report.findings_shown()
    assert len(improve) == len(keep) == FINDINGS_SHOWN
    assert report.render_html().count('<span class="item">') == 2 * FINDINGS_SHOWN
    findings = list(workbook(report).values())[2]
    decisions = [f["decision"] for f in findings]
    with translation.override("nl"):
        improve_label, keep_label = pgettext("finding", "Improve"), pgettext("finding", "Keep")
    assert decisions.count(str(improve_label)) == 7 and decisions.count(str(keep_label)) == 13
    assert len(findings) == report.findings_total() > 2 * FINDINGS_SHOWN
    item_1 = next(f for f in findings if f["number"] == "1")
    counts = tuple(item_1[k] for k in ("k", "n", "benchmark_k", "benchmark_n"))
    assert counts == (2, 5, 10, 25)
    assert item_1["r"] == pytest.approx(0.4) and item_1["norm"] == pytest.approx(0.8)


def test_workbook_holds_every_observation_and_recomputes_the_grades(data: WaveData) -> None:
    report = MunicipalityReport(data, CODE)
    book = workbook(report)
    with translation.override("nl"):
        names = [str(_(n)) for n in ("Observations", "Scores", "Findings", "Method")]
    assert list(book) == names
    observations, scores = book[names[0]], book[names[1]]
    assert len(observations) == 10
    assert {o["scenario"]: o["S"] for o in observations} == pytest.approx(S, abs=1e-6)
    by_key = {s["key"]: s for s in scores}
    for channel in ("phone", "email"):
        own = [o for o in observations if o["channel"] == channel]
        grade = statistics.fmean(o["S"] for o in own)  # type: ignore[misc]
        potentials = [o["potential_S"] for o in own if o["potential_S"] is not None]
        assert by_key[channel]["grade"] == pytest.approx(grade, abs=1e-12)
        assert by_key[channel]["potential"] == pytest.approx(statistics.fmean(potentials))  # type: ignore[arg-type]
        assert by_key[channel]["answered"] == sum(o["answered"] is True for o in own)
    assert by_key["phone"]["grade"] == pytest.approx(5.679735, abs=1e-6)
    assert by_key["phone"]["potential"] == pytest.approx(8.070625, abs=1e-6)
    overall = by_key["overall"]
    assert overall["grade"] == pytest.approx(5.469824, abs=1e-6)
    assert (overall["band"], overall["rank"], overall["ranked"]) == ("onvoldoende", 1, 1)
    t1 = next(o for o in observations if o["scenario"] == "T1")
    assert t1["planned_at"] == dt.datetime(2026, 4, 14, 9, 0)  # local Amsterdam time, naive
    assert t1["wait_s"] == 14 and t1["reachability"] == 1 and t1["bejegening"] == 0.75
    m3 = next(o for o in observations if o["scenario"] == "M3")
    assert (m3["acknowledgement"], m3["timeliness"]) == (0.5, 0.5)
    assert m3["sent_at"] == dt.datetime(2026, 5, 4, 17, 45)


def test_a_scenario_named_like_a_formula_stays_text(import_rows: ImportRows) -> None:
    formula = '=HYPERLINK("http://example.invalid","klik")'
    rows = with_municipality([{**OBSERVATIONS[0], "scenario": formula}, *OBSERVATIONS[1:]])
    study = import_rows(rows)
    report = MunicipalityReport(wave_data_get(study=study, wave=study.waves.get()), CODE)
    book = load_workbook(io.BytesIO(report.render_xlsx()))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    [cell] = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cell.value == "'" + formula and cell.data_type == "s"
    every_cell = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in every_cell)


def test_without_an_earlier_wave_there_is_no_trend(data: WaveData) -> None:
    assert MunicipalityReport(data, CODE).trend() is None


def test_trend_against_the_previous_wave(study: Study, import_rows: ImportRows) -> None:
    import_rows(with_municipality(unreached(OBSERVATIONS)), wave="1-meting")
    wave = study.waves.get(name="1-meting")
    report = MunicipalityReport(wave_data_get(study=study, wave=wave), CODE)
    trend = report.trend()
    assert trend is not None and trend["wave"] == "0-meting"
    (phone_label, phone), (_email_label, email) = trend["channels"]
    grade = phone[0]
    assert (grade.before, grade.after) == (pytest.approx(5.679735, abs=1e-6), 1.0)
    assert grade.delta == pytest.approx(-4.679735, abs=1e-6) and grade.flag == "down"
    reachability = phone[1]  # 1, .5, .5, 0, 1 → all 0: Δ −0.6, SE √(0.175/5) = 0.187
    assert reachability.delta == pytest.approx(-0.6) and reachability.flag == "down"
    in_one_go = phone[2]
    assert in_one_go.flag == "insufficient"  # 4 reached questions before, none after
    assert email[0].flag == "down"
    html = report.render_html()
    assert "0-meting" in html and "1-meting" in html and "\u22124,68" in html


def test_a_municipality_without_observations_has_no_report(data: WaveData) -> None:
    with pytest.raises(ReportInputError, match="GM9999 has no observations"):
        MunicipalityReport(data, "GM9999")

"""The findings of a municipality report (METHODOLOGY.md §3) as the report shows them: the
automatic keep / improve findings with the research lead's edits, the self-assessment section
"Hoe zit dat in mijn gemeente?" and the links between the two, and every item for the
workbook."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext_lazy

from meetlat.calc.finding_edits import EditedFindings, ShownFinding, apply_edits
from meetlat.calc.findings import (
    ITEM_BY_NUMBER,
    SELF_ASSESSMENT,
    MunicipalityFindings,
    item_label,
    self_assessment_label,
    self_assessment_section,
)
from meetlat.reports.research_context import FINDINGS_SHOWN
from meetlat.reports.selectors import WaveData
from meetlat.research.finding_selectors import Answer, self_answers, wording_language
from meetlat.research.models import MANUAL_ITEMS, AssessmentValue

NOT_ANSWERED: Final = gettext_lazy("Not answered")


@dataclass(frozen=True)
class ReportFinding:
    """A finding in the PDF: item number (empty for the lead's own), wording, and the
    self-assessment items of the report it links to."""

    number: str
    text: str
    links: tuple[int, ...] = ()
    by_lead: bool = False  # reworded or added by the research lead: marked in the PDF


@dataclass(frozen=True)
class SelfAssessmentRow:
    """An item of "Hoe zit dat in mijn gemeente?": answered partly or no."""

    number: int
    label: str
    answer: str
    answer_label: str
    note: str
    linked_from: tuple[str, ...]


@dataclass(frozen=True)
class ItemRow:
    """A manual or self-assessment item for the workbook, answered or not."""

    number: str
    label: str
    answer: str
    answer_label: str
    note: str
    linked_from: tuple[str, ...]


@dataclass(frozen=True)
class ReportFindings:
    findings: MunicipalityFindings | None
    edited: EditedFindings
    improve: tuple[ReportFinding, ...]
    keep: tuple[ReportFinding, ...]
    self_assessment: tuple[SelfAssessmentRow, ...]
    items: tuple[ItemRow, ...]
    language: str

    def answer(self, number: str) -> ItemRow | None:
        """The answer of a manual or self-assessment item, if given."""
        return next((i for i in self.items if i.number == number and i.answer), None)

    def in_report(self, shown: ShownFinding) -> bool:
        return shown in self.edited.shown(shown.kind, FINDINGS_SHOWN)


def answer_label(value: str) -> str:
    return str(AssessmentValue(value).label) if value else str(NOT_ANSWERED)


def _item_label(number: str, language: str) -> str:
    if number in ITEM_BY_NUMBER:
        return item_label(ITEM_BY_NUMBER[number], language)
    return self_assessment_label(int(number), language)


def report_findings(data: WaveData, code: str, language: str | None) -> ReportFindings:
    """What the report of municipality ``code`` shows, in ``language`` (a Django code)."""
    wording = wording_language(language)
    findings = data.findings.get(code)
    edited = apply_edits(findings, data.edits.get(code, ()), language=wording)
    answers: Mapping[str, Answer] = data.answers.get(code, {})
    shown_improve = edited.shown("improve", FINDINGS_SHOWN)
    visible = [f.finding for f in shown_improve if f.finding is not None]
    section = self_assessment_section(visible, self_answers(answers), wording)
    in_section = {entry.number for entry in section}

    def links(shown: ShownFinding) -> tuple[int, ...]:
        own = shown.finding.links if shown.finding is not None else ()
        return tuple(n for n in own if n in in_section)

    linked = {entry.number: entry.linked_from for entry in section}
    items = tuple(
        ItemRow(
            number,
            _item_label(number, wording),
            answers[number].value if number in answers else "",
            answer_label(answers[number].value if number in answers else ""),
            answers[number].note if number in answers else "",
            linked.get(int(number), ()) if number not in MANUAL_ITEMS else (),
        )
        for number in (*MANUAL_ITEMS, *(str(n) for n in SELF_ASSESSMENT))
    )
    return ReportFindings(
        findings=findings,
        edited=edited,
        improve=tuple(
            ReportFinding(f.number, f.text, links(f), f.edited or f.free) for f in shown_improve
        ),
        keep=tuple(
            ReportFinding(f.number, f.text, (), f.edited or f.free)
            for f in edited.shown("keep", FINDINGS_SHOWN)
        ),
        self_assessment=tuple(
            SelfAssessmentRow(
                e.number,
                e.label,
                e.answer,
                answer_label(e.answer),
                answers[str(e.number)].note,
                e.linked_from,
            )
            for e in section
        ),
        items=items,
        language=wording,
    )

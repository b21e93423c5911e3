"""Reads for the findings of a wave (METHODOLOGY.md §3): the manual and self-assessment
answers, the research lead's edits, and the findings derived with them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.finding_edits import Edit, EditedFindings, Kind, apply_edits
from meetlat.calc.findings import MunicipalityFindings, SelfAnswer, study_findings
from meetlat.calc.observations import Observation as ObservationValues
from meetlat.organisations.models import Organisation
from meetlat.organisations.selectors import calendar_for
from meetlat.research.models import (
    MANUAL_ITEMS,
    SELF_ASSESSMENT_ITEMS,
    AssessmentValue,
    FindingEdit,
    ManualAssessment,
    Wave,
    WaveStatus,
)
from meetlat.research.selectors import observation_list


@dataclass(frozen=True)
class Answer:
    """A manual or self-assessment answer: ``yes``, ``partly`` or ``no``, with a note."""

    value: str
    note: str


_SELF_ANSWERS: dict[str, SelfAnswer] = {"yes": "yes", "partly": "partly", "no": "no"}

#: Per municipality code: item number ("15", "25" …) → answer. Unanswered items are absent.
Answers = Mapping[str, Mapping[str, Answer]]


def wave_answers_get(*, wave: Wave) -> dict[str, dict[str, Answer]]:
    """Every answered manual and self-assessment item of the wave, by municipality code."""
    answers: dict[str, dict[str, Answer]] = {}
    rows = ManualAssessment.objects.filter(wave=wave).select_related("organisation")
    for row in rows:
        answers.setdefault(row.organisation.code, {})[row.item] = Answer(row.value, row.note)
    return answers


def assessments_get(*, wave: Wave, organisation: Organisation) -> dict[str, ManualAssessment]:
    """One municipality's answers in the wave, by item number (for the form)."""
    rows = ManualAssessment.objects.filter(wave=wave, organisation=organisation)
    return {row.item: row for row in rows.select_related("updated_by")}


def manual_flags(answers: Answers) -> dict[str, dict[str, bool]]:
    """Items 15, 20, 22 as calc wants them: met (yes) or not; unanswered ones absent."""
    return {
        code: {
            item: answer.value == AssessmentValue.YES
            for item, answer in own.items()
            if item in MANUAL_ITEMS
        }
        for code, own in answers.items()
    }


def self_answers(own: Mapping[str, Answer]) -> dict[int, SelfAnswer]:
    """Items 25-34 of one municipality as calc wants them."""
    result: dict[int, SelfAnswer] = {}
    for item, answer in own.items():
        value = _SELF_ANSWERS.get(answer.value)
        if item in SELF_ASSESSMENT_ITEMS and value is not None:
            result[int(item)] = value
    return result


def as_edit(row: FindingEdit) -> Edit:
    kind: Kind = "keep" if row.kind == "keep" else "improve"
    return Edit(item=row.item, kind=kind, text=row.text, hidden=row.hidden, key=str(row.pk))


def wave_edits_get(*, wave: Wave) -> dict[str, tuple[Edit, ...]]:
    """The research lead's edits of the wave, by municipality code."""
    edits: dict[str, list[Edit]] = {}
    rows = FindingEdit.objects.filter(wave=wave).select_related("organisation").order_by("id")
    for row in rows:
        edits.setdefault(row.organisation.code, []).append(as_edit(row))
    return {code: tuple(own) for code, own in edits.items()}


def findings_compute(
    *,
    wave: Wave,
    values: Sequence[ObservationValues],
    default: WorkCalendar,
    calendars: Mapping[str, WorkCalendar],
    answers: Answers,
) -> dict[str, MunicipalityFindings]:
    """The automatic findings of every municipality of the wave, manual items included."""
    return study_findings(
        values,
        default,
        calendars=calendars,
        manual=manual_flags(answers),
        weights=wave.study.scoring_weights(),
    )


def wave_findings_get(*, wave: Wave) -> dict[str, MunicipalityFindings]:
    """Load the wave's observations and answers and derive every municipality's findings."""
    rows = list(observation_list(wave=wave))
    organisations = {row.organisation.code: row.organisation for row in rows}
    return findings_compute(
        wave=wave,
        values=[row.as_values() for row in rows],
        default=calendar_for(organisation=None),
        calendars={code: calendar_for(organisation=o) for code, o in organisations.items()},
        answers=wave_answers_get(wave=wave),
    )


def municipality_findings_get(
    *, wave: Wave, organisation: Organisation, language: str
) -> tuple[MunicipalityFindings | None, EditedFindings]:
    """One municipality's automatic findings and the findings after the lead's edits."""
    findings = wave_findings_get(wave=wave).get(organisation.code)
    rows = FindingEdit.objects.filter(wave=wave, organisation=organisation).order_by("id")
    edits = [as_edit(row) for row in rows]
    return findings, apply_edits(findings, edits, language=language)


def wording_language(language: str | None) -> str:
    """The calc wording language of a Django language code: "en" or "nl"."""
    return "en" if (language or "").startswith("en") else "nl"


# -- scoped reads for the pages --------------------------------------------------------------


def participant_get(*, wave: Wave, code: str) -> Organisation | None:
    """The municipality with CBS code ``code`` if it takes part in the wave's study."""
    participant = (
        wave.study.participants.select_related("organisation")
        .filter(organisation__code=code)
        .first()
    )
    return participant.organisation if participant is not None else None


def waves_for_municipality(*, organisation: Organisation) -> QuerySet[Wave]:
    """Every wave of the studies a municipality takes part in."""
    return Wave.objects.filter(study__participants__organisation=organisation).select_related(
        "study"
    )


def open_wave_list_for_municipality(*, organisation: Organisation) -> QuerySet[Wave]:
    """Waves not yet published: the municipality may still fill in its self-assessment."""
    return (
        waves_for_municipality(organisation=organisation)
        .exclude(status=WaveStatus.PUBLISHED)
        .order_by("study__name", "order")
    )


def wave_get_for_municipality(*, organisation: Organisation, pk: int) -> Wave | None:
    return waves_for_municipality(organisation=organisation).filter(pk=pk).first()

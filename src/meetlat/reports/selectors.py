"""Reads for the research reports: one study wave loaded and scored once, so that a job
writing a report for every municipality does not score the study again for each of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.finding_edits import Edit
from meetlat.calc.findings import MunicipalityFindings
from meetlat.calc.observations import Observation as ObservationValues
from meetlat.calc.scoring import study_score
from meetlat.organisations.models import Organisation
from meetlat.organisations.selectors import calendar_for
from meetlat.research.finding_selectors import (
    Answer,
    findings_compute,
    wave_answers_get,
    wave_edits_get,
)
from meetlat.research.models import Observation, Study, Wave
from meetlat.research.selectors import observation_list


@dataclass(frozen=True)
class PreviousWave:
    """The wave before the reported one, for the trend (§2.8)."""

    wave: Wave
    values: tuple[ObservationValues, ...]


@dataclass(frozen=True)
class WaveData:
    """A study wave with its observations, calendars, score and findings."""

    study: Study
    wave: Wave
    rows: tuple[Observation, ...]
    values: tuple[ObservationValues, ...]
    default_calendar: WorkCalendar
    calendars: Mapping[str, WorkCalendar]
    score: Mapping[str, Any]
    findings: Mapping[str, MunicipalityFindings]
    previous: PreviousWave | None
    #: ``study score`` over national scenarios only, when municipality-specific ones exist.
    national_score: Mapping[str, Any] | None
    #: Manual and self-assessment answers by municipality code and item ("15", "25" …).
    answers: Mapping[str, Mapping[str, Answer]] = field(default_factory=dict)
    #: The research lead's edits of the findings, by municipality code.
    edits: Mapping[str, tuple[Edit, ...]] = field(default_factory=dict)

    def calendar(self, code: str) -> WorkCalendar:
        return self.calendars.get(code, self.default_calendar)

    def municipality(self, code: str) -> dict[str, Any] | None:
        """The municipality's entry of ``study score --json``, or None without observations."""
        return next((m for m in self.score["municipalities"] if m["code"] == code), None)

    def own_rows(self, code: str) -> list[Observation]:
        return [row for row in self.rows if row.organisation.code == code]

    def own_values(self, code: str) -> list[ObservationValues]:
        return [v for v in self.values if v.municipality == code]


def wave_previous(*, wave: Wave) -> Wave | None:
    """The wave of the same study just before ``wave`` (by order), if any."""
    return wave.study.waves.filter(order__lt=wave.order).order_by("-order").first()


def _score(
    study: Study,
    values: Sequence[ObservationValues],
    default: WorkCalendar,
    calendars: Mapping[str, WorkCalendar],
    names: Mapping[str, str],
) -> dict[str, Any]:
    return study_score(
        study.name,
        values,
        default,
        calendars=calendars,
        names=names,
        weights=study.scoring_weights(),
        channel_weights=study.scoring_channel_weights(),
    )


def wave_data_get(*, study: Study, wave: Wave) -> WaveData:
    """Load, score and decide the findings of one wave (METHODOLOGY.md §2.5, §3)."""
    rows = tuple(observation_list(wave=wave))
    values = tuple(row.as_values() for row in rows)
    organisations: dict[str, Organisation] = {
        row.organisation.code: row.organisation for row in rows
    }
    default = calendar_for(organisation=None)
    calendars = {code: calendar_for(organisation=o) for code, o in organisations.items()}
    names = {code: o.name for code, o in organisations.items()}
    answers = wave_answers_get(wave=wave)
    national = [v for v, row in zip(values, rows, strict=True) if row.scenario.national]
    previous = wave_previous(wave=wave)
    return WaveData(
        study=study,
        wave=wave,
        rows=rows,
        values=values,
        default_calendar=default,
        calendars=calendars,
        score=_score(study, values, default, calendars, names),
        findings=findings_compute(
            wave=wave, values=values, default=default, calendars=calendars, answers=answers
        ),
        previous=(
            PreviousWave(previous, tuple(r.as_values() for r in observation_list(wave=previous)))
            if previous is not None
            else None
        ),
        national_score=(
            _score(study, national, default, calendars, names)
            if len(national) < len(values)
            else None
        ),
        answers=answers,
        edits=wave_edits_get(wave=wave),
    )

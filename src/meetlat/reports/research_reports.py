"""The two mystery research reports (METHODOLOGY.md §2, §3), as exporters.

- :class:`MunicipalityReport`: one municipality of one wave; summary, chart, keep / improve
  findings, aspect results, trend against the previous wave and a method annex.
- :class:`BenchmarkReport`: every municipality of the wave, ranked, optionally anonymised.

Both take a :class:`~meetlat.reports.selectors.WaveData`, so a job scores a wave once.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from meetlat.calc.observations import CHANNELS
from meetlat.calc.trend import GRADE, trend_flag, wave_values
from meetlat.reports import charts
from meetlat.reports.exporters import Exporter, Sheet
from meetlat.reports.research_context import (
    ASPECT_LABELS,
    FLAG_LABELS,
    ReferenceRow,
    band_label,
    channel_label,
    grade_potential_chart,
    method_context,
    norm_marker,
    reference_rows,
    scored_channels,
)
from meetlat.reports.research_findings import ReportFindings, report_findings
from meetlat.reports.research_sheets import (
    RankingRow,
    findings_rows,
    findings_sheet,
    method_sheet,
    observation_sheet,
    ranking_sheet,
    score_sheet,
)
from meetlat.reports.selectors import WaveData

ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class ReportInputError(ValueError):
    """The report cannot be made from what was asked (e.g. no observations)."""


@dataclass(frozen=True)
class ChannelSummary:
    key: str
    label: str
    grade: float | None
    potential: float | None
    lost: float | None
    planned: int
    answered: int
    study_grade: float | None


@dataclass(frozen=True)
class AspectRow:
    label: str
    mean: float | None
    n: int


@dataclass(frozen=True)
class TrendRow:
    label: str
    before: float | None
    after: float | None
    delta: float | None
    flag: str
    flag_label: str


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _aspect_label(name: str) -> str:
    return str(ASPECT_LABELS[name])


class MunicipalityReport(Exporter):
    """The report of one municipality (DESIGN.md: ``study report NAME --org CODE``)."""

    template_name = "reports/municipality.html"

    def __init__(self, data: WaveData, code: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        entry = data.municipality(code)
        if entry is None:
            raise ReportInputError(
                f"{code} has no observations in wave {data.wave.name!r} of study "
                f"{data.study.name!r}."
            )
        self.data, self.code, self.entry = data, code, entry
        self.channels = scored_channels(entry)

    def title(self) -> str:
        return _("Mystery research report")

    # -- PDF ------------------------------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        data, entry = self.data, self.entry
        summaries = self.channel_summaries()
        norm = float(data.study.norm)
        findings = self.report_findings()
        return {
            "header": f"{data.study.name} · {data.wave.name} · {entry['name']}",
            "study": data.study.name,
            "wave": data.wave.name,
            "municipality": entry["name"],
            "code": self.code,
            "channels": summaries,
            "overall": entry["overall"],
            "band": entry["band"],
            "band_label": band_label(entry["band"]),
            "rank": entry["rank"],
            "ranked": sum(1 for m in data.score["municipalities"] if m["rank"] is not None),
            "norm": norm,
            "study_overall": data.score["reference"]["study"].get("overall"),
            "reference": self.reference(),
            "chart": mark_safe(  # noqa: S308 - SVG written by vl-convert, labels escaped
                grade_potential_chart(
                    [(s.label, s.grade, s.potential) for s in summaries], norm, self.language
                )
            ),
            "improve": findings.improve,
            "keep": findings.keep,
            "findings_by_lead": any(f.by_lead for f in (*findings.keep, *findings.improve)),
            "self_assessment": findings.self_assessment,
            "findings_total": len(findings_rows(findings)),
            "aspects": [(channel_label(c), self.aspect_rows(c)) for c in self.channels],
            "trend": self.trend(),
            "questions": self.questions(),
            "method": method_context(data.study, self.channels),
        }

    def channel_summaries(self) -> list[ChannelSummary]:
        means = self.data.score["reference"]["study"]
        summaries = []
        for c in self.channels:
            result = self.entry[c]
            grade, potential = result["grade"], result["potential"]
            lost = potential - grade if grade is not None and potential is not None else None
            study_grade = (means.get(c) or {}).get("grade")
            summaries.append(
                ChannelSummary(
                    c,
                    channel_label(c),
                    grade,
                    potential,
                    lost,
                    result["planned"],
                    result["answered"],
                    study_grade,
                )
            )
        return summaries

    def reference(self) -> list[ReferenceRow]:
        return reference_rows(self.data.score, self.entry, self.entry["name"])

    def report_findings(self) -> ReportFindings:
        """The findings with the lead's edits and the self-assessment, in the report's
        language (METHODOLOGY.md §3)."""
        return report_findings(self.data, self.code, self.language)

    def findings_shown(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(number, text) of the improve and keep findings the PDF shows (§3 order)."""
        findings = self.report_findings()
        return (
            [(f.number, f.text) for f in findings.improve],
            [(f.number, f.text) for f in findings.keep],
        )

    def findings_total(self) -> int:
        """The rows of the workbook's findings sheet: every finding and item."""
        return len(findings_rows(self.report_findings()))

    def _values(self, channel: str) -> dict[str, list[float]]:
        own = [v for v in self.data.own_values(self.code) if v.channel == channel]
        weights = self.data.study.scoring_weights()
        return wave_values(own, channel, self.data.calendar(self.code), weights)

    def aspect_rows(self, channel: str) -> list[AspectRow]:
        """Mean aspect scores of §2.8 (and the channel grade as the mean S)."""
        return [
            AspectRow(_aspect_label(name), _mean(values), len(values))
            for name, values in self._values(channel).items()
        ]

    def trend(self) -> dict[str, Any] | None:
        """Δ and flag per channel and aspect against the previous wave (§2.8), if any."""
        previous = self.data.previous
        if previous is None:
            return None
        weights = self.data.study.scoring_weights()
        calendar = self.data.calendar(self.code)
        channels = []
        for channel in self.channels:
            before_obs = [
                v for v in previous.values if v.municipality == self.code and v.channel == channel
            ]
            if not before_obs:
                continue
            before = wave_values(before_obs, channel, calendar, weights)
            after = self._values(channel)
            channels.append((channel_label(channel), self._trend_rows(before, after)))
        return {"wave": previous.wave.name, "channels": channels}

    @staticmethod
    def _trend_rows(
        before: Mapping[str, list[float]], after: Mapping[str, list[float]]
    ) -> list[TrendRow]:
        rows = []
        for name in (GRADE, *(n for n in before if n != GRADE)):
            trend = trend_flag(before[name], after[name])
            rows.append(
                TrendRow(
                    _aspect_label(name),
                    _mean(before[name]),
                    _mean(after[name]),
                    trend.delta,
                    trend.flag,
                    str(FLAG_LABELS[trend.flag]),
                )
            )
        return rows

    def questions(self) -> list[dict[str, Any]]:
        """Each question with its grade S, for the annex (the XLSX has every field)."""
        sheet = self.observation_sheet()
        keys = ("scenario", "channel", "planned_at", "answered", "S", "potential_S")
        index = {k: sheet.index(k) for k in keys}
        return [
            {
                **{k: row[i] for k, i in index.items()},
                "channel": channel_label(str(row[index["channel"]])),
            }
            for row in sheet.rows
        ]

    # -- XLSX -----------------------------------------------------------------------------------

    def observation_sheet(self) -> Sheet:
        data = self.data
        return observation_sheet(
            data.own_rows(self.code),
            data.calendars,
            data.default_calendar,
            data.study.scoring_weights(),
            self.tz,
        )

    def sheets(self) -> Iterable[Sheet]:
        data = self.data
        yield self.observation_sheet()
        yield score_sheet(self.entry, data.score, self.channels, data.study)
        yield findings_sheet(self.report_findings())
        yield method_sheet(data.study, self.channels, self.tz)


# -- benchmark --------------------------------------------------------------------------------


def letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet-style names for anonymised municipalities)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(ALPHABET))
        name = ALPHABET[rest] + name
    return name


def _grade(entry: Mapping[str, Any], channel: str) -> float | None:
    result = entry.get(channel)
    return result["grade"] if isinstance(result, dict) else None


class BenchmarkReport(Exporter):
    """All municipalities of a wave (DESIGN.md: ``study benchmark-report NAME``)."""

    template_name = "reports/benchmark.html"

    def __init__(self, data: WaveData, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data = data
        self.anonymous = data.study.anonymise_benchmark

    def title(self) -> str:
        return _("Mystery research benchmark")

    def ranking(self) -> list[RankingRow]:
        """Municipalities by rank (unranked last), ties by code; names hidden if anonymised."""
        entries = sorted(
            self.data.score["municipalities"],
            key=lambda m: (m["rank"] is None, m["rank"] or 0, m["code"]),
        )
        national = {
            m["code"]: m["overall"]
            for m in (self.data.national_score or {}).get("municipalities", [])
        }
        return [
            RankingRow(
                rank=m["rank"],
                code="" if self.anonymous else m["code"],
                name=self.display_name(i, m["name"]),
                phone=_grade(m, "phone"),
                email=_grade(m, "email"),
                overall=m["overall"],
                band=m["band"],
                band_label=band_label(m["band"]),
                national_overall=national.get(m["code"]),
                entry=m,
            )
            for i, m in enumerate(entries)
        ]

    def display_name(self, index: int, name: str) -> str:
        if not self.anonymous:
            return name
        return _("Municipality %(letter)s") % {"letter": letters(index)}

    def channels(self) -> list[str]:
        present = {c for m in self.data.score["municipalities"] for c in scored_channels(m)}
        return [c for c in CHANNELS if c in present]

    def context(self) -> dict[str, Any]:
        ranking = self.ranking()
        norm = float(self.data.study.norm)
        return {
            "header": f"{self.data.study.name} · {self.data.wave.name}",
            "study": self.data.study.name,
            "wave": self.data.wave.name,
            "ranking": ranking,
            "anonymous": self.anonymous,
            "national_only": self.data.national_score is not None,
            "norm": norm,
            "reference": reference_rows(self.data.score),
            "chart": mark_safe(self.chart(ranking, norm)),  # noqa: S308 - SVG from vl-convert
            "method": method_context(self.data.study, self.channels()),
        }

    def chart(self, ranking: Sequence[RankingRow], norm: float) -> str:
        series = (("phone", channel_label("phone")), ("email", channel_label("email")))
        points = [
            charts.Point(row.name, label, value)
            for row in ranking
            for label, value in (
                *((lbl, getattr(row, key)) for key, lbl in series),
                (_("Overall grade"), row.overall),
            )
            if value is not None
        ]
        spec = charts.grade_dots_spec(
            points,
            norm=norm_marker(norm),
            value_title=_("Grade"),
            order=[row.name for row in ranking],
        )
        return charts.to_svg(spec, language=self.language)

    def sheets(self) -> Iterable[Sheet]:
        yield ranking_sheet(self.ranking(), self.channels(), self.anonymous)
        yield method_sheet(self.data.study, self.channels(), self.tz)

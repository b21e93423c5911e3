"""The XLSX sheets of the research reports. Every number in the PDF can be recomputed from
them: the question grades S per observation, the channel grades as their means (§2.5), the
findings with k, n and the benchmark counts (§3), and the weights used."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.finding_edits import ShownFinding
from meetlat.calc.findings import Finding, finding_heading, finding_parts, item_label
from meetlat.calc.observations import Observation as ObservationValues
from meetlat.calc.observations import Weights
from meetlat.calc.scoring import (
    PHONE_CHANNELS,
    UNANSWERED,
    is_answered,
    phone_aspects,
    potential_question_grade,
    question_grade,
    written_aspects,
)
from meetlat.reports.exporters import CellValue, Column, Sheet, local_time_note
from meetlat.reports.research_context import (
    ASPECT_LABELS,
    SOURCES,
    band_rows,
    channel_label,
    method_context,
)
from meetlat.reports.research_findings import ItemRow, ReportFindings
from meetlat.research.models import MANUAL_ITEMS, OBSERVATION_FIELDS, Observation, Study

#: Aspect columns of the observations sheet: phone and written aspects together (§2.4).
ASPECTS: Final = (
    "reachability",
    "in_one_go",
    "transfers",
    "acknowledgement",
    "timeliness",
    "correctness",
    "completeness",
    "bejegening",
    "tone",
    "extra_step",
)
DATETIME_FIELDS: Final = frozenset({"planned_at", "sent_at", "acknowledged_at", "answered_at"})
DECISION_LABELS: Final = {
    "improve": pgettext_lazy("finding", "Improve"),
    "keep": pgettext_lazy("finding", "Keep"),
    "insufficient": pgettext_lazy("finding", "Too few questions"),
    "no_benchmark": pgettext_lazy("finding", "No benchmark"),
}
_ASPECT_NOTE = gettext_lazy("Aspect score from 0 to 1 (METHODOLOGY.md §2.4); empty if left out.")


# -- observations -----------------------------------------------------------------------------


def observation_columns(tz: ZoneInfo) -> list[Column]:
    fields = Observation._meta
    columns = [
        Column("municipality", _("CBS code")),
        Column("municipality_name", _("Municipality")),
        Column("scenario", _("Scenario")),
        Column("national", _("National scenario")),
    ]
    for name in OBSERVATION_FIELDS:
        note = local_time_note(tz) if name in DATETIME_FIELDS else ""
        field = fields.get_field(name)
        assert isinstance(field, models.Field)
        columns.append(Column(name, capfirst(field.verbose_name), note))
    columns += [Column(a, ASPECT_LABELS[a], _ASPECT_NOTE) for a in ASPECTS]
    answered_note = _("Phone: reached. Written: answered within 10 working days.")
    grade_note = _("S = 1 + 9 × Σ weight × aspect score; 1 if not answered.")
    potential_note = _("Empty for questions the potential grade leaves out.")
    columns += [
        Column("answered", _("Answered"), answered_note),
        Column("S", _("Question grade S"), grade_note),
        Column("potential_S", _("S for the potential grade"), potential_note),
    ]
    return columns


def aspect_scores(value: ObservationValues, calendar: WorkCalendar) -> Mapping[str, float | None]:
    """The aspect scores of one question; empty where not reached or unanswered."""
    if value.channel in PHONE_CHANNELS:
        return phone_aspects(value, counter=value.channel == "counter")
    written = written_aspects(value, calendar)
    return {} if written is UNANSWERED else written


def observation_row(
    row: Observation, value: ObservationValues, calendar: WorkCalendar, weights: Weights
) -> list[CellValue]:
    aspects = aspect_scores(value, calendar)
    cells: list[CellValue] = [
        row.organisation.code,
        row.organisation.name,
        row.scenario.code,
        row.scenario.national,
    ]
    cells += [getattr(row, name) for name in OBSERVATION_FIELDS]
    cells += [aspects.get(a) for a in ASPECTS]
    cells += [
        is_answered(value, calendar),
        question_grade(value, calendar, weights),
        potential_question_grade(value, calendar, weights),
    ]
    return cells


def observation_sheet(
    rows: Sequence[Observation],
    calendars: Mapping[str, WorkCalendar],
    default: WorkCalendar,
    weights: Weights,
    tz: ZoneInfo,
) -> Sheet:
    def generate() -> Iterator[list[CellValue]]:
        for row in rows:
            calendar = calendars.get(row.organisation.code, default)
            yield observation_row(row, row.as_values(), calendar, weights)

    return Sheet(_("Observations"), observation_columns(tz), generate())


# -- scores -----------------------------------------------------------------------------------


SCORE_COLUMNS: Final = (
    ("key", gettext_lazy("Channel")),
    ("label", gettext_lazy("Name")),
    ("weight", gettext_lazy("Channel weight v")),
    ("grade", gettext_lazy("Grade")),
    ("potential", gettext_lazy("Potential grade")),
    ("lost", gettext_lazy("Potential − grade")),
    ("planned", gettext_lazy("Planned")),
    ("answered", gettext_lazy("Answered")),
    ("band", gettext_lazy("Band")),
    ("rank", gettext_lazy("Rank")),
    ("ranked", gettext_lazy("Municipalities ranked")),
    ("norm", gettext_lazy("Norm")),
    ("study_mean", gettext_lazy("Study mean")),
)


def _lost(result: Mapping[str, Any]) -> float | None:
    grade, potential = result["grade"], result["potential"]
    return potential - grade if grade is not None and potential is not None else None


def score_sheet(
    entry: Mapping[str, Any], score: Mapping[str, Any], channels: Sequence[str], study: Study
) -> Sheet:
    """One row per channel and one for the overall grade (key ``overall``)."""
    weights = study.scoring_channel_weights()
    means = score["reference"]["study"]
    ranked = sum(1 for m in score["municipalities"] if m["rank"] is not None)
    rows: list[list[CellValue]] = []
    for channel in channels:
        result = entry[channel]
        mean = means.get(channel) or {}
        rows.append(
            [
                channel,
                channel_label(channel),
                weights.get(channel, 1.0),
                result["grade"],
                result["potential"],
                _lost(result),
                result["planned"],
                result["answered"],
                None,
                None,
                None,
                float(study.norm),
                mean.get("grade"),
            ]
        )
    rows.append(
        [
            "overall",
            _("Overall grade"),
            None,
            entry["overall"],
            None,
            None,
            sum(entry[c]["planned"] for c in channels),
            sum(entry[c]["answered"] for c in channels),
            entry["band"],
            entry["rank"],
            ranked,
            float(study.norm),
            means.get("overall"),
        ]
    )
    return Sheet(_("Scores"), [Column(k, label) for k, label in SCORE_COLUMNS], rows)


# -- findings ---------------------------------------------------------------------------------


FINDING_COLUMNS: Final = (
    ("number", gettext_lazy("Item")),
    ("label", gettext_lazy("Name")),
    ("decision", gettext_lazy("Decision")),
    ("r", gettext_lazy("Rate r = k/n")),
    ("k", gettext_lazy("k (met)")),
    ("n", gettext_lazy("n (applies)")),
    ("benchmark", gettext_lazy("Benchmark b = Σk/Σn")),
    ("benchmark_k", gettext_lazy("Σk")),
    ("benchmark_n", gettext_lazy("Σn")),
    ("norm", gettext_lazy("Norm")),
    ("text", gettext_lazy("Text")),
    ("in_report", gettext_lazy("In the PDF")),
    ("edited", gettext_lazy("Wording edited")),
    ("hidden", gettext_lazy("Hidden")),
    ("automatic_text", gettext_lazy("Automatic wording")),
    ("answer", gettext_lazy("Answer")),
    ("note", gettext_lazy("Note")),
    ("linked_from", gettext_lazy("Linked from improve items")),
)
#: Decision column of the manual and self-assessment items that are no finding.
SELF_ASSESSMENT_DECISION: Final = gettext_lazy("Self-assessment")
MANUAL_DECISION: Final = gettext_lazy("Manual item")


def finding_row(
    finding: Finding, shown: ShownFinding | None = None, report: ReportFindings | None = None
) -> list[CellValue]:
    """One finding; ``shown`` is its wording in the report when it is keep or improve."""
    language = report.language if report is not None else "nl"
    parts = finding_parts(finding, language=language)
    text = f"{parts[0]} {shown.text if shown else parts[1]}" if parts is not None else ""
    answer = report.answer(finding.number) if report is not None else None
    return [
        finding.number,
        item_label(finding.item, language),
        str(DECISION_LABELS[finding.decision]),
        finding.rate,
        finding.k,
        finding.n,
        finding.benchmark,
        finding.benchmark_k if not finding.single else None,
        finding.benchmark_n if not finding.single else None,
        finding.norm,
        text,
        report.in_report(shown) if report is not None and shown is not None else None,
        shown.edited if shown is not None else None,
        shown.hidden if shown is not None else None,
        f"{parts[0]} {parts[1]}" if parts is not None else "",
        answer.answer_label if answer is not None else None,
        answer.note if answer is not None else None,
        None,
    ]


def _free_row(shown: ShownFinding, report: ReportFindings) -> list[CellValue]:
    heading = finding_heading(shown.kind, report.language)
    return [
        "",
        "",
        str(DECISION_LABELS[shown.kind]),
        *([None] * 7),
        f"{heading} {shown.text}",
        report.in_report(shown),
        True,
        False,
        "",
        None,
        None,
        None,
    ]


def _item_row(item: ItemRow) -> list[CellValue]:
    manual = item.number in MANUAL_ITEMS
    return [
        item.number,
        item.label,
        str(MANUAL_DECISION if manual else SELF_ASSESSMENT_DECISION),
        *([None] * 8),
        None,
        None,
        None,
        "",
        item.answer_label,
        item.note,
        ", ".join(item.linked_from),
    ]


def findings_rows(report: ReportFindings) -> list[list[CellValue]]:
    """Every finding (improve and keep in report order, with the lead's wording and own
    findings, then the undecided ones), then the manual items not answered and every
    self-assessment item."""
    rows: list[list[CellValue]] = [
        _free_row(shown, report)
        if shown.finding is None
        else finding_row(shown.finding, shown, report)
        for shown in (*report.edited.improve, *report.edited.keep)
    ]
    findings = report.findings
    if findings is not None:
        rows += [
            finding_row(f, None, report) for f in (*findings.insufficient, *findings.no_benchmark)
        ]
    decided = {row[0] for row in rows}
    rows += [_item_row(i) for i in report.items if i.number not in decided]
    return rows


def findings_sheet(report: ReportFindings) -> Sheet:
    return Sheet(
        _("Findings"), [Column(k, label) for k, label in FINDING_COLUMNS], findings_rows(report)
    )


# -- method -----------------------------------------------------------------------------------


def method_sheet(study: Study, channels: Sequence[str], tz: ZoneInfo) -> Sheet:
    """The settings a report used: weights, channel weights, norm, bands, finding rules."""
    method = method_context(study, channels)
    rows: list[list[CellValue]] = []
    for group, label in (("phone", _("phone, counter")), ("written", _("written channels"))):
        weights = study.scoring_weights().as_dict()[group]
        for (name, weight), row in zip(weights.items(), method["weights"][group], strict=True):
            rows.append([f"weight.{group}.{name}", f"{row.label} ({label})", weight, row.rule])
    for channel, (label, weight) in zip(channels, method["channel_weights"], strict=True):
        rows.append([f"channel_weight.{channel}", _("Channel weight v: %s") % label, weight, ""])
    rows.append(["norm", _("Norm"), method["norm"], "[AAH]"])
    rows += [[f"band.{b.key}", _("Band from: %s") % b.label, b.lower, b.key] for b in band_rows()]
    settings_rows: list[tuple[str, str, CellValue, str]] = [
        ("keep_min", _("Keep: rate at least"), method["keep_min"], ""),
        ("min_n", _("Too few questions: n below"), method["min_n"], ""),
        (
            "min_municipalities",
            _("No benchmark: municipalities below"),
            method["min_municipalities"],
            "",
        ),
        (
            "findings_shown",
            _("Findings shown in the PDF, of each kind"),
            method["findings_shown"],
            "",
        ),
        ("time_zone", _("Date-times"), str(tz), local_time_note(tz)),
        (
            "rounding",
            _("Rounding"),
            "",
            _("Values here are unrounded; reports round half away from zero."),
        ),
    ]
    rows += [list(row) for row in settings_rows]
    rows += [[f"source.{key}", key, "", url] for key, url in SOURCES]
    columns = [
        Column("key", _("Key")),
        Column("label", _("Name")),
        Column("value", _("Value")),
        Column("note", _("Note")),
    ]
    return Sheet(_("Method"), columns, rows)


# -- benchmark ranking --------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingRow:
    """One municipality of the benchmark; ``code`` and ``name`` already anonymised if asked."""

    rank: int | None
    code: str
    name: str
    phone: float | None
    email: float | None
    overall: float | None
    band: str | None
    band_label: str
    national_overall: float | None
    entry: Mapping[str, Any]


def ranking_sheet(ranking: Sequence[RankingRow], channels: Sequence[str], anonymous: bool) -> Sheet:
    """The benchmark table with every channel's grade, potential, planned and answered."""
    columns = [Column("rank", _("Rank"))]
    if not anonymous:
        columns.append(Column("code", _("CBS code")))
    columns.append(Column("name", _("Municipality")))
    measures = (
        ("grade", _("grade")),
        ("potential", _("potential grade")),
        ("planned", _("planned")),
        ("answered", _("answered")),
    )
    for channel in channels:
        label = channel_label(channel)
        columns += [Column(f"{channel}.{key}", f"{label}: {name}") for key, name in measures]
    columns += [
        Column("overall", _("Overall grade")),
        Column("band", _("Band")),
        Column("national_overall", _("Overall grade, national scenarios only")),
    ]
    rows: list[list[CellValue]] = []
    for row in ranking:
        cells: list[CellValue] = [row.rank, *([] if anonymous else [row.code]), row.name]
        for channel in channels:
            result = row.entry.get(channel) or {}
            cells += [result.get(k) for k in ("grade", "potential", "planned", "answered")]
        cells += [row.overall, row.band, row.national_overall]
        rows.append(cells)
    return Sheet(_("Ranking"), columns, rows)

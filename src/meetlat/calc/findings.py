"""Keep / improve findings (METHODOLOGY.md §3), pure Python.

Items 1-24 that observations (and optional auto-QA results and manual answers) can decide.
For item i and municipality m: r = k/n over the n questions the item applies to, k of which
meet it; the benchmark b = Σk/Σn pools every municipality of the study wave. Rates are exact
fractions, so r ≥ b is never decided by a rounding error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.finding_english import ENGLISH, SELF_ASSESSMENT_ENGLISH
from meetlat.calc.finding_items import (
    ITEM_BY_NUMBER,
    ITEMS,
    SELF_ASSESSMENT,
    CheckResults,
    Item,
    Question,
    SingleItem,
    item_sort_key,
)
from meetlat.calc.scoring import DEFAULT_WEIGHTS, Observation, Weights, channel_result

__all__ = [
    "ITEM_BY_NUMBER",
    "ITEMS",
    "SELF_ASSESSMENT",
    "Decision",
    "Finding",
    "Item",
    "MunicipalityFindings",
    "Question",
    "SelfAssessmentEntry",
    "SingleItem",
    "decide",
    "finding_heading",
    "finding_parts",
    "finding_text",
    "format_percent",
    "group_findings",
    "item_advice",
    "item_counts",
    "item_label",
    "pool",
    "self_assessment_label",
    "self_assessment_section",
    "study_findings",
]

Decision = Literal["keep", "improve", "insufficient", "no_benchmark"]
SelfAnswer = Literal["yes", "partly", "no"]

MIN_N: Final = 3
MIN_MUNICIPALITIES: Final = 5
KEEP_MIN: Final = Fraction(1, 2)
#: Item 23: |G_phone − G_email| at most this.
SAME_QUALITY_MAX_GAP: Final = 1.0
PERCENT_DECIMALS: Final = 1

Counts = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Finding:
    """One item for one municipality: k of n questions met it; the benchmark pools the study."""

    item: Item | SingleItem
    municipality: str
    decision: Decision
    k: int
    n: int
    benchmark_k: int = 0
    benchmark_n: int = 0

    @property
    def number(self) -> str:
        return self.item.number

    @property
    def single(self) -> bool:
        return isinstance(self.item, SingleItem)

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.k, self.n) if self.n else None

    @property
    def benchmark(self) -> Fraction | None:
        if self.single or not self.benchmark_n:
            return None
        return Fraction(self.benchmark_k, self.benchmark_n)

    @property
    def norm(self) -> Fraction | None:
        return self.item.norm if isinstance(self.item, Item) else None

    @property
    def links(self) -> tuple[int, ...]:
        """Self-assessment items (25-34) an improve finding points to."""
        return self.item.links if self.decision == "improve" else ()

    def improve_gap(self) -> Fraction:
        """max(b, norm) − r; a single-value item not met is measured against 100 %."""
        rate = self.rate or Fraction(0)
        if self.single:
            return 1 - rate
        target = max(x for x in (self.benchmark, self.norm, Fraction(0)) if x is not None)
        return target - rate

    def keep_margin(self) -> Fraction:
        """r − b; a single-value item met has margin 0."""
        rate, benchmark = self.rate, self.benchmark
        if rate is None or benchmark is None:
            return Fraction(0)
        return rate - benchmark


@dataclass(frozen=True)
class MunicipalityFindings:
    """A municipality's findings, improve and keep in report order, the rest by number."""

    municipality: str
    improve: tuple[Finding, ...]
    keep: tuple[Finding, ...]
    insufficient: tuple[Finding, ...]
    no_benchmark: tuple[Finding, ...]


def decide(
    k: int,
    n: int,
    benchmark_k: int,
    benchmark_n: int,
    norm: Fraction | None,
    *,
    small_study: bool,
    keep_min: Fraction = KEEP_MIN,
) -> Decision:
    """`insufficient` (n < 3), `no_benchmark` (small study, no norm), `keep` or `improve`."""
    if n < MIN_N:
        return "insufficient"
    if small_study and norm is None:
        return "no_benchmark"
    rate, benchmark = Fraction(k, n), Fraction(benchmark_k, benchmark_n)
    if rate >= benchmark and rate >= keep_min and (norm is None or rate >= norm):
        return "keep"
    return "improve"


def item_counts(
    observations: Iterable[Observation],
    calendar: WorkCalendar,
    *,
    calendars: Mapping[str, WorkCalendar] | None = None,
    autoqa: Mapping[Observation, CheckResults] | None = None,
) -> dict[str, Counts]:
    """Per municipality and question item: (k, n); items that apply to nothing are absent."""
    counts: dict[str, Counts] = {}
    for obs in observations:
        own = counts.setdefault(obs.municipality, {})
        question = Question(
            obs=obs,
            calendar=(calendars or {}).get(obs.municipality, calendar),
            checks=(autoqa or {}).get(obs),
        )
        for item in ITEMS:
            if isinstance(item, Item) and item.applies_to(question):
                k, n = own.get(item.number, (0, 0))
                own[item.number] = (k + item.met(question), n + 1)
    return counts


def pool(counts: Iterable[Counts]) -> Counts:
    """The benchmark counts per item: Σk and Σn over municipalities."""
    pooled: Counts = {}
    for own in counts:
        for number, (k, n) in own.items():
            total_k, total_n = pooled.get(number, (0, 0))
            pooled[number] = (total_k + k, total_n + n)
    return pooled


def _single_value(
    item: SingleItem,
    manual: Mapping[str, bool],
    grades: Mapping[str, float | None],
) -> bool | None:
    if item.number != "23":
        return manual.get(item.number)
    phone, email = grades.get("phone"), grades.get("email")
    if phone is None or email is None:
        return None
    return abs(phone - email) <= SAME_QUALITY_MAX_GAP


def group_findings(code: str, findings: Iterable[Finding]) -> MunicipalityFindings:
    """Sort a municipality's findings: improve by max(b, norm) − r, keep by r − b (largest
    first), ties and the other decisions by item number."""
    by_number = sorted(findings, key=lambda f: item_sort_key(f.number))

    def pick(decision: Decision) -> list[Finding]:
        return [f for f in by_number if f.decision == decision]

    return MunicipalityFindings(
        municipality=code,
        improve=tuple(sorted(pick("improve"), key=lambda f: -f.improve_gap())),
        keep=tuple(sorted(pick("keep"), key=lambda f: -f.keep_margin())),
        insufficient=tuple(pick("insufficient")),
        no_benchmark=tuple(pick("no_benchmark")),
    )


def study_findings(
    observations: Iterable[Observation],
    calendar: WorkCalendar,
    *,
    calendars: Mapping[str, WorkCalendar] | None = None,
    autoqa: Mapping[Observation, CheckResults] | None = None,
    manual: Mapping[str, Mapping[str, bool]] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    keep_min: Fraction = KEEP_MIN,
) -> dict[str, MunicipalityFindings]:
    """Findings of every municipality of one study wave, keyed by municipality code.

    ``autoqa`` maps an observation to its auto-QA check results (items 19a-e, and
    ``term_stated`` for item 21); ``manual`` maps a municipality to its answers for the manual
    items ("15", "20", "22"). Items without data are left out.
    """
    rows = list(observations)
    by_code: dict[str, list[Observation]] = {}
    for obs in rows:
        by_code.setdefault(obs.municipality, []).append(obs)
    counts = item_counts(rows, calendar, calendars=calendars, autoqa=autoqa)
    pooled = pool(counts.values())
    small_study = len(counts) < MIN_MUNICIPALITIES
    result: dict[str, MunicipalityFindings] = {}
    for code in sorted(counts):
        own_rows = by_code[code]
        own_calendar = (calendars or {}).get(code, calendar)
        grades = {
            c: channel_result(own_rows, c, own_calendar, weights).grade for c in ("phone", "email")
        }
        findings: list[Finding] = []
        for item in ITEMS:
            if isinstance(item, SingleItem):
                met = _single_value(item, (manual or {}).get(code, {}), grades)
                if met is not None:
                    decision: Decision = "keep" if met else "improve"
                    findings.append(Finding(item, code, decision, int(met), 1))
            elif item.number in counts[code]:
                k, n = counts[code][item.number]
                bk, bn = pooled[item.number]
                decision = decide(
                    k, n, bk, bn, item.norm, small_study=small_study, keep_min=keep_min
                )
                findings.append(Finding(item, code, decision, k, n, bk, bn))
        result[code] = group_findings(code, findings)
    return result


# -- wording ------------------------------------------------------------------------------------


def format_percent(value: Fraction, decimals: int = PERCENT_DECIMALS, language: str = "nl") -> str:
    """A fraction as a percentage number: rounded half away from zero, with a decimal comma
    (Dutch) or a decimal point (English)."""
    scaled = abs(value) * 100 * 10**decimals
    whole = math.floor(scaled + Fraction(1, 2))
    number = Decimal(-whole if value < 0 else whole).scaleb(-decimals)
    text = f"{number:.{decimals}f}"
    return text if language == "en" else text.replace(".", ",")


def item_label(item: Item | SingleItem, language: str = "nl") -> str:
    """The keep wording of an item in ``language`` ("nl" or "en")."""
    return ENGLISH[item.number][0] if language == "en" else item.label


def item_advice(item: Item | SingleItem, language: str = "nl") -> str:
    """The improve wording of an item in ``language`` ("nl" or "en")."""
    return ENGLISH[item.number][1] if language == "en" else item.advice


def self_assessment_label(number: int, language: str = "nl") -> str:
    return SELF_ASSESSMENT_ENGLISH[number] if language == "en" else SELF_ASSESSMENT[number]


#: Heading, "k of n" word, "now" word and "benchmark" word per language.
_WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "nl": {"keep": "Vasthouden.", "improve": "Verbeteren.", "of": "van", "now": "Nu"},
    "en": {"keep": "Keep.", "improve": "Improve.", "of": "of", "now": "Now"},
}


def finding_heading(decision: str, language: str = "nl") -> str:
    """ "Vasthouden." / "Verbeteren." (or "Keep." / "Improve.") for a keep or improve finding."""
    return _WORDS["en" if language == "en" else "nl"][decision]


def finding_parts(
    finding: Finding, decimals: int = PERCENT_DECIMALS, language: str = "nl"
) -> tuple[str, str] | None:
    """(heading, text) of a keep or improve finding; None for the other decisions.

    Dutch: "Vasthouden." / "{label}: {r} % ({k} van {n}); benchmark {b} %." and "Verbeteren." /
    "{advice} Nu {r} % ({k} van {n}); benchmark {b} %[; norm {norm} %]." (§3); English alike.
    """
    if finding.decision not in ("keep", "improve"):
        return None
    words = _WORDS["en" if language == "en" else "nl"]
    keep = finding.decision == "keep"
    heading = words[finding.decision]
    label, advice = item_label(finding.item, language), item_advice(finding.item, language)
    if finding.single:
        return heading, label + "." if keep else advice

    def pct(value: Fraction | None) -> str:
        return format_percent(value or Fraction(0), decimals, language)

    numbers = f"{pct(finding.rate)} % ({finding.k} {words['of']} {finding.n})"
    benchmark = f"benchmark {pct(finding.benchmark)} %"
    if keep:
        return heading, f"{label}: {numbers}; {benchmark}."
    norm = f"; norm {pct(finding.norm)} %" if finding.norm is not None else ""
    return heading, f"{advice} {words['now']} {numbers}; {benchmark}{norm}."


def finding_text(
    finding: Finding, decimals: int = PERCENT_DECIMALS, language: str = "nl"
) -> str | None:
    """The wording of §3 with the heading in bold (Markdown): "**Vasthouden.** …"."""
    parts = finding_parts(finding, decimals, language)
    return None if parts is None else f"**{parts[0]}** {parts[1]}"


# -- self-assessment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfAssessmentEntry:
    """A self-assessment item answered `partly` or `no`, with the improve items linking to it."""

    number: int
    label: str
    answer: SelfAnswer
    linked_from: tuple[str, ...]


def self_assessment_section(
    findings: MunicipalityFindings | Iterable[Finding],
    answers: Mapping[int, SelfAnswer],
    language: str = "nl",
) -> list[SelfAssessmentEntry]:
    """The items of "Hoe zit dat in mijn gemeente?": answers `partly` or `no`, by number.

    ``findings`` are a municipality's findings or just the improve findings a report shows;
    an entry names the improve items that link to it.
    """
    unknown = sorted(set(answers) - set(SELF_ASSESSMENT))
    if unknown:
        raise ValueError(f"Self-assessment items are 25-34, got {unknown}")
    improve = (
        findings.improve
        if isinstance(findings, MunicipalityFindings)
        else tuple(f for f in findings if f.decision == "improve")
    )
    return [
        SelfAssessmentEntry(
            number=number,
            label=self_assessment_label(number, language),
            answer=answer,
            linked_from=tuple(f.number for f in improve if number in f.links),
        )
        for number, answer in sorted(answers.items())
        if answer in ("partly", "no")
    ]

"""Pieces the municipality report and the benchmark report share: labels of channels, bands,
aspects and trend flags; the national reference table (METHODOLOGY.md §2.8); the method annex
(weights, definitions, bands, norm, sources) and the grade chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from meetlat.calc.findings import KEEP_MIN, MIN_MUNICIPALITIES, MIN_N
from meetlat.calc.observations import CHANNELS, PHONE_CHANNELS
from meetlat.calc.scoring import BANDS, reference_figures
from meetlat.organisations.models import Channel
from meetlat.reports import charts
from meetlat.reports.formatting import number
from meetlat.research.models import Study

#: The PDF shows this many keep and improve findings each (METHODOLOGY.md §3, a setting).
FINDINGS_SHOWN: Final = 6

BAND_LABELS: Final[Mapping[str, Promise]] = {
    "onvoldoende": pgettext_lazy("band", "insufficient"),
    "voldoende": pgettext_lazy("band", "sufficient"),
    "norm": pgettext_lazy("band", "at the norm"),
    "goed": pgettext_lazy("band", "good"),
    "best_practice": pgettext_lazy("band", "best practice"),
}
FLAG_LABELS: Final[Mapping[str, Promise]] = {
    "up": pgettext_lazy("trend", "higher"),
    "down": pgettext_lazy("trend", "lower"),
    "none": pgettext_lazy("trend", "no significant change"),
    "insufficient": pgettext_lazy("trend", "too few observations"),
}
ASPECT_LABELS: Final[Mapping[str, Promise]] = {
    "reachability": gettext_lazy("Reachability"),
    "in_one_go": gettext_lazy("In one go"),
    "transfers": gettext_lazy("Transfers"),
    "acknowledgement": gettext_lazy("Acknowledgement"),
    "timeliness": gettext_lazy("Timeliness"),
    "correctness": gettext_lazy("Correctness"),
    "completeness": gettext_lazy("Completeness"),
    "bejegening": gettext_lazy("Treatment (bejegening)"),
    "tone": gettext_lazy("Tone"),
    "extra_step": gettext_lazy("Extra step"),
    "grade": gettext_lazy("Question grade S"),
}
_EXTRA_STEP = gettext_lazy("1 if an extra step was taken, else 0.")
_CORRECTNESS = gettext_lazy("1 correct, 0.5 partly correct, 0 wrong or no answer.")
_COMPLETENESS = gettext_lazy("1 complete (or more), 0.5 partial, 0 none.")
#: Short definitions of the aspect scores (METHODOLOGY.md §2.4), by weight group.
ASPECT_RULES: Final[Mapping[str, Mapping[str, Promise]]] = {
    "phone": {
        "reachability": gettext_lazy(
            "1 if reached at the first attempt within 20 s; 0.5 if reached at the first attempt"
            " within 60 s or at the second attempt; else 0."
        ),
        "in_one_go": gettext_lazy(
            "1 if answered in one go; 0.5 for a callback that was kept; else 0."
        ),
        "transfers": gettext_lazy(
            "1 without transfers, or after 1–2 warm transfers with the subject passed on; 0.5"
            " after 1–2 other transfers; 0 after more than 2."
        ),
        "correctness": _CORRECTNESS,
        "completeness": _COMPLETENESS,
        "bejegening": gettext_lazy(
            "Mean of five items: name given, friendly, plain language, asked for more questions,"
            " recording announced. Items not applicable are left out; if all are, the aspect is"
            " left out and the other weights are scaled up."
        ),
        "extra_step": _EXTRA_STEP,
    },
    "written": {
        "acknowledgement": gettext_lazy(
            "1 if acknowledged (or answered) within 1 hour; 0.5 by the end of the receipt day;"
            " else 0."
        ),
        "timeliness": gettext_lazy(
            "1 if answered within 24 hours; 0.75 within 2 working days; 0.5 within 5; 0.25"
            " within 10; later or never: unanswered, grade 1."
        ),
        "correctness": _CORRECTNESS,
        "completeness": _COMPLETENESS,
        "tone": gettext_lazy("1 good, 0.5 fair, 0 poor."),
        "extra_step": _EXTRA_STEP,
    },
}
SOURCES: Final = (
    (
        "EZK1",
        "https://docplayer.nl/108201614-Onderzoek-dienstverlening-en-regeldruk-gemeenten.html",
    ),
    ("EZK2", "http://docplayer.nl/109066899-Onderzoek-dienstverlening-en-regeldruk-gemeenten.html"),
    (
        "HK",
        "https://www.wieringerdagblad.nl/gemeente/"
        "ondernemers-hollands-kroon-zeer-tevreden-over-dienstverlening",
    ),
    (
        "AAH",
        "https://www.schakel.info/nieuws/algemeen/37133/"
        "rekenkamercommissie-aa-en-hunze-behandeling-telefoontjes-en-ema",
    ),
)


def channel_label(channel: str) -> str:
    return str(Channel(channel).label)


def band_label(band: str | None) -> str:
    return str(BAND_LABELS[band]) if band is not None else "–"


def weight_group(channel: str) -> str:
    """``phone`` for phone and counter, ``written`` for the other channels (§2.4)."""
    return "phone" if channel in PHONE_CHANNELS else "written"


def scored_channels(entry: Mapping[str, Any]) -> list[str]:
    """The channels with questions in a municipality's ``study score`` entry, in order."""
    return [c for c in CHANNELS if isinstance(entry.get(c), dict)]


# -- the national reference table (§2.8) -------------------------------------------------------


@dataclass(frozen=True)
class ReferenceRow:
    label: str
    phone: float | None
    phone_potential: float | None
    email: float | None
    email_potential: float | None
    email_answered: float | None
    overall: float | None


def _answered_share(entries: Iterable[Mapping[str, Any]]) -> float | None:
    emails = [e["email"] for e in entries if isinstance(e.get("email"), dict)]
    planned = sum(e["planned"] for e in emails)
    return sum(e["answered"] for e in emails) / planned if planned else None


def _channel_value(entry: Mapping[str, Any] | None, key: str) -> float | None:
    return entry.get(key) if isinstance(entry, dict) else None


def reference_rows(
    score: Mapping[str, Any], own: Mapping[str, Any] | None = None, own_label: str = ""
) -> list[ReferenceRow]:
    """The national figures of §2.8, the study means and (optionally) one municipality."""
    ezk0, ezk1 = reference_figures()["ezk_0_meting"], reference_figures()["ezk_1_meting"]
    means = score["reference"]["study"]
    rows = [
        ReferenceRow(
            _("National 0-meting [EZK1]"),
            ezk0["phone"]["grade"],
            ezk0["phone"]["potential"],
            ezk0["email"]["grade"],
            ezk0["email"]["potential"],
            ezk0["email"]["answered_share"],
            None,
        ),
        ReferenceRow(
            _("National 1-meting, 2018 [EZK1], [HK]"),
            ezk1["phone"]["grade"],
            ezk1["phone"]["potential"],
            ezk1["email"]["grade"],
            None,
            None,
            ezk1["overall"],
        ),
        ReferenceRow(
            _("This study: mean over municipalities"),
            _channel_value(means.get("phone"), "grade"),
            _channel_value(means.get("phone"), "potential"),
            _channel_value(means.get("email"), "grade"),
            _channel_value(means.get("email"), "potential"),
            _answered_share(score["municipalities"]),
            means.get("overall"),
        ),
    ]
    if own is not None:
        rows.append(
            ReferenceRow(
                own_label,
                _channel_value(own.get("phone"), "grade"),
                _channel_value(own.get("phone"), "potential"),
                _channel_value(own.get("email"), "grade"),
                _channel_value(own.get("email"), "potential"),
                _answered_share([own]),
                own.get("overall"),
            )
        )
    return rows


# -- the method annex ------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightRow:
    label: str
    weight: float
    rule: str


@dataclass(frozen=True)
class BandRow:
    key: str
    label: str
    lower: float | None
    upper: float | None


def band_rows() -> list[BandRow]:
    """The bands of §2.5, lowest first: [lower, upper) on the unrounded overall grade."""
    bounds = sorted(BANDS)
    rows = [BandRow("onvoldoende", band_label("onvoldoende"), None, bounds[0][0])]
    for i, (lower, key) in enumerate(bounds):
        upper = bounds[i + 1][0] if i + 1 < len(bounds) else None
        rows.append(BandRow(key, band_label(key), lower, upper))
    return rows


def weight_rows(study: Study) -> dict[str, list[WeightRow]]:
    """The aspect weights stored on the study, with the rule of each aspect (§2.4)."""
    weights = study.scoring_weights().as_dict()
    return {
        group: [
            WeightRow(str(ASPECT_LABELS[name]), value, str(ASPECT_RULES[group][name]))
            for name, value in weights[group].items()
        ]
        for group in ("phone", "written")
    }


def channel_weight_rows(study: Study, channels: Sequence[str]) -> list[tuple[str, float]]:
    weights = study.scoring_channel_weights()
    return [(channel_label(c), weights.get(c, 1.0)) for c in channels]


def method_context(study: Study, channels: Sequence[str]) -> dict[str, Any]:
    return {
        "weights": weight_rows(study),
        "channel_weights": channel_weight_rows(study, channels),
        "bands": band_rows(),
        "norm": float(study.norm),
        "best_practice": max(lower for lower, _key in BANDS),
        "findings_shown": FINDINGS_SHOWN,
        "keep_min": float(KEEP_MIN),
        "min_n": MIN_N,
        "min_municipalities": MIN_MUNICIPALITIES,
        "sources": SOURCES,
    }


# -- charts -------------------------------------------------------------------------------------


def norm_marker(norm: float) -> charts.Norm:
    return charts.Norm(norm, _("Norm %(norm)s") % {"norm": number(norm, 1)})


def grade_potential_chart(
    grades: Sequence[tuple[str, float | None, float | None]], norm: float, language: str
) -> str:
    """SVG: grade and potential grade per channel (label, grade, potential), norm line."""
    grade, potential = _("Grade"), _("Potential grade")
    points = [
        charts.Point(label, series, value)
        for label, g, p in grades
        for series, value in ((grade, g), (potential, p))
        if value is not None
    ]
    spec = charts.grade_potential_spec(points, norm=norm_marker(norm), value_title=grade)
    return charts.to_svg(spec, language=language)

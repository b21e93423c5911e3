"""Charts as Vega-Lite specifications (plain dicts), and their SVG for the PDF.

The same spec is embedded in a web page with vega-embed, or turned into SVG here with
vl-convert (STACK.md) for WeasyPrint. Specs take values and already translated labels only,
so they hold no Django objects and serialise to JSON as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import vl_convert

SCHEMA: Final = "https://vega.github.io/schema/vega-lite/v5.json"
FONT: Final = "DejaVu Sans"
NORM_COLOUR: Final = "#b3261e"
SERIES_COLOURS: Final = ("#1f4e79", "#8fb8de", "#d98c1f")
GRADE_DOMAIN: Final = (0, 10)
Locale = Literal["nl-NL", "en-US"]
LOCALES: Final[Mapping[str, Locale]] = {"nl": "nl-NL", "en": "en-US"}

Spec = dict[str, Any]


@dataclass(frozen=True)
class Point:
    """One value of a chart: ``category`` on one axis, ``series`` as the colour."""

    category: str
    series: str
    value: float


@dataclass(frozen=True)
class Norm:
    value: float
    label: str


def _values(points: Sequence[Point]) -> list[dict[str, Any]]:
    return [{"category": p.category, "series": p.series, "value": p.value} for p in points]


def _series(points: Sequence[Point]) -> list[str]:
    return list(dict.fromkeys(p.series for p in points))


def _colour(points: Sequence[Point], title: str | None = None) -> dict[str, Any]:
    series = _series(points)
    return {
        "field": "series",
        "type": "nominal",
        "sort": series,
        "scale": {"domain": series, "range": list(SERIES_COLOURS[: len(series)])},
        "legend": {"title": title, "orient": "bottom"},
    }


def _config() -> dict[str, Any]:
    return {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11}}


def _norm_layers(norm: Norm, channel: str) -> list[Spec]:
    """A dashed rule at the norm and its label, on the ``x`` or ``y`` channel."""
    data = {"values": [{"norm": norm.value, "label": norm.label}]}
    position = {channel: {"field": "norm", "type": "quantitative"}}
    # The label sits outside the plot (right of a horizontal rule, above a vertical one), so
    # it never covers a bar or a dot.
    text_offset: dict[str, Any]
    anchor: dict[str, Any]
    if channel == "y":
        text_offset = {"dx": 4, "align": "left", "baseline": "middle"}
        anchor = {"x": {"value": "width"}}
    else:
        text_offset = {"dy": -8, "align": "center", "baseline": "bottom"}
        anchor = {"y": {"value": 0}}
    return [
        {
            "data": data,
            "mark": {"type": "rule", "color": NORM_COLOUR, "strokeDash": [5, 3], "size": 1.5},
            "encoding": position,
        },
        {
            "data": data,
            "mark": {"type": "text", "color": NORM_COLOUR, "fontSize": 10, **text_offset},
            "encoding": {**position, **anchor, "text": {"field": "label"}},
        },
    ]


def grade_potential_spec(
    points: Sequence[Point], *, norm: Norm, value_title: str, width: int = 360
) -> Spec:
    """Grouped bars per channel (grade and potential grade), labelled, with the norm line."""
    x: dict[str, Any] = {"field": "category", "type": "nominal", "sort": None, "title": None}
    x["axis"] = {"labelAngle": 0}
    offset = {"field": "series", "sort": _series(points)}
    y = {
        "field": "value",
        "type": "quantitative",
        "scale": {"domain": list(GRADE_DOMAIN)},
        "title": value_title,
    }
    return {
        "$schema": SCHEMA,
        "width": width,
        "height": 200,
        "config": _config(),
        "data": {"values": _values(points)},
        "layer": [
            {
                "mark": "bar",
                "encoding": {"x": x, "xOffset": offset, "y": y, "color": _colour(points)},
            },
            {
                "mark": {"type": "text", "dy": -6, "fontSize": 10},
                "encoding": {
                    "x": x,
                    "xOffset": offset,
                    "y": y,
                    "text": {"field": "value", "type": "quantitative", "format": ".2f"},
                },
            },
            *_norm_layers(norm, "y"),
        ],
    }


def grade_dots_spec(
    points: Sequence[Point], *, norm: Norm, value_title: str, order: Sequence[str]
) -> Spec:
    """One row per category (municipality) in ``order``, a dot per series, and the norm line."""
    y = {"field": "category", "type": "nominal", "sort": list(order), "title": None}
    x = {
        "field": "value",
        "type": "quantitative",
        "scale": {"domain": list(GRADE_DOMAIN)},
        "title": value_title,
    }
    return {
        "$schema": SCHEMA,
        "width": 380,
        "height": {"step": 14},
        "config": _config(),
        "data": {"values": _values(points)},
        "layer": [
            {
                "mark": {"type": "point", "filled": True, "size": 45, "opacity": 0.9},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": _colour(points),
                },
            },
            *_norm_layers(norm, "x"),
        ],
    }


def to_svg(spec: Mapping[str, Any], *, language: str = "nl") -> str:
    """The chart as an SVG document, numbers and dates in the language's locale (7,0)."""
    locale = LOCALES.get(language[:2], LOCALES["nl"])
    svg = vl_convert.vegalite_to_svg(
        vl_spec=dict(spec), format_locale=locale, time_format_locale=locale
    )
    assert isinstance(svg, str)
    return svg

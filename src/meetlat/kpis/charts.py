"""Vega-Lite specs of the dashboard charts, built from the same tables the page shows.

The browser renders them with vega-embed (`kpis/charts.js`); they are plain data (dicts), so
the page carries them in `json_script` blocks and no script is inline (CSP script-src 'self').
Each chart is described (`description`, read out as the SVG's label) and its table follows it.
"""

from __future__ import annotations

from typing import Any, Final

from django.utils.translation import gettext as _

from meetlat.kpis.tables import Table

SCHEMA: Final = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH: Final = "container"
Spec = dict[str, Any]


def spec_base(table: Table, description: str) -> Spec:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": WIDTH,
        "data": {"values": table.records()},
        "config": {"font": "sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }


def _norm_rule(norm: float | None, field_title: str) -> list[Spec]:
    if norm is None:
        return []
    return [
        {
            "data": {"values": [{"norm": norm}]},
            "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#a00000", "strokeWidth": 2},
            "encoding": {
                "y": {"field": "norm", "type": "quantitative", "title": field_title},
            },
        }
    ]


def daily_spec(table: Table, *, sl_norm: float | None, t_s: int) -> Spec:
    """Offered calls per day (bars, left axis) and the service level (line, right axis) with
    the norm as a dashed rule on the service-level axis."""
    date = {"field": "date", "type": "temporal", "title": _("Date"), "timeUnit": "yearmonthdate"}
    sl_title = _("Service level (within %(t)s s)") % {"t": t_s}
    spec = spec_base(
        table,
        _("Offered calls per day (bars), and the service level per day (line) against the norm."),
    )
    spec.update(
        {
            "height": 260,
            "layer": [
                {
                    "mark": {"type": "bar", "color": "#9cc3de"},
                    "encoding": {
                        "x": date,
                        "y": {"field": "offered", "type": "quantitative", "title": _("Offered")},
                    },
                },
                {
                    "layer": [
                        {
                            "mark": {"type": "line", "point": True, "color": "#1f4e79"},
                            "encoding": {
                                "x": date,
                                "y": {
                                    "field": "service_level",
                                    "type": "quantitative",
                                    "title": sl_title,
                                    "axis": {"format": ".0%", "orient": "right"},
                                    "scale": {"domain": [0, 1]},
                                },
                            },
                        },
                        *_norm_rule(sl_norm, sl_title),
                    ],
                },
            ],
            "resolve": {"scale": {"y": "independent"}},
        }
    )
    return spec


def week_hours_spec(table: Table) -> Spec:
    """A heat map of the average speed of answer per weekday and hour (lunch, Friday afternoon)."""
    spec = spec_base(
        table,
        _("Average speed of answer per weekday and hour of the day; darker is a longer wait."),
    )
    spec.update(
        {
            "height": 200,
            "mark": {"type": "rect"},
            "encoding": {
                "x": {"field": "hour", "type": "ordinal", "title": _("Hour")},
                "y": {
                    "field": "weekday",
                    "type": "ordinal",
                    "title": _("Weekday"),
                    "sort": None,
                },
                "color": {
                    "field": "asa_s",
                    "type": "quantitative",
                    "title": _("Average speed of answer (s)"),
                    "scale": {"scheme": "oranges"},
                },
            },
        }
    )
    return spec


def abandonment_spec(table: Table, *, abandon_norm: float | None) -> Spec:
    """Abandon rate and repeat-contact rate per day, with the abandon norm as a rule."""
    title = _("Share of calls")
    series = {
        "abandon_rate": _("Abandon rate"),
        "repeat_contact_rate": _("Repeat contact within 7 days"),
    }
    spec = spec_base(
        table,
        _("Abandon rate and repeat contact rate per day, against the abandon norm."),
    )
    spec["data"] = {
        "values": [
            {"date": record["date"], "series": str(label), "value": record[key]}
            for record in table.records()
            for key, label in series.items()
        ]
    }
    spec.update(
        {
            "height": 220,
            "layer": [
                {
                    "mark": {"type": "line", "point": True},
                    "encoding": {
                        "x": {
                            "field": "date",
                            "type": "temporal",
                            "timeUnit": "yearmonthdate",
                            "title": _("Date"),
                        },
                        "y": {
                            "field": "value",
                            "type": "quantitative",
                            "title": title,
                            "axis": {"format": ".0%"},
                        },
                        "color": {"field": "series", "type": "nominal", "title": None},
                        "strokeDash": {"field": "series", "type": "nominal", "title": None},
                    },
                },
                *_norm_rule(abandon_norm, title),
            ],
        }
    )
    return spec


def received_spec(table: Table) -> Spec:
    """Contacts received per day (bars), for the written and chat channels."""
    spec = spec_base(table, _("Contacts received per day."))
    spec.update(
        {
            "height": 220,
            "mark": {"type": "bar", "color": "#1f5f8b"},
            "encoding": {
                "x": {
                    "field": "date",
                    "type": "temporal",
                    "timeUnit": "yearmonthdate",
                    "title": _("Date"),
                },
                "y": {"field": "received", "type": "quantitative", "title": _("Received")},
            },
        }
    )
    return spec

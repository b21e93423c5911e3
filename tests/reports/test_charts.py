"""Chart specs are plain JSON for the web, and their SVG escapes every label."""

from __future__ import annotations

import json

from meetlat.reports import charts

POINTS = [
    charts.Point("Telefoon", "Cijfer", 5.679735),
    charts.Point("Telefoon", "Potentieel cijfer", 8.070625),
    charts.Point("E-mail", "Cijfer", 5.05),
    charts.Point("E-mail", "Potentieel cijfer", 7.75),
]


def test_the_grade_chart_is_json_with_a_norm_rule() -> None:
    spec = charts.grade_potential_spec(POINTS, norm=charts.Norm(7.0, "Norm 7,0"), value_title="C")
    assert json.loads(json.dumps(spec)) == spec
    rules = [layer for layer in spec["layer"] if layer["mark"] == "bar" or "rule" in str(layer)]
    assert any(layer.get("data", {}).get("values") == [{"norm": 7.0, "label": "Norm 7,0"}]
               for layer in rules)  # fmt: skip


def test_svg_uses_dutch_decimals_and_escapes_labels() -> None:
    svg = charts.to_svg(
        charts.grade_potential_spec(POINTS, norm=charts.Norm(7.0, "Norm 7,0"), value_title="C")
    )
    assert svg.startswith("<svg") and "5,68" in svg and "8,07" in svg
    name = '<script>alert(1)</script> & "x"'
    spec = charts.grade_dots_spec(
        [charts.Point(name, "Totaal", 5.0)],
        norm=charts.Norm(7.0, "Norm"),
        value_title="Cijfer",
        order=[name],
    )
    dots = charts.to_svg(spec)
    assert "<script>" not in dots and "&lt;script&gt;" in dots

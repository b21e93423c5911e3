"""The classic-script copy of vega-interpreter matches the npm package (no drift)."""

from __future__ import annotations

import pytest

from meetlat.kpis.vega_interpreter import SOURCE, TARGET, classic_script


def test_the_static_vega_interpreter_is_the_npm_package_rewritten() -> None:
    if not SOURCE.is_file():
        pytest.skip(f"{SOURCE} is missing; run 'make npm'")
    expected = classic_script(SOURCE.read_text(encoding="utf-8"))
    assert TARGET.read_text(encoding="utf-8") == expected, (
        "run: .venv/bin/python -m meetlat.kpis.vega_interpreter"
    )
    assert "export {" not in expected


def test_a_changed_vega_interpreter_is_refused() -> None:
    with pytest.raises(ValueError, match="update this shim"):
        classic_script("import { x } from 'vega-util';\nexport { y };")

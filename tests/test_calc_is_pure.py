"""calc/ is pure Python: no Django, no meetlat app (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

CALC = Path(__file__).resolve().parent.parent / "src" / "meetlat" / "calc"
ALLOWED_MEETLAT = ("meetlat.calc",)


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_calc_modules_import_neither_django_nor_meetlat_apps() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in CALC.glob("*.py")
        for name in _imports(path)
        if name.split(".")[0] == "django"
        or (name.startswith("meetlat") and not name.startswith(ALLOWED_MEETLAT))
    }
    assert sorted(offenders) == []
    assert len(list(CALC.glob("*.py"))) >= 3

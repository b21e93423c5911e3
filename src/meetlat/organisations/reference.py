"""The bundled CBS reference list (shared/reference/municipalities.csv, Bron: CBS)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from meetlat.organisations.validators import CBS_CODE_RE

BUNDLED_FILE = Path(__file__).resolve().parent / "data" / "municipalities-2026-01-01.csv"
BUNDLED_REFERENCE_DATE = dt.date(2026, 1, 1)
BUNDLED_ROW_COUNT = 342

REFERENCE_COLUMNS = ("cbs_code", "name", "display_name", "province", "inhabitants")
PROVINCES = frozenset(
    {
        "Groningen",
        "Fryslân",
        "Drenthe",
        "Overijssel",
        "Flevoland",
        "Gelderland",
        "Utrecht",
        "Noord-Holland",
        "Zuid-Holland",
        "Zeeland",
        "Noord-Brabant",
        "Limburg",
    }
)


class InputError(Exception):
    """Bad user input; carries problems that name file, line, field and value."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def reference_rows(path: Path) -> list[dict[str, object]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([f"{path}: cannot be read as UTF-8 text ({error})."]) from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REFERENCE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError([f"{path}, line 1: missing column(s) {', '.join(missing)}."])
    problems: list[str] = []
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row, row_problems = _reference_row(raw, seen)
        problems.extend(f"{path}, line {line}: {p}" for p in row_problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(f"{path}: the file holds no municipalities.")
    if problems:
        raise InputError(problems[:100])
    return rows


def _reference_row(
    raw: dict[str, str], seen: set[str]
) -> tuple[dict[str, object] | None, list[str]]:
    problems: list[str] = []
    code = (raw.get("cbs_code") or "").strip()
    if not CBS_CODE_RE.match(code):
        problems.append(f"field cbs_code: {code!r} is not GM followed by four digits.")
    elif code in seen:
        problems.append(f"field cbs_code: {code!r} occurs twice.")
    seen.add(code)
    problems.extend(
        f"field {column}: empty."
        for column in ("name", "display_name")
        if not (raw.get(column) or "").strip()
    )
    province = (raw.get("province") or "").strip()
    if province not in PROVINCES:
        problems.append(f"field province: {province!r} is not one of the twelve provinces.")
    inhabitants_raw = (raw.get("inhabitants") or "").strip()
    if not inhabitants_raw.isdigit() or int(inhabitants_raw) <= 0:
        problems.append(f"field inhabitants: {inhabitants_raw!r} is not a positive whole number.")
    if problems:
        return None, problems
    return {
        "cbs_code": code,
        "name": raw["name"].strip(),
        "display_name": raw["display_name"].strip(),
        "province": province,
        "inhabitants": int(inhabitants_raw),
    }, []

"""Numbers in reports: rounded half away from zero, with the decimal sign of the active
language (7,02 in Dutch, 7.02 in English; METHODOLOGY.md §0). No other rounding happens in a
report: tables, charts and texts all go through these functions."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import get_language

from meetlat.calc.findings import format_percent
from meetlat.research.formatting import EMPTY, format_number

MINUS = "\u2212"


def _dutch() -> bool:
    return (get_language() or "nl").startswith("nl")


def _localise(text: str) -> str:
    return text if _dutch() or text == EMPTY else text.replace(",", ".")


def number(value: float | None, decimals: int = 2) -> str:
    """5.679735 → "5,68" (Dutch) or "5.68" (English); None → "–"."""
    return _localise(format_number(value, decimals))


def signed(value: float | None, decimals: int = 2) -> str:
    """A difference with its sign: "+1,42", "−0,30", "0,00"."""
    text = number(value, decimals)
    if value is None or text == EMPTY:
        return text
    if text.lstrip("-").strip("0,.") == "":
        return text.lstrip("-")
    return f"{MINUS}{text[1:]}" if text.startswith("-") else f"+{text}"


def percent(value: Fraction | float | None, decimals: int = 1) -> str:
    """A fraction 0–1 as a percentage: 0.625 → "62,5 %"; None → "–"."""
    if value is None:
        return EMPTY
    exact = value if isinstance(value, Fraction) else Fraction(value)
    return f"{_localise(format_percent(exact, decimals))} %"


def css_string(value: object) -> str:
    """A CSS string literal ("…") for ``content:`` in @page rules; every character that is not
    a letter, digit or space becomes a CSS hex escape, so no value can end the string or the
    style sheet."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in str(value))
    return f'"{escaped}"'

"""Signals in an outgoing e-mail: an automatic reply, and a stated term (METHODOLOGY.md §8,
checks `autoreply` and `term_stated`). Used by the e-mail importer to tell an acknowledgement
and a term notice from an answer.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

__all__ = ["autoreply_evidence", "term_stated"]

_AUTO_PHRASES: Final = re.compile(r"automatisch(?:e)? (?:antwoord|bericht)|\bafwezig", re.I)
_MONTHS: Final = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
)
_TERM: Final = re.compile(
    r"\bbinnen\s+(?:\d+|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf)\s+"
    r"(?:werk)?(?:dagen|dag|weken|week)\b"
    r"|\b(?:uiterlijk|voor)\s+(?:(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
    r"\s+)?(?:\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?|\d{1,2}\s+(?:" + _MONTHS + r"))",
    re.I,
)


def autoreply_evidence(headers: Mapping[str, str], text: str) -> str | None:
    """What marks a message as an automatic reply (a header or a phrase), or None.

    `headers` has lower-case names. `Auto-Submitted` other than `no`, any `X-Autoreply`,
    `Precedence: auto_reply`; or the phrases "automatisch antwoord" and "afwezig".
    """
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if "x-autoreply" in headers:
        return "X-Autoreply"
    if headers.get("precedence", "").strip().lower() == "auto_reply":
        return "Precedence: auto_reply"
    found = _AUTO_PHRASES.search(text)
    return found.group(0) if found else None


def term_stated(text: str) -> str | None:
    """The phrase stating a term ("binnen 5 werkdagen", "uiterlijk 12 mei"), or None."""
    found = _TERM.search(text)
    return found.group(0) if found else None

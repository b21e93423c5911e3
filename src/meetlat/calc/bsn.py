"""BSN (burgerservicenummer) detection with the 11-proef (METHODOLOGY.md §8), pure Python.

A BSN is 9 digits (8 with a leading 0 dropped), written together or grouped 3-3-3 or 4-2-3 with
spaces or dots, not inside a longer number and not all zeros. It is valid when
9d₁ + 8d₂ + 7d₃ + 6d₄ + 5d₅ + 4d₆ + 3d₇ + 2d₈ − d₉ ≡ 0 (mod 11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

#: 9 digits together, 3-3-3 or 4-2-3 with one space or dot between groups, or 8 digits together;
#: never preceded or followed by another digit (or a digit group joined by a separator).
_CANDIDATE: Final = re.compile(
    r"(?<![\d.])(?<!\d[ .])"
    r"(\d{3}[ .]\d{3}[ .]\d{3}|\d{4}[ .]\d{2}[ .]\d{3}|\d{9}|\d{8})"
    r"(?![\d])(?![ .]\d)"
)
_WEIGHTS: Final = (9, 8, 7, 6, 5, 4, 3, 2, -1)


@dataclass(frozen=True)
class BsnMatch:
    """Where a valid BSN was found: offsets in the text (the value itself is never kept)."""

    start: int
    end: int


def is_valid_bsn(digits: str) -> bool:
    """True if ``digits`` (8 or 9 digits, nothing else) passes the 11-proef and is not all 0."""
    if not re.fullmatch(r"\d{8,9}", digits):
        return False
    padded = digits.zfill(9)
    if set(padded) == {"0"}:
        return False
    total = sum(weight * int(d) for weight, d in zip(_WEIGHTS, padded, strict=True))
    return total % 11 == 0


def find_bsns(text: str) -> list[BsnMatch]:
    """Every valid BSN in ``text``, in order of appearance."""
    return [
        BsnMatch(found.start(1), found.end(1))
        for found in _CANDIDATE.finditer(text)
        if is_valid_bsn(re.sub(r"[ .]", "", found.group(1)))
    ]


def contains_bsn(text: str) -> bool:
    return bool(find_bsns(text))

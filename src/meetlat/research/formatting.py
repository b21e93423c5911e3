"""Dutch number formatting for command-line tables and reports (METHODOLOGY.md §0); no Django."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

EMPTY = "–"


def format_number(value: float | None, decimals: int = 2) -> str:
    """Rounded half away from zero, with a decimal comma: 5.679735 → "5,68"; None → "–"."""
    if value is None or not math.isfinite(value):
        return EMPTY
    exponent = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP)
    return f"{rounded:.{decimals}f}".replace(".", ",")

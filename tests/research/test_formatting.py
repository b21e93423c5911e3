from __future__ import annotations

import pytest

from meetlat.research.formatting import format_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (5.679735, 2, "5,68"),
        (5.469824, 1, "5,5"),
        (7.0, 1, "7,0"),
        (2.665, 2, "2,67"),
        (0.125, 2, "0,13"),
        (-0.125, 2, "-0,13"),
        (10.0, 2, "10,00"),
        (None, 2, "–"),
        (float("nan"), 2, "–"),
    ],
)
def test_numbers_round_half_away_from_zero_with_a_decimal_comma(
    value: float | None, decimals: int, expected: str
) -> None:
    assert format_number(value, decimals) == expected

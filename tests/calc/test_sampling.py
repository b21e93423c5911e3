"""Reproducible simple random samples (calc.sampling)."""

from __future__ import annotations

import pytest

from meetlat.calc.sampling import simple_random_sample


def test_the_same_seed_draws_the_same_sample_in_any_input_order() -> None:
    items = list(range(1, 101))
    first = simple_random_sample(items, 10, seed=7)
    again = simple_random_sample(reversed(items), 10, seed=7)
    assert first == again and len(set(first)) == 10 and set(first) <= set(items)
    assert first == sorted(first)


def test_another_seed_draws_another_sample() -> None:
    items = range(1, 1001)
    assert simple_random_sample(items, 10, seed=1) != simple_random_sample(items, 10, seed=2)


def test_no_size_or_a_size_beyond_the_items_takes_every_item_once() -> None:
    assert simple_random_sample([3, 1, 3, 2], None, seed=1) == [1, 2, 3]
    assert simple_random_sample([3, 1, 2], 5, seed=1) == [1, 2, 3]
    assert simple_random_sample([3, 1, 2], 0, seed=1) == []


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        simple_random_sample([1, 2], -1, seed=1)

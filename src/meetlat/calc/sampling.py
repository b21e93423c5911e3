"""Simple random samples that can be drawn again: the same items, size and seed give the same
sample, whatever order the items came in."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T", int, str)


def simple_random_sample(items: Iterable[T], size: int | None, seed: int) -> list[T]:
    """`size` distinct items drawn without replacement (all when `size` is None or at least
    the number of items), sorted. Items are sorted before drawing, so the sample does not depend
    on the order a database returned them in."""
    population = sorted(set(items))
    if size is not None and size < 0:
        raise ValueError("the sample size must be 0 or more.")
    if size is None or size >= len(population):
        return population
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    return sorted(rng.sample(population, size))

"""Cost per contact with versioned costs: which cost applies on a date, and period totals.

An organisation sets a cost per contact per channel from a date on (`valid_from`); a contact
costs what was valid on its local date, so a later change never rewrites past periods. A total
is Σ contacts × the cost valid on their date; it is None when some contacts fall before the
first cost (a total of only part of the contacts would read as the whole). Amounts are euros
as `Decimal`, rounded half up to cents only where shown as a cost per contact.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

__all__ = ["CENT", "CostTotal", "CostVersion", "cost_on", "cost_total"]

CENT: Final = Decimal("0.01")


@dataclass(frozen=True)
class CostVersion:
    valid_from: dt.date
    cost_per_contact: Decimal


def _sorted(versions: Iterable[CostVersion]) -> list[CostVersion]:
    return sorted(versions, key=lambda v: v.valid_from)


def cost_on(versions: Sequence[CostVersion], day: dt.date) -> Decimal | None:
    """The cost valid on `day`: the version with the latest `valid_from` ≤ `day`, else None."""
    ordered = _sorted(versions)
    index = bisect_right([v.valid_from for v in ordered], day)
    return ordered[index - 1].cost_per_contact if index else None


@dataclass(frozen=True)
class CostTotal:
    contacts: int
    """All contacts of the period."""
    uncosted: int
    """Contacts on dates before the first cost: with any of these the total is None."""
    total: Decimal | None
    costs: tuple[Decimal, ...]
    """The distinct costs that applied, in date order."""

    @property
    def per_contact(self) -> Decimal | None:
        """The cost per contact of the period (a weighted mean when the cost changed)."""
        if self.total is None or not self.contacts:
            return None
        if len(self.costs) == 1:
            return self.costs[0]
        return (self.total / self.contacts).quantize(CENT, rounding=ROUND_HALF_UP)


def cost_total(
    daily_contacts: Iterable[tuple[dt.date, int]], versions: Sequence[CostVersion]
) -> CostTotal:
    """Σ contacts × cost valid on their date, over (local date, contacts) pairs."""
    ordered = _sorted(versions)
    starts = [v.valid_from for v in ordered]
    contacts = uncosted = 0
    total = Decimal(0)
    used: list[Decimal] = []
    for day, count in sorted(daily_contacts):
        if not count:
            continue
        contacts += count
        index = bisect_right(starts, day)
        if not index:
            uncosted += count
            continue
        cost = ordered[index - 1].cost_per_contact
        total += cost * count
        if cost not in used:
            used.append(cost)
    return CostTotal(
        contacts=contacts,
        uncosted=uncosted,
        total=None if uncosted or not contacts else total,
        costs=tuple(used),
    )

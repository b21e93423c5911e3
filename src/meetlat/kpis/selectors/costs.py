"""Reads of the costs per contact of an organisation (`kpis.models.ChannelCost`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum

from django.db.models import QuerySet

from meetlat.calc.costs import CostVersion
from meetlat.kpis.models import ChannelCost
from meetlat.kpis.tables import display
from meetlat.organisations.models import Organisation


class CostStatus(Enum):
    CURRENT = "current"
    EARLIER = "earlier"
    PLANNED = "planned"


@dataclass(frozen=True)
class CostEntry:
    cost: ChannelCost
    status: CostStatus

    @property
    def display_cost(self) -> str:
        return display("money", self.cost.cost_per_contact)


def channel_cost_list(*, organisation: Organisation) -> QuerySet[ChannelCost]:
    """Every cost version of the organisation, per channel, newest first."""
    return ChannelCost.objects.filter(organisation=organisation).order_by("channel", "-valid_from")


def channel_cost_versions(*, organisation: Organisation) -> dict[str, list[CostVersion]]:
    """Channel → its cost versions, for `calc.costs` (one query)."""
    versions: defaultdict[str, list[CostVersion]] = defaultdict(list)
    rows = channel_cost_list(organisation=organisation).values_list(
        "channel", "valid_from", "cost_per_contact"
    )
    for channel, valid_from, cost in rows:
        versions[channel].append(CostVersion(valid_from=valid_from, cost_per_contact=cost))
    return dict(versions)


def channel_cost_history(*, organisation: Organisation, today: dt.date) -> list[CostEntry]:
    """Every cost version with its status on `today`: the one in force, earlier, or planned."""
    entries: list[CostEntry] = []
    current_seen: set[str] = set()
    for cost in channel_cost_list(organisation=organisation):
        if cost.valid_from > today:
            status = CostStatus.PLANNED
        elif cost.channel in current_seen:
            status = CostStatus.EARLIER
        else:
            status = CostStatus.CURRENT
            current_seen.add(cost.channel)
        entries.append(CostEntry(cost=cost, status=status))
    return entries
